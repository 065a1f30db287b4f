"""Audio in, speaker-attributed transcript out; knows no scorecards and no database."""

from transcription.errors import TranscriptionError
from transcription.options import TranscriptionOptions
from transcription.pipeline import transcribe_call
from transcription.transcript import CallTranscript

__all__ = ["CallTranscript", "TranscriptionError", "TranscriptionOptions", "transcribe_call"]
