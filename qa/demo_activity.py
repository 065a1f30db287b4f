"""What a QA team's first weeks leave behind, added to the demo so every page has something.

Done through the same workflow functions the pages call (sampling, reviews, a dispute, a
coaching session, assignment), so the demo shows what the app really stores; the history comes
from `qa.demo_history`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.demo_history import add_demo_history
from qa.queries.access import Viewer
from qa.queries.agent_view import raise_dispute
from qa.queries.coaching import SessionForm, record_session
from qa.queries.review import ReviewSubmission, VerdictDecision, submit_review
from qa.queries.review_assignment import assign_calls, set_quota
from qa.queries.users import viewer_of
from qa.review_sampling import sample_calls
from qa.storage.models import Agent, Call, EvaluationKind, ScorecardVersion, User
from qa.storage.models import Evaluation as EvaluationRow
from scorecards.results import Outcome

# (call, criterion to override or None, the reviewer's reason)
REVIEWS = (
    ("demo_en_rude", None, ""),
    ("demo_ru_rude", None, ""),
    ("demo_en_missing_steps", "offer_help", "She offers help in other words: 'what can I do'."),
)
DISPUTE = (
    "mark",
    "demo_en_transferred",
    "resolution",
    "no_unnecessary_transfer",
    "The customer asked for the loans team.",
)
COACHING = ("coach", "A102", date(2026, 10, 15), date(2026, 11, 5))


def add_demo_activity(session: Session) -> None:
    """Reviews, an open dispute, a coaching session, a quota and an assignment, and weeks of
    back-dated history scored with an older scorecard version."""
    sample_calls(session)
    reviewer = _viewer(session, "reviewer")
    for external_id, criterion, reason in REVIEWS:
        automatic = _automatic(session, external_id)
        decisions: dict[int, tuple[VerdictDecision, ...]] = {row.id: () for row in automatic}
        if criterion is not None:
            for row in automatic:
                verdict = next((v for v in row.verdicts if v.criterion == criterion), None)
                if verdict is not None:
                    flipped: Outcome = "pass" if verdict.outcome != "pass" else "fail"
                    decisions[row.id] = (VerdictDecision(criterion, flipped, reason),)
        call_id = automatic[0].call_id
        submit_review(session, reviewer, ReviewSubmission(call_id, decisions, seen_evaluation_id=0))
    username, external_id, scorecard, criterion, reason = DISPUTE
    disputed = next(
        row
        for row in _automatic(session, external_id)
        if row.scorecard_version.scorecard_key == scorecard
    )
    raise_dispute(session, _viewer(session, username), disputed.id, criterion, reason)
    coach, agent_external_id, held_on, follow_up = COACHING
    agent = session.scalars(select(Agent).where(Agent.external_id == agent_external_id)).one()
    record_session(
        session,
        _viewer(session, coach),
        SessionForm(
            agent_id=agent.id,
            held_on=held_on,
            notes="Listened to the rude call together; agreed on calm openings.",
            goals="No rude remarks; greet and offer help on every call.",
            action_items="Re-read the opening script; shadow Anna for one shift.",
            follow_up_on=follow_up,
            focus_criteria=("no_rude_language", "greeting"),
        ),
    )
    lead = _viewer(session, "lead")  # the QA lead hands out the week's work
    set_quota(session, lead, reviewer.user_id, 5)
    transferred = _automatic(session, "demo_ru_transferred")[0].call_id
    assign_calls(session, lead, [transferred], reviewer.user_id)
    add_demo_history(session)


def _viewer(session: Session, username: str) -> Viewer:
    return viewer_of(session.scalars(select(User).where(User.username == username)).one())


def _automatic(session: Session, external_id: str) -> list[EvaluationRow]:
    """The call's automatic evaluations by the active scorecard versions."""
    return list(
        session.scalars(
            select(EvaluationRow)
            .join(Call, Call.id == EvaluationRow.call_id)
            .join(ScorecardVersion, ScorecardVersion.id == EvaluationRow.scorecard_version_id)
            .where(
                Call.external_id == external_id,
                EvaluationRow.kind == EvaluationKind.automatic,
                ScorecardVersion.active.is_(True),
            )
            .order_by(EvaluationRow.id)
        )
    )
