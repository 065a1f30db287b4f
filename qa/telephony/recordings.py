"""Find a CDR's recording: its `recordingfile`, else MixMonitor's name that ends in the uniqueid.

FreePBX writes `/monitor/YYYY/MM/DD/<type>-<dst>-<src>-<YYYYMMDD>-<HHMMSS>-<uniqueid>.<ext>`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

AUDIO_SUFFIXES = (".wav", ".mp3", ".ogg", ".gsm", ".flac", ".wav49", ".opus")
# <type>-<dst>-<src>-<date>-<time>-<uniqueid>.<ext>; the uniqueid is "<epoch>.<sequence>".
MIXMONITOR_NAME = re.compile(
    r"^(?P<type>[a-z]+)-(?P<dst>[^-]*)-(?P<src>[^-]*)-(?P<date>\d{8})-(?P<time>\d{6})-"
    r"(?P<uniqueid>\d+\.\d+)\.(?P<ext>\w+)$",
    re.IGNORECASE,
)
# A file modified this recently may still be growing (MixMonitor writes until hang-up).
SETTLE_SECONDS = 10.0


class RecordingStillWritten(Exception):
    """The recording changed moments ago: leave it for the next run."""


@dataclass(frozen=True)
class RecordingIndex:
    """Every recording under the monitor folder, by file name and by uniqueid."""

    by_name: dict[str, Path]
    by_uniqueid: dict[str, Path]

    @classmethod
    def scan(cls, root: Path) -> RecordingIndex:
        by_name: dict[str, Path] = {}
        by_uniqueid: dict[str, Path] = {}
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() not in AUDIO_SUFFIXES or not path.is_file():
                continue
            by_name[path.name] = path
            match = MIXMONITOR_NAME.match(path.name)
            if match:
                by_uniqueid.setdefault(match["uniqueid"], path)
        return cls(by_name, by_uniqueid)

    def find(self, recordingfile: str, uniqueid: str) -> Path | None:
        if recordingfile:
            found = self.by_name.get(Path(recordingfile).name)
            if found is not None:
                return found
        return self.by_uniqueid.get(uniqueid)


def ensure_settled(path: Path, settle_seconds: float = SETTLE_SECONDS) -> None:
    """Raise when the file was modified within `settle_seconds` (still being written)."""
    age = time.time() - path.stat().st_mtime
    if age < settle_seconds:
        raise RecordingStillWritten(f"{path.name} changed {age:.0f} s ago; still being written")
