"""Audio in, speaker-attributed transcript out; knows no scorecards and no database.

`transcribe_call` is imported on first use: it pulls in faster-whisper, CTranslate2 and PyAV,
which every `python -m qa` process and every reader of a stored transcript would otherwise
pay for at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from transcription.errors import TranscriptionError
from transcription.options import TranscriptionOptions
from transcription.transcript import CallTranscript

if TYPE_CHECKING:
    from transcription.pipeline import transcribe_call

__all__ = ["CallTranscript", "TranscriptionError", "TranscriptionOptions", "transcribe_call"]


def __getattr__(name: str) -> object:
    if name == "transcribe_call":
        from transcription.pipeline import transcribe_call

        return transcribe_call
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
