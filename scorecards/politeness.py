"""Politeness as a measurement: P(polite) of each agent utterance, summarised per call.

A measurement, not a verdict: it changes no score. The model is the English head trained on
Stanford Politeness (Wikipedia requests), applied to Russian and Persian through the multilingual
embedding; `bench/politeness.py` measures what transfers and the model card reports it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scorecards.embedding import EmbeddingService
from scorecards.learned import TextClassifier, score_texts, shipped_classifier
from scorecards.normalize import normalize
from transcription.transcript import CallTranscript

# Backchannels ("okay", "yes", "one moment") carry no politeness signal but would dominate a
# call's mean; the model was trained on whole requests.
MIN_WORDS = 3


@dataclass(frozen=True)
class PolitenessMeasurement:
    """How polite the agent sounded in one call, as the politeness model reads it."""

    model: str  # name@version of the politeness model
    utterances: int  # agent utterances measured
    mean: float  # mean P(polite) over them
    lowest: float  # the least polite utterance's P(polite)
    lowest_index: int  # its position in the transcript


def measured_utterances(transcript: CallTranscript) -> list[int]:
    """The agent's utterances long enough to read; none when the speakers are unknown (a mono
    call's customer would be measured as the agent)."""
    if not transcript.speakers_known:
        return []
    return [
        index
        for index, utterance in enumerate(transcript.utterances)
        if utterance.speaker == "agent" and len(normalize(utterance.text).split()) >= MIN_WORDS
    ]


def measure_politeness(
    transcript: CallTranscript,
    classifier: TextClassifier | None = None,
    service: EmbeddingService | None = None,
) -> PolitenessMeasurement | None:
    """The call's agent politeness, or None when the agent said nothing measurable.

    `classifier` replaces the shipped model (a center's activated version)."""
    indices = measured_utterances(transcript)
    if not indices:
        return None
    model = classifier or shipped_classifier("politeness")
    texts = [transcript.utterances[i].text for i in indices]
    scores = score_texts(model, texts, (transcript.language or "en").lower(), service)
    lowest = int(np.argmin(scores))
    return PolitenessMeasurement(
        model=model.label,
        utterances=len(indices),
        mean=round(float(scores.mean()), 4),
        lowest=round(float(scores[lowest]), 4),
        lowest_index=indices[lowest],
    )
