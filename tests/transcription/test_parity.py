"""callqa's transcripts are at least as good as plain faster-whisper's on the same audio.

Plain means `WhisperModel.transcribe(audio, language=..., beam_size=5, vad_filter=True)` with the
same model, each party's channel on its own (the fairer baseline: on the mono mix-down plain
faster-whisper does far worse). The synthetic calls have their scripts as references; the real
Russian telephone clips have none, so there callqa must agree with plain faster-whisper.
"""

from __future__ import annotations

import json

import pytest
from faster_whisper import decode_audio

from tests.conftest import SHARED_DATA
from tests.transcription.conftest import TEST_CALLS, TranscribedCall
from tests.transcription.wording import character_error_rate
from transcription import TranscriptionOptions, transcribe_call
from transcription.engine import load_model

RU_TELEPHONY = SHARED_DATA / "dev" / "ru-telephony"
# Sampling, window boundaries and word-time splitting move a few characters either way.
TOLERANCE = 0.03
# Measured: 0.00 and 0.01 on the two clips; before the fix callqa lost "Ну, сейчас в" (0.375).
MAX_DISAGREEMENT = 0.1


def plain_text(audio: str | object, language: str, options: TranscriptionOptions) -> str:
    """Plain faster-whisper at the temperatures `options` decode with (its default when they are
    callqa's default, which is faster-whisper's)."""
    segments, _ = load_model(options).whisper.transcribe(
        audio,
        language=language,
        beam_size=5,
        vad_filter=True,
        temperature=list(options.temperatures),
    )
    return " ".join(segment.text for segment in segments)


def _channel_errors(call: TranscribedCall, options: TranscriptionOptions) -> tuple[float, float]:
    """(callqa, plain) character error rates over both parties' scripts."""
    channels = dict(
        zip(("agent", "customer"), decode_audio(str(call.audio), split_stereo=True), strict=False)
    )
    language = call.truth["language"]
    ours = plain = 0.0
    for speaker, samples in channels.items():
        said = " ".join(turn["text"] for turn in call.turns(speaker))
        heard = " ".join(u.text for u in call.transcript.utterances_of(speaker))
        ours += character_error_rate(said, heard) / 2
        plain += character_error_rate(said, plain_text(samples, language, options)) / 2
    return ours, plain


# Measured (2026-11-28, Xeon, temperature 0 both): callqa / plain 0.85 / 1.39 (fa: plain's
# windows loop), 0.52 / 0.55 (ru). With the sampled fallback the comparison is a draw: seeded
# alike it gave fa 0.55 / 0.61 on one machine and 0.63 / 0.56 on another (bench/language_parity.py
# measures it with the defaults, unseeded).


@pytest.mark.parametrize("name", ["ru_stereo", "fa_stereo"])
def test_synthetic_calls_are_transcribed_at_least_as_well_as_plain(
    transcription_options: TranscriptionOptions, name: str
) -> None:
    """Both decode at temperature 0 (the suite's setting), so the comparison is of what callqa
    adds around the model (windows, VAD, language, guards), not of a random draw: espeak-ng's
    voices make some windows fall back to sampling, whose seeded draws differ between CPUs."""
    truth = json.loads((TEST_CALLS / f"{name}.json").read_text(encoding="utf-8"))
    audio = TEST_CALLS / truth["audio_file"]
    call = TranscribedCall(audio, truth, transcribe_call(audio, transcription_options))
    ours, plain = _channel_errors(call, transcription_options)
    assert ours <= plain + TOLERANCE, f"callqa CER {ours:.3f}, plain {plain:.3f}"


@pytest.mark.parametrize("clip", ["tone_audio_short_8k.flac", "tone_audio_long_8k.flac"])
def test_real_russian_telephone_speech_agrees_with_plain_faster_whisper(
    transcription_options: TranscriptionOptions, clip: str
) -> None:
    path = RU_TELEPHONY / clip
    if not path.is_file():
        pytest.skip(f"Russian telephone clips not found at {RU_TELEPHONY}")
    transcript = transcribe_call(path, transcription_options)
    ours = " ".join(u.text for u in transcript.utterances)
    assert transcript.language == "ru"
    plain = plain_text(str(path), "ru", transcription_options)
    assert character_error_rate(plain, ours) <= MAX_DISAGREEMENT, f"{ours!r} vs {plain!r}"
