"""Tell a recording that was cut short from a complete one.

Demuxers report the length of what is there, so a copy cut mid-way decodes as a shorter, valid
call. The container knows better: a WAV header states the size of its sample data, and an Ogg
stream ends with a page marked end-of-stream. Other formats carry no such mark (MP3), or fail to
open at all when cut (M4A), so they are left to the decoder.
"""

from __future__ import annotations

import struct
from pathlib import Path

# Writers that stream to disk leave the data size unknown (0) or at its maximum.
_UNKNOWN_WAV_SIZES = (0, 0xFFFFFFFF)
_OGG_TAIL_BYTES = 64 * 1024
_OGG_END_OF_STREAM = 0x04


def truncation_evidence(path: Path, container_format: str) -> str | None:
    """Why the container says the file ends early, or None when it looks whole."""
    formats = set(container_format.split(","))
    if "wav" in formats:
        return _wav_shortfall(path)
    if "ogg" in formats:
        return _ogg_unterminated(path)
    return None


def _wav_shortfall(path: Path) -> str | None:
    with path.open("rb") as source:
        header = source.read(12)
        if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
            return None
        byte_rate = 0
        while chunk := source.read(8):
            if len(chunk) < 8:
                return None
            kind, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
            if kind == b"fmt ":
                byte_rate = struct.unpack("<I", source.read(16)[8:12])[0]
                source.seek(size - 16 + (size & 1), 1)
            elif kind == b"data":
                present = path.stat().st_size - source.tell()
                if size in _UNKNOWN_WAV_SIZES or present >= size or not byte_rate:
                    return None
                return (
                    f"its header promises {size / byte_rate:.1f} s of audio but the file holds "
                    f"only {present / byte_rate:.1f} s"
                )
            else:
                source.seek(size + (size & 1), 1)
    return None


def _ogg_unterminated(path: Path) -> str | None:
    size = path.stat().st_size
    with path.open("rb") as source:
        source.seek(max(0, size - _OGG_TAIL_BYTES))
        tail = source.read()
    ends_file = (start for start in _page_starts(tail) if _page_end(tail, start) == len(tail))
    last_page = next(ends_file, None)
    if last_page is None:
        return "the last Ogg page is cut off"
    if not tail[last_page + 5] & _OGG_END_OF_STREAM:
        return "the Ogg stream stops without its end-of-stream page"
    return None


def _page_starts(tail: bytes) -> list[int]:
    """Offsets of every 'OggS' capture pattern, last first (payload may contain it by chance)."""
    starts: list[int] = []
    position = tail.rfind(b"OggS")
    while position >= 0:
        starts.append(position)
        position = tail.rfind(b"OggS", 0, position)
    return starts


def _page_end(tail: bytes, start: int) -> int:
    """Where the page starting at `start` ends, per its segment table (-1 if the header is cut)."""
    if len(tail) < start + 27 or len(tail) < start + 27 + tail[start + 26]:
        return -1
    segments = tail[start + 27 : start + 27 + tail[start + 26]]
    return start + 27 + len(segments) + sum(segments)
