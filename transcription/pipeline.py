"""The public entry point: a recording in, a speaker-attributed `CallTranscript` out.

The recording is decoded and transcribed window by window (see `audio.decode_windows`), so a
4-hour call needs the memory of a 5-minute one; only the utterances are kept across windows.
The channel layout and the language are settled once, on the first window that has them, and
hold for the whole call.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from transcription.acoustics import call_metrics, with_loudness
from transcription.audio import SAMPLE_RATE, decode_windows
from transcription.channels import is_silent, split_speakers
from transcription.diarization import attribute_voices, mfcc
from transcription.engine import load_model
from transcription.language import LanguageGuess, call_language
from transcription.options import TranscriptionOptions
from transcription.recognition import recognise
from transcription.speech import pack_speech
from transcription.transcript import CallTranscript, ChannelLayout, Utterance


def transcribe_call(
    path: str | Path, options: TranscriptionOptions | None = None
) -> CallTranscript:
    """Transcribe one call recording; raises a specific TranscriptionError for bad input."""
    options = options or TranscriptionOptions()
    layout: ChannelLayout | None = None
    language: LanguageGuess | None = None
    utterances: list[Utterance] = []
    # A mono call's MFCCs, kept to tell its two voices apart once all words are known
    # (5 kB per second of audio: 75 MB for a 4-hour call).
    cepstra: list[np.ndarray] = []
    duration = 0.0
    for audio in decode_windows(Path(path), options.max_duration, options.window_seconds):
        tracks = split_speakers(
            audio, options.agent_channel, options.same_signal_correlation, layout
        )
        if layout is None and not is_silent(audio):
            layout = tracks.layout
        if tracks.layout == "mono":
            cepstra.append(mfcc(tracks.tracks[0].samples, SAMPLE_RATE))
        speech = [pack_speech(track, options.vad) for track in tracks.tracks]
        model = load_model(options)  # once per process; only after the audio proved usable
        if language is None and any(packed.chunks for packed in speech):
            language = call_language(model.whisper, speech, options.languages, options.language)
        if language is not None:
            heard = with_loudness(recognise(model, speech, language.language, options), tracks)
            utterances.extend(u.shifted(audio.start) for u in heard)
        duration = audio.start + audio.duration
    voice_separation = None
    if (layout or tracks.layout) == "mono" and utterances:
        utterances, voice_separation = attribute_voices(utterances, np.concatenate(cepstra))
    language = language or call_language(
        load_model(options).whisper, [], options.languages, options.language
    )
    return CallTranscript(
        language=language.language,
        language_probability=round(language.probability, 4),
        duration=round(duration, 3),
        channel_layout=layout or tracks.layout,
        utterances=tuple(utterances),
        metrics=call_metrics(
            utterances, options.hold_threshold, options.min_overtalk, call_duration=duration
        ),
        model=options.model,
        voice_separation=voice_separation,
    )
