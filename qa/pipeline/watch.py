"""A watch folder: manifests and recordings a phone system drops there are ingested once each.

What was taken is remembered in a state file under CALLQA_HOME, so a restart picks up where
it stopped; a file modified within the settle time may still be growing and waits a round.
Ingest itself is idempotent (call id + recording hash), so a crash between ingesting and
saving the state stores nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

from qa.pipeline.ingest import IngestReport, ingest_manifest
from qa.settings import Settings
from qa.telephony.recordings import AUDIO_SUFFIXES, SETTLE_SECONDS

MANIFEST_SUFFIX = ".csv"
Fingerprint = tuple[int, float]  # size, modification time


@dataclass(frozen=True)
class WatchRound:
    ingested: IngestReport | None  # None: nothing new and settled this round
    waiting: list[Path]  # files still being written


def state_path(settings: Settings, folder: Path) -> Path:
    key = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    return settings.home / "watch" / f"{key}.json"


def watch_once(
    database_url: str, folder: Path, settings: Settings, settle_seconds: float = SETTLE_SECONDS
) -> WatchRound:
    """One look at the folder: ingest what is new or changed and has settled."""
    state_file = state_path(settings, folder)
    seen = _load(state_file)
    now = time.time()
    settled: dict[str, Fingerprint] = {}
    waiting: list[Path] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in (*AUDIO_SUFFIXES, MANIFEST_SUFFIX):
            continue
        stat = path.stat()
        if now - stat.st_mtime < settle_seconds:
            waiting.append(path)
            continue
        settled[str(path)] = (stat.st_size, stat.st_mtime)
    fresh = {p for p, f in settled.items() if seen.get(p) != f}
    if not fresh:
        return WatchRound(None, waiting)
    audio = [Path(p) for p in settled if not p.endswith(MANIFEST_SUFFIX)]
    report = IngestReport()
    for manifest in (Path(p) for p in sorted(settled) if p.endswith(MANIFEST_SUFFIX)):
        part = ingest_manifest(database_url, manifest, settings, only_files=audio)
        report.calls.extend(part.calls)
        report.problems.extend(p for p in part.problems if p.line)
    # Only files are remembered whose outcome is final; a manifest row waiting for its
    # recording is tried again when that recording arrives (it changes the snapshot).
    _save(state_file, {**seen, **{p: settled[p] for p in fresh}})
    return WatchRound(report, waiting)


def _load(path: Path) -> dict[str, Fingerprint]:
    if not path.is_file():
        return {}
    return {k: (int(v[0]), float(v[1])) for k, v in json.loads(path.read_text()).items()}


def _save(path: Path, seen: dict[str, Fingerprint]) -> None:
    """Write then rename, so a kill mid-write never leaves a torn state file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(seen))
    partial.replace(path)
