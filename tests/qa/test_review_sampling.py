"""Targeted picks of the review sampling beyond the seed's: long silences, a customer who ended
the call upset, and an agent's dispute, each queued once with its reason."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from qa.queries.agent_view import raise_dispute
from qa.review_sampling import DISPUTE, LONG_SILENCE, NEGATIVE_SENTIMENT, sample_calls
from qa.storage.db import session_scope
from qa.storage.models import (
    Call,
    ReviewQueueItem,
    Transcript,
    TranscriptUtterance,
)
from qa.storage.scorecard_store import sync_shipped_scorecards
from tests.ui.seed import Seeded, viewer_named


@pytest.fixture
def seeded(seeded_database: Seeded) -> Seeded:
    return seeded_database


def _reasons(url: str, external_id: str) -> list[str]:
    with session_scope(url) as session:
        return sorted(
            session.scalars(
                select(ReviewQueueItem.reason)
                .join(Call, Call.id == ReviewQueueItem.call_id)
                .where(Call.external_id == external_id)
            )
        )


def test_a_long_silence_and_a_customer_who_ends_upset_are_picked(seeded: Seeded) -> None:
    with session_scope(seeded.url) as session:
        session.execute(
            update(Transcript)
            .where(Transcript.call_id == seeded.calls["gina-1"])
            .values(longest_silence=25.0)
        )
        # ivan-1's customer gave feedback 5 but ends the call upset (the seed's ends thanking).
        transcript = select(Transcript.id).where(Transcript.call_id == seeded.calls["ivan-1"])
        session.execute(
            update(TranscriptUtterance)
            .where(
                TranscriptUtterance.transcript_id == transcript.scalar_subquery(),
                TranscriptUtterance.position == 3,
            )
            .values(text="Это ужасно, я очень недоволен.")
        )
        sample_calls(session)
    assert LONG_SILENCE in _reasons(seeded.url, "gina-1")
    assert LONG_SILENCE not in _reasons(seeded.url, "gina-2")
    assert NEGATIVE_SENTIMENT in _reasons(seeded.url, "ivan-1")
    assert NEGATIVE_SENTIMENT not in _reasons(seeded.url, "sara-1")


def test_a_dispute_queues_its_call_once_and_sampling_again_adds_nothing(seeded: Seeded) -> None:
    with session_scope(seeded.url) as session:
        sara = viewer_named(seeded.url, "sara")
        raise_dispute(session, sara, seeded.evaluations["sara-2"], "greeting", "I did greet")
    with session_scope(seeded.url) as session:
        sample_calls(session)
    before = _reasons(seeded.url, "sara-2")
    with session_scope(seeded.url) as session:
        assert sample_calls(session) == 0
    assert before.count(DISPUTE) == 1
    assert _reasons(seeded.url, "sara-2") == before


def test_evaluations_that_no_longer_count_are_not_sampled(seeded: Seeded) -> None:
    with session_scope(seeded.url) as session:
        sync_shipped_scorecards(session)  # the seeded politeness version is replaced
    with session_scope(seeded.url) as session:
        assert sample_calls(session) == 0
