"""My scores, as an agent: own evaluations, weak spots, acknowledging, disputing, and what
comes back (the reviewer's resolution and comments, the coach's feedback)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Selectbox

from qa.queries.review import ReviewSubmission, VerdictDecision, submit_review
from qa.storage.db import session_scope
from qa.storage.models import CoachingSession, Dispute, Evaluation, ReviewQueueItem, User
from qa.storage.scorecard_store import sync_shipped_scorecards
from tests.ui.conftest import politeness_lines, viewer_for
from tests.ui.seed import Seeded

PageAs = Callable[[str, str], AppTest]


def _evaluation_picker(at: AppTest) -> Selectbox[Any]:
    return next(s for s in at.selectbox if s.label == "Evaluation")


def _choose(at: AppTest, external_id: str) -> AppTest:
    picker = _evaluation_picker(at)
    index = next(i for i, label in enumerate(picker.options) if f" · {external_id} · " in label)
    picker.select_index(index).run()
    return at


def test_an_agent_sees_only_their_own_evaluations_and_weakest_criteria(page_as: PageAs) -> None:
    at = page_as("my_scores", "sara").run()
    assert not at.exception and not at.error
    assert all(" · sara-" in label for label in _evaluation_picker(at).options)
    assert len(_evaluation_picker(at).options) == 3
    assert [m.value for m in at.metric] == ["3", "80.0%", "67%"]
    weakest = at.dataframe[0].value
    assert set(weakest["Criterion"]) == {"Greeting", "No rude language"}
    assert at.get("plotly_chart")


def test_a_failed_verdict_shows_its_evidence_and_coaching_tip(page_as: PageAs) -> None:
    at = _choose(page_as("my_scores", "sara").run(), "sara-1")
    assert "Open with a greeting." in [i.value for i in at.info]
    assert any("سلام، به مرکز تماس خوش آمدید" in h.proto.body for h in at.get("html"))


def test_acknowledging_an_evaluation_is_stored_once(page_as: PageAs, seeded: Seeded) -> None:
    at = _choose(page_as("my_scores", "sara").run(), "sara-2")
    next(b for b in at.button if b.label == "Acknowledge").click().run()
    assert any("You acknowledged this evaluation" in c.value for c in at.caption)
    with session_scope(seeded.url) as session:
        row = session.get(Evaluation, seeded.evaluations["sara-2"])
        assert row is not None and row.acknowledged_at is not None


def _dispute(at: AppTest, reason: str) -> AppTest:
    at.text_area[0].input(reason)
    return at.button(key=f"FormSubmitter:dispute-{_eval_id(at)}-Send dispute").click().run()


def _eval_id(at: AppTest) -> int:
    return int(next(b.key for b in at.button if b.key and b.key.startswith("ack-")).split("-")[1])


def test_a_dispute_needs_a_reason(page_as: PageAs, seeded: Seeded) -> None:
    at = _dispute(_choose(page_as("my_scores", "sara").run(), "sara-1"), "   ")
    assert [e.value for e in at.error] == ["please say why you dispute this verdict"]
    with session_scope(seeded.url) as session:
        assert session.scalars(select(Dispute)).first() is None


def test_a_dispute_goes_to_the_queue_and_its_resolution_comes_back(
    page_as: PageAs, seeded: Seeded
) -> None:
    at = _dispute(_choose(page_as("my_scores", "sara").run(), "sara-1"), "I did greet")
    assert [s.value for s in at.success] == ["Your dispute was sent to the review queue."]
    with session_scope(seeded.url) as session:
        dispute = session.scalars(select(Dispute)).one()
        assert (dispute.criterion, dispute.reason) == ("greeting", "I did greet")
        queued = session.scalars(
            select(ReviewQueueItem).where(ReviewQueueItem.dispute_id == dispute.id)
        ).one()
        assert queued.reason == "dispute" and queued.call_id == seeded.calls["sara-1"]
    review = page_as("call_review", "reviewer")
    review.session_state["review_call_id"] = seeded.calls["sara-1"]
    review.run()
    form = f"r{seeded.calls['sara-1']}-"  # the call's one review form
    review.radio(key=f"{form}d{dispute.id}-decision").set_value("uphold")
    review.text_input(key=f"{form}d{dispute.id}-text").input("You did greet; corrected.")
    evaluation_id = seeded.evaluations["sara-1"]
    review.text_area(key=f"{form}comment").input("Listen to the first second again.")
    review.button(key=f"{form}submit").click().run()
    assert not review.error
    with session_scope(seeded.url) as session:
        human = session.scalars(
            select(Evaluation).where(Evaluation.reviews_evaluation_id == evaluation_id)
        ).one()
        assert {v.criterion: v.outcome for v in human.verdicts}["greeting"] == "pass"
    at = _choose(page_as("my_scores", "sara").run(), "sara-1")
    assert any("**upheld**" in m.value for m in at.markdown)
    assert any("You did greet; corrected." in h.proto.body for h in at.get("html"))
    assert any("Listen to the first second again." in h.proto.body for h in at.get("html"))


def test_feedback_from_coaches_is_listed(page_as: PageAs, seeded: Seeded) -> None:
    with session_scope(seeded.url) as session:
        coach = session.scalars(select(User).where(User.username == "coach")).one()
        session.add(
            CoachingSession(
                agent_id=seeded.agents["sara"], coach_id=coach.id, held_on=date(2026, 11, 10),
                focus_criteria=["greeting"], notes="Greet first, then verify.",
                goals="Greeting on every call", action_items="Use the script card",
            )
        )  # fmt: skip
    at = page_as("my_scores", "sara").run()
    assert [e.label for e in at.expander] == ["10 Nov 2026 with Carl Coach"]
    assert any("Greet first, then verify." in h.proto.body for h in at.get("html"))
    # Did it work: the greeting before the session (sara-1 failed, sara-2 passed, sara-3 on 8 Nov
    # passed) and after it (no calls yet).
    progress = at.dataframe[-1].value
    assert progress.to_dict("records") == [
        {"Focus": "Greeting", "Before": "67%", "After": "—", "Change": "—"}
    ]


def test_a_reviewed_call_counts_once_with_the_reviewers_verdicts(
    page_as: PageAs, seeded: Seeded
) -> None:
    with session_scope(seeded.url) as session:
        submit_review(
            session,
            viewer_for(seeded.url, "reviewer"),
            ReviewSubmission(
                seeded.calls["sara-3"],
                {
                    seeded.evaluations["sara-3"]: (
                        VerdictDecision("no_rude_language", "pass", "The customer said it"),
                    )
                },
            ),
        )
    at = page_as("my_scores", "sara").run()
    # sara-1 80, sara-2 100, sara-3 reviewed from 60 to 100: three calls, all passed.
    assert [m.value for m in at.metric] == ["3", "93.3%", "100%"]
    assert set(at.dataframe[0].value["Criterion"]) == {"Greeting"}
    labels = _evaluation_picker(at).options
    assert len(labels) == 4
    assert any("sara-3" in label and "(reviewed by QA)" in label for label in labels)
    assert any("sara-3" in label and "(automatic, superseded)" in label for label in labels)


def test_evaluations_by_a_replaced_scorecard_version_keep_counting_until_rescored(
    page_as: PageAs, seeded: Seeded
) -> None:
    with session_scope(seeded.url) as session:
        sync_shipped_scorecards(session)  # a new politeness version becomes the active one
    at = page_as("my_scores", "sara").run()
    assert not at.exception and not at.error
    # The agent's trend keeps its three calls (issue 10: activating a version hid history).
    assert [m.value for m in at.metric][0] == "3"
    labels = _evaluation_picker(at).options
    assert len(labels) == 3 and not any("superseded" in label for label in labels)


def test_an_agent_sees_the_trend_of_their_own_politeness_marked_as_no_verdict(
    page_as: PageAs,
) -> None:
    at = page_as("my_scores", "sara").run()
    assert not at.exception and not at.error
    # Her calls measure 0.75, 0.75 and (the rude one) 0.45, all in one week.
    assert politeness_lines(at, "agent") == {"Sara Ahmadi (fa)": [0.65]}
    assert any("not a verdict" in c.value for c in at.caption)
