"""A cheap look at a recording's header before it is stored: is it audio, and how long?

Decoding a 6-hour file only to refuse it cost minutes and a 1 GB copy in storage; the header
tells most unusable files at once. What only decoding reveals is caught by `decode_audio`.
"""

from __future__ import annotations

from pathlib import Path


def probe_audio(path: Path, max_duration: float) -> float | None:
    """The declared duration in seconds (None if the header has none); raises if unusable."""
    # On first use: commands that never read audio start without PyAV.
    from transcription.audio import open_audio

    with open_audio(path, max_duration, ignore_length=False) as (_container, _stream, declared):
        return declared
