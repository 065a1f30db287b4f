"""The public entry point: a recording in, a speaker-attributed `CallTranscript` out."""

from __future__ import annotations

from pathlib import Path

from transcription.acoustics import call_metrics, with_loudness
from transcription.audio import decode_audio
from transcription.channels import split_speakers
from transcription.engine import load_model
from transcription.language import call_language
from transcription.options import TranscriptionOptions
from transcription.recognition import recognise
from transcription.speech import pack_speech
from transcription.transcript import CallTranscript


def transcribe_call(
    path: str | Path, options: TranscriptionOptions | None = None
) -> CallTranscript:
    """Transcribe one call recording; raises a specific TranscriptionError for bad input."""
    options = options or TranscriptionOptions()
    audio = decode_audio(Path(path), options.max_duration)
    model = load_model(options)
    tracks = split_speakers(audio, options.agent_channel, options.same_signal_correlation)
    speech = [pack_speech(track, options.vad) for track in tracks.tracks]
    language = call_language(model.whisper, speech, options.languages, options.language)
    utterances = with_loudness(recognise(model, speech, language.language, options), tracks)
    return CallTranscript(
        language=language.language,
        language_probability=round(language.probability, 4),
        duration=round(audio.duration, 3),
        channel_layout=tracks.layout,
        utterances=tuple(utterances),
        metrics=call_metrics(utterances, options.hold_threshold, options.min_overtalk),
        model=options.model,
    )
