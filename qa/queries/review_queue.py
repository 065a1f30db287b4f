"""The review queue: calls waiting for a human review, filtered the way reviewers work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa.queries.access import REVIEWERS, Viewer, ensure_role, scope_calls
from qa.queries.call_review import user_names
from qa.queries.review_assignment import live_claims
from qa.storage.models import (
    Agent,
    Call,
    Client,
    QueueStatus,
    ReviewQueueItem,
    Team,
)
from qa.storage.models import Evaluation as EvaluationRow


@dataclass(frozen=True)
class QueueFilter:
    client_id: int | None = None
    team_id: int | None = None
    agent_id: int | None = None
    language: str | None = None
    start: date | None = None
    end: date | None = None
    max_score: float | None = None
    reason: str | None = None
    assigned_to_id: int | None = None  # "My queue": the viewer's own assigned calls


@dataclass(frozen=True)
class QueueEntry:
    item_id: int
    call_id: int
    call_external_id: str
    reason: str
    started_at: datetime
    client: str
    team: str | None
    agent: str | None
    language: str | None
    score: float | None
    queued_at: datetime
    assigned_to: str | None = None
    in_review_by: str | None = None  # a reviewer's live claim


def review_queue(session: Session, viewer: Viewer, view: QueueFilter) -> list[QueueEntry]:
    """Open queue items, oldest call first, with the call's lowest score that counts."""
    ensure_role(viewer, *REVIEWERS)
    lowest = (
        select(EvaluationRow.call_id, func.min(EvaluationRow.score).label("score"))
        .where(EvaluationRow.counts.is_(True))
        .group_by(EvaluationRow.call_id)
        .subquery()
    )
    statement = (
        select(
            ReviewQueueItem,
            Call.external_id,
            Call.started_at,
            Client.name,
            Team.name,
            Agent.name,
            Call.language,
            lowest.c.score,
        )
        .join(Call, Call.id == ReviewQueueItem.call_id)
        .join(Client, Client.id == Call.client_id)
        .outerjoin(Team, Team.id == Call.team_id)
        .outerjoin(Agent, Agent.id == Call.agent_id)
        .outerjoin(lowest, lowest.c.call_id == Call.id)
        .where(ReviewQueueItem.status == QueueStatus.open)
        .order_by(Call.started_at, ReviewQueueItem.id)
    )
    conditions = {
        Call.client_id: view.client_id,
        Call.team_id: view.team_id,
        Call.agent_id: view.agent_id,
        Call.language: view.language,
        ReviewQueueItem.reason: view.reason,
        ReviewQueueItem.assigned_to_id: view.assigned_to_id,
    }
    for column, value in conditions.items():
        if value is not None:
            statement = statement.where(column == value)
    if view.start is not None:
        statement = statement.where(Call.started_at >= _midnight(view.start))
    if view.end is not None:
        statement = statement.where(Call.started_at < _midnight(view.end + timedelta(days=1)))
    if view.max_score is not None:
        statement = statement.where(lowest.c.score <= view.max_score)
    rows = session.execute(scope_calls(statement, viewer)).all()
    claims = live_claims(session, [row[0].call_id for row in rows])
    names = user_names(session)
    return [
        QueueEntry(
            item_id=item.id,
            call_id=item.call_id,
            call_external_id=external_id,
            reason=item.reason,
            started_at=started_at,
            client=client,
            team=team,
            agent=agent,
            language=language,
            score=score,
            queued_at=item.created_at,
            assigned_to=names.get(item.assigned_to_id) if item.assigned_to_id else None,
            in_review_by=claims[item.call_id].reviewer if item.call_id in claims else None,
        )
        for item, external_id, started_at, client, team, agent, language, score in rows
    ]


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
