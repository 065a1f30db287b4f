"""In a real browser: a call scored by two scorecards is reviewed in one form, with one submit,
which stores a human evaluation per scorecard and closes the call's queue items."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

from qa.pipeline.scoring import call_metadata, score_transcript, store_automatic_evaluations
from qa.storage.db import session_scope
from qa.storage.models import (
    Call,
    Evaluation,
    EvaluationKind,
    QueueStatus,
    ReviewQueueItem,
    ScorecardVersion,
    Transcript,
    VerdictOverride,
)
from qa.storage.scorecard_store import ActiveScorecard, load_version
from qa.storage.transcripts import load_transcript
from tests.ui.browser.conftest import choose, wait_for_app
from tests.ui.seed import SCORECARD_YAML, Seeded

CALL = "ivan-3"  # this flow's own call: no other browser test writes to it
SECOND = SCORECARD_YAML.replace("id: politeness", "id: empathy").replace(
    "name: Politeness", "name: Empathy"
)


@pytest.fixture
def second_scorecard(browser_seeded: Seeded) -> Iterator[int]:
    """An active second scorecard that scored only this call, and the call queued for review.

    Removed afterwards (with the evaluations made with it), so the other browser tests see
    the seed's figures.
    """
    call_id = browser_seeded.calls[CALL]
    with session_scope(browser_seeded.url) as session:
        version = ScorecardVersion(
            scorecard_key="empathy", version="e1", name="Empathy", yaml_text=SECOND, active=True
        )
        session.add(version)
        session.flush()
        call = session.get_one(Call, call_id)
        stored = session.scalars(select(Transcript).where(Transcript.call_id == call_id)).one()
        scored = score_transcript(
            load_transcript(stored),
            call_metadata(call),
            [ActiveScorecard(version.id, load_version(version))],
        )
        store_automatic_evaluations(session, call_id, scored)
        session.add(ReviewQueueItem(call_id=call_id, reason="random"))
        version_id = version.id
    yield version_id
    with session_scope(browser_seeded.url) as session:
        session.execute(delete(Evaluation).where(Evaluation.scorecard_version_id == version_id))
        session.execute(delete(ScorecardVersion).where(ScorecardVersion.id == version_id))


def test_one_submit_stores_every_scorecards_review_and_closes_the_queue_item(
    sign_in: Callable[..., Page], app_url: str, browser_seeded: Seeded, second_scorecard: int
) -> None:
    call_id = browser_seeded.calls[CALL]
    with session_scope(browser_seeded.url) as session:
        automatic = {
            row.scorecard_version_id: row.id
            for row in session.scalars(
                select(Evaluation).where(
                    Evaluation.call_id == call_id, Evaluation.kind == EvaluationKind.automatic
                )
            )
        }
    assert len(automatic) == 2
    empathy = automatic[second_scorecard]
    page = sign_in("reviewer")
    page.goto(f"{app_url}/call_review?call={call_id}")
    page.get_by_role("heading", name="Call review").wait_for()
    wait_for_app(page)
    expect(page.get_by_text("Politeness ·", exact=False).first).to_be_visible()
    expect(page.get_by_text("Empathy ·", exact=False).first).to_be_visible()
    key = f"r{call_id}-{empathy}-greeting"
    choose(page.locator(f".st-key-{key}-outcome"), "Your verdict", "fail")
    reason = page.locator(f".st-key-{key}-reason").get_by_role("textbox")
    expect(reason).to_be_enabled()
    reason.fill("He greeted before the customer was connected")
    reason.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("review by Rita R.")).to_have_count(2)
    with session_scope(browser_seeded.url) as session:
        human = session.scalars(
            select(Evaluation).where(
                Evaluation.call_id == call_id, Evaluation.kind == EvaluationKind.human
            )
        ).all()
        assert sorted(h.reviews_evaluation_id for h in human) == sorted(automatic.values())
        override = session.scalars(
            select(VerdictOverride).where(VerdictOverride.evaluation_id.in_([h.id for h in human]))
        ).one()
        assert (override.criterion, override.new_outcome) == ("greeting", "fail")
        statuses = session.scalars(
            select(ReviewQueueItem.status).where(ReviewQueueItem.call_id == call_id)
        ).all()
        assert statuses and QueueStatus.open not in statuses
