"""Politeness per call (a measurement over the agent's utterances), and what the learned checks
embed: only the utterances they read.

Most tests feed a recording stand-in for the embedding model (fast, and it tells which texts
were embedded); one reads real English with the shipped model.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from scorecards import learned
from scorecards.embedding import EmbeddingService
from scorecards.learned import shipped_classifier
from scorecards.politeness import measure_politeness
from tests.scorecards.calls import call
from tests.scorecards.cards import verdict

RUDE = {"type": "classifier", "params": {"model": "rude"}}


class RecordingEmbedder:
    """Deterministic vectors per text, and a record of every text the model was asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def query(self, texts: list[str]) -> np.ndarray:
        self.asked += texts
        vectors = [np.random.default_rng(abs(hash(t)) % 2**32).normal(size=384) for t in texts]
        return np.array([v / np.linalg.norm(v) for v in vectors], dtype=np.float32)


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingEmbedder]:
    embedder = RecordingEmbedder()
    monkeypatch.setattr(learned, "embedding_service", lambda: EmbeddingService(embedder))
    yield embedder


LINES = [
    ("agent", 0.0, 3.0, "Good morning, thank you for calling, how can I help you?"),
    ("customer", 3.5, 6.0, "You people never fix anything, this is useless."),
    ("agent", 6.5, 7.0, "Okay."),
    ("agent", 7.5, 10.0, "Could you please tell me your card number?"),
]


def test_politeness_reads_the_agents_utterances_of_three_words_or_more(
    recording: RecordingEmbedder,
) -> None:
    measured = measure_politeness(call("en", LINES))
    assert measured is not None
    assert recording.asked == [LINES[0][3], LINES[3][3]]
    assert measured.utterances == 2
    assert measured.lowest <= measured.mean
    assert measured.lowest_index in (0, 3)
    assert measured.model == shipped_classifier("politeness").label


def test_no_measurement_without_measurable_agent_speech_or_on_a_mono_call(
    recording: RecordingEmbedder,
) -> None:
    assert measure_politeness(call("en", [LINES[1], LINES[2]])) is None
    assert measure_politeness(call("en", LINES, layout="mono")) is None
    assert recording.asked == []


def test_the_rude_language_check_embeds_only_the_agents_utterances(
    recording: RecordingEmbedder,
) -> None:
    verdict(RUDE, call("en", LINES))
    assert LINES[1][3] not in recording.asked  # the customer's half is not read
    assert sorted(recording.asked) == sorted([LINES[0][3], LINES[2][3], LINES[3][3]])


def test_a_rude_agent_measures_less_polite_than_a_courteous_one() -> None:
    courteous = [
        ("agent", 0.0, 3.0, "Good afternoon, thank you so much for calling, how may I help?"),
        ("agent", 4.0, 7.0, "Would you mind reading me the card number, please?"),
    ]
    rude = [
        ("agent", 0.0, 3.0, "What do you want now? Hurry up."),
        ("agent", 4.0, 7.0, "Just give me the stupid card number already."),
    ]
    polite, impolite = (measure_politeness(call("en", lines)) for lines in (courteous, rude))
    assert polite is not None and impolite is not None
    assert polite.mean > 0.5 > impolite.mean
