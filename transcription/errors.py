"""Errors a QA admin can act on; each names the file and what to do about it.

Every failure has its own type so callers (the pipeline, the UI, the CLI) can tell an empty upload
from a broken one or from a missing model without parsing messages.
"""

from __future__ import annotations

from pathlib import Path


class TranscriptionError(Exception):
    """Base class: anything that stops a recording from becoming a transcript."""


class UnusableRecording(TranscriptionError):
    """The recording itself cannot be used: trying it again cannot help."""


class AudioFileNotFound(TranscriptionError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: no such file; check the path of the recording.")


class EmptyAudioFile(UnusableRecording):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path}: the file is empty (0 bytes); the upload or export failed, fetch the "
            "recording again."
        )


class UnsupportedAudioFormat(UnusableRecording):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"{path}: not an audio format callqa can read ({reason}); export the call as WAV, "
            "MP3, OGG/Opus, FLAC or M4A."
        )


class NoAudioStream(UnusableRecording):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path}: the file holds no audio stream (video or data only); export the call's "
            "audio track."
        )


class CorruptAudio(UnusableRecording):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"{path}: the audio data is corrupt ({reason}); fetch the recording again from the "
            "telephony system."
        )


class TruncatedAudio(UnusableRecording):
    def __init__(self, path: Path, evidence: str) -> None:
        super().__init__(
            f"{path}: the file is truncated ({evidence}); the copy was cut short, fetch it again."
        )


class ZeroLengthAudio(UnusableRecording):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path}: the recording contains no audio samples (zero length); the call was not "
            "recorded, check the recorder."
        )


class AudioTooLong(UnusableRecording):
    def __init__(self, path: Path, duration: float | None, limit: float) -> None:
        """`duration` None: decoding stopped at the limit, so only "longer than" is known."""
        length = _clock(duration) if duration is not None else f"more than {_clock(limit)}"
        super().__init__(
            f"{path}: the recording lasts {length}, longer than the limit of "
            f"{_clock(limit)}; split it, or raise CALLQA_MAX_AUDIO_HOURS."
        )


class ModelNotFound(TranscriptionError):
    """The chosen Whisper model cannot be found, assembled or loaded."""


def _clock(seconds: float) -> str:
    minutes, second = divmod(round(seconds), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}"
