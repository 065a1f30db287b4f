"""A watch folder: recordings and manifest rows are picked up as the phone system writes them.

Each round reads the folder's manifest and takes the rows whose recording has stopped growing
(unchanged for `settle_seconds`), so a file still being written waits for a later round. The
database is the memory: a call already stored is skipped, so a restart loses and repeats nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from qa.pipeline.ingest import (
    IngestReport,
    LoneLeg,
    ingest_manifest,
    manifest_recording,
    recording_files,
)
from qa.pipeline.manifest import read_manifest
from qa.pipeline.recording_paths import RecordingOutsideFolder
from qa.settings import Settings
from qa.telephony.recording_legs import last_written


@dataclass(frozen=True)
class WatchRound:
    report: IngestReport
    waiting: int  # rows whose recording is missing or still being written


def settled_recordings(
    manifest: Path, settle_seconds: float, settings: Settings
) -> tuple[list[Path], int]:
    """Files of the recordings the manifest names (one file, or a call's two legs) that exist
    and were last written long enough ago; a leg whose partner has not arrived waits."""
    now = time.time()
    ready: list[Path] = []
    waiting = 0
    for _, row in read_manifest(manifest).rows:
        try:
            recording = manifest_recording(manifest.parent, row, settings.manifest_agent_leg)
        except LoneLeg:
            waiting += 1  # its partner has not arrived yet
            continue
        except RecordingOutsideFolder:
            recording = manifest.parent / row.audio_file  # ingest reports it
        files = recording_files(recording)
        if all(f.is_file() for f in files) and now - last_written(recording) >= settle_seconds:
            ready.extend(files)
        else:
            waiting += 1
    return ready, waiting


def watch_round(
    database_url: str, folder: Path, settings: Settings, settle_seconds: float
) -> WatchRound:
    """Register what is ready in the folder; nothing when its manifest has not appeared yet."""
    manifest = folder / "manifest.csv"
    if not manifest.is_file():
        return WatchRound(IngestReport(), 0)
    ready, waiting = settled_recordings(manifest, settle_seconds, settings)
    if not ready:
        return WatchRound(IngestReport(), waiting)
    report = ingest_manifest(database_url, manifest, settings, only_files=ready)
    return WatchRound(report, waiting)


def watch(round_once: Callable[[], None], interval: float, rounds: int | None = None) -> None:
    """Run `round_once` every `interval` seconds, `rounds` times or until interrupted."""
    done = 0
    while rounds is None or done < rounds:
        started = time.monotonic()
        round_once()
        done += 1
        if rounds is None or done < rounds:
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
