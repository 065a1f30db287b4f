"""Events read from what is stored: counted evaluations, disputes, coaching follow-ups.

Reading state rather than hooking every writer means nothing has to remember to emit, and a
dispatcher that was down catches up by itself. Payloads carry ids and figures, never transcript
text or a dispute's wording, so no personal data leaves through a webhook.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from qa.notifications.config import ResultEvent
from qa.storage.models import (
    Agent,
    Call,
    CoachingSession,
    Dispute,
    Evaluation,
    EvaluationKind,
    ScorecardVersion,
)


class EventChoice(Protocol):
    """What a webhook endpoint or a digest subscriber chose to hear about."""

    @property
    def events(self) -> tuple[ResultEvent, ...]: ...
    @property
    def score_below(self) -> float | None: ...
    @property
    def lookback_days(self) -> int: ...


@dataclass(frozen=True)
class PendingEvent:
    event: ResultEvent
    subject_id: int
    payload: dict[str, Any]


def events_for(session: Session, endpoint: EventChoice, now: datetime) -> Iterator[PendingEvent]:
    """Every event of the chosen kinds since the look-back window began."""
    since = now - timedelta(days=endpoint.lookback_days)
    wanted = set(endpoint.events)
    if wanted & {ResultEvent.critical_failed, ResultEvent.score_below}:
        yield from _evaluation_events(session, endpoint, since)
    if ResultEvent.dispute_opened in wanted:
        yield from _dispute_events(session, since)
    if ResultEvent.coaching_due in wanted:
        yield from _coaching_events(session, now.date())


def _evaluation_events(
    session: Session, endpoint: EventChoice, since: datetime
) -> Iterator[PendingEvent]:
    rows = session.execute(
        select(Evaluation, ScorecardVersion.scorecard_key, Call.external_id, Agent.external_id)
        .join(ScorecardVersion, ScorecardVersion.id == Evaluation.scorecard_version_id)
        .join(Call, Call.id == Evaluation.call_id)
        .outerjoin(Agent, Agent.id == Call.agent_id)
        .where(Evaluation.counts == true(), Evaluation.created_at >= since)
    )
    for evaluation, scorecard, call, agent in rows:
        payload = {
            "call": call,
            "agent": agent,
            "scorecard": scorecard,
            "score": evaluation.score,
            "passed": evaluation.passed,
            "reviewed_by_human": evaluation.kind is EvaluationKind.human,
        }
        if ResultEvent.critical_failed in endpoint.events and evaluation.critical_failed:
            yield PendingEvent(ResultEvent.critical_failed, evaluation.id, payload)
        threshold = endpoint.score_below
        if (
            ResultEvent.score_below in endpoint.events
            and threshold is not None
            and evaluation.score < threshold
        ):
            yield PendingEvent(
                ResultEvent.score_below, evaluation.id, payload | {"threshold": threshold}
            )


def _dispute_events(session: Session, since: datetime) -> Iterator[PendingEvent]:
    rows = session.execute(
        select(Dispute, Call.external_id, Agent.external_id, ScorecardVersion.scorecard_key)
        .join(Evaluation, Evaluation.id == Dispute.evaluation_id)
        .join(ScorecardVersion, ScorecardVersion.id == Evaluation.scorecard_version_id)
        .join(Call, Call.id == Evaluation.call_id)
        .outerjoin(Agent, Agent.id == Call.agent_id)
        .where(Dispute.created_at >= since)
    )
    for dispute, call, agent, scorecard in rows:
        yield PendingEvent(
            ResultEvent.dispute_opened,
            dispute.id,
            {"call": call, "agent": agent, "scorecard": scorecard, "criterion": dispute.criterion},
        )


def _coaching_events(session: Session, today: date) -> Iterator[PendingEvent]:
    rows = session.execute(
        select(CoachingSession, Agent.external_id)
        .join(Agent, Agent.id == CoachingSession.agent_id)
        .where(CoachingSession.follow_up_on.is_not(None), CoachingSession.follow_up_on <= today)
    )
    for coaching, agent in rows:
        assert coaching.follow_up_on is not None
        yield PendingEvent(
            ResultEvent.coaching_due,
            coaching.id,
            {"coaching_session": coaching.id, "agent": agent,
             "follow_up_on": coaching.follow_up_on.isoformat()},
        )  # fmt: skip
