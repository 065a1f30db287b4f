"""Which language a call is in, chosen only among the languages the contact center serves.

Whisper's detector ranks ~100 languages, and on short or telephone-quality speech it readily
confuses Persian with Arabic or Urdu; restricting the choice to the configured set turns those
near-misses into the right answer. Detection runs once per call, on the first 30 s of each
party's speech, their probabilities weighted by seconds of speech; both channels are then
transcribed in that language. It used to read only the party with the most speech: when the
model could not place that voice (an accent, a bad line, a synthetic voice), the call was
transcribed in the wrong language although the other party was clearly Persian.
"""

from __future__ import annotations

from collections import defaultdict
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
    heads = [packed.head(DETECTION_SECONDS) for packed in speech if packed.chunks]
    if not heads:
        return LanguageGuess(allowed[0] if allowed else "en", 0.0)
    return best_allowed_language(model, heads, allowed)


def best_allowed_language(
    model: WhisperModel, clips: Sequence[np.ndarray], allowed: tuple[str, ...]
) -> LanguageGuess:
    """The allowed language most probable over these clips, each weighted by its length."""
    totals: dict[str, float] = defaultdict(float)
    for clip in clips:
        _, _, ranking = model.detect_language(audio=clip)
        for code, probability in ranking:
            totals[code] += probability * len(clip)
    length = sum(len(clip) for clip in clips)
    probabilities = {code: total / length for code, total in totals.items()}
    candidates = allowed or tuple(probabilities)
    best = max(candidates, key=lambda code: probabilities.get(whisper_code(code), 0.0))
    return LanguageGuess(best, float(probabilities.get(whisper_code(best), 0.0)))
