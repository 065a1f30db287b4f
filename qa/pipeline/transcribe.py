"""The transcription stage: settings become `TranscriptionOptions`, the model loads once."""

from __future__ import annotations

from pathlib import Path

from qa.settings import Settings
from transcription.options import TranscriptionOptions
from transcription.transcript import CallTranscript


def transcription_options(
    settings: Settings, language: str | None = None, agent_channel: str = "left"
) -> TranscriptionOptions:
    """Options for one call: the platform's model settings plus what the manifest says."""
    return TranscriptionOptions(
        model=settings.whisper_model,
        model_cache_dir=settings.model_cache_dir,
        device=settings.device,  # type: ignore[arg-type]
        cpu_threads=settings.cpu_threads,
        languages=tuple(settings.languages),
        language=language if language in settings.languages else None,
        agent_channel="right" if agent_channel == "right" else "left",
        hold_threshold=settings.hold_threshold_seconds,
        max_duration=settings.max_audio_hours * 3600.0,
    )


def load_model_once(settings: Settings) -> None:
    """Load the model now (the engine caches it per process), so the first call is not slow."""
    from transcription.engine import load_model

    load_model(transcription_options(settings))


def transcribe(audio_path: Path, options: TranscriptionOptions) -> CallTranscript:
    from transcription import transcribe_call

    return transcribe_call(audio_path, options)
