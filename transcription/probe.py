"""A cheap look at a recording's header before it is stored: is it audio, and how long?

Decoding a 6-hour file only to refuse it cost minutes and a 1 GB copy in storage; the header
tells most unusable files at once. What only decoding reveals is caught by `decode_audio`.
"""

from __future__ import annotations

from pathlib import Path

from transcription.errors import (
    AudioFileNotFound,
    AudioTooLong,
    EmptyAudioFile,
    NoAudioStream,
    UnsupportedAudioFormat,
)


def probe_audio(path: Path, max_duration: float) -> float | None:
    """The declared duration in seconds (None if the header has none); raises if unusable."""
    import av  # on first use: commands that never read audio start without PyAV

    if not path.is_file():
        raise AudioFileNotFound(path)
    if path.stat().st_size == 0:
        raise EmptyAudioFile(path)
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except av.error.FFmpegError as error:
        raise UnsupportedAudioFormat(path, error.strerror or type(error).__name__) from None
    with container:
        if not container.streams.audio:
            raise NoAudioStream(path)
        stream = container.streams.audio[0]
        if stream.duration is not None and stream.time_base is not None:
            declared: float | None = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            declared = container.duration / av.time_base
        else:
            declared = None
    if declared is not None and declared > max_duration:
        raise AudioTooLong(path, declared, max_duration)
    return declared
