"""Which language a call is in, chosen only among the languages the contact center serves.

Whisper's detector ranks ~100 languages, and on short or telephone-quality speech it readily
confuses Persian with Arabic or Urdu; restricting the choice to the configured set turns those
near-misses into the right answer. Detection runs once per call, on the party with the most
speech, and both channels are then transcribed in that language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from faster_whisper import WhisperModel

from languages import whisper_code
from transcription.speech import PackedSpeech

# Whisper's detector reads one 30-second window.
DETECTION_SECONDS = 30.0


@dataclass(frozen=True)
class LanguageGuess:
    language: str
    probability: float


def call_language(
    model: WhisperModel,
    speech: Sequence[PackedSpeech],
    allowed: tuple[str, ...],
    forced: str | None,
) -> LanguageGuess:
    """The forced language with probability 1, else the most likely allowed one."""
    if forced:
        return LanguageGuess(forced, 1.0)
    if len(allowed) == 1:
        return LanguageGuess(allowed[0], 1.0)
    talkative = max(speech, key=lambda packed: packed.speech_samples, default=None)
    if talkative is None or not talkative.chunks:
        return LanguageGuess(allowed[0] if allowed else "en", 0.0)
    return best_allowed_language(model, talkative.head(DETECTION_SECONDS), allowed)


def best_allowed_language(
    model: WhisperModel, audio: np.ndarray, allowed: tuple[str, ...]
) -> LanguageGuess:
    _, _, ranking = model.detect_language(audio=audio)
    probabilities = dict(ranking)
    candidates = allowed or tuple(probabilities)
    best = max(candidates, key=lambda code: probabilities.get(whisper_code(code), 0.0))
    return LanguageGuess(best, float(probabilities.get(whisper_code(best), 0.0)))
