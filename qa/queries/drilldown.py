"""The calls behind one point of a dashboard chart: a week of a team or agent, a criterion's
failures, or a score band. Same filter and scope as the chart, so the list adds up to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from qa.queries.access import Viewer, ensure_role
from qa.queries.dashboard import DASHBOARD_ROLES, SCORE_BUCKET_WIDTH
from qa.queries.evaluations_in_view import EvaluationFilter, counted_evaluations, day_start_utc
from qa.storage.models import Agent, Call, CriterionVerdictRecord

MAX_CALLS = 200


@dataclass(frozen=True)
class WeekPoint:
    """A point of the score trend: one week of one team or agent (None: calls without one)."""

    week: date
    by: Literal["team", "agent"]
    group_id: int | None


@dataclass(frozen=True)
class CriterionBar:
    """A bar of the failure rates: the calls where this criterion failed."""

    scorecard_key: str
    criterion: str


@dataclass(frozen=True)
class ScoreBand:
    """A bar of the score distribution: lower <= score < lower + width (100 in the top band)."""

    lower: int


ChartPoint = WeekPoint | CriterionBar | ScoreBand


@dataclass(frozen=True)
class CallBehind:
    call_id: int
    external_id: str
    started_at: datetime
    agent: str | None
    scorecard_key: str
    score: float
    passed: bool


def calls_behind(
    session: Session, viewer: Viewer, view: EvaluationFilter, point: ChartPoint
) -> list[CallBehind]:
    """The counted evaluations (with their calls) that make up `point`, newest first."""
    ensure_role(viewer, *DASHBOARD_ROLES)
    counted = counted_evaluations(view, viewer)
    statement = (
        select(
            counted.c.call_id,
            Call.external_id,
            counted.c.started_at,
            Agent.name,
            counted.c.scorecard_key,
            counted.c.score,
            counted.c.passed,
        )
        .join(Call, Call.id == counted.c.call_id)
        .outerjoin(Agent, Agent.id == counted.c.agent_id)
        .order_by(counted.c.started_at.desc(), counted.c.call_id)
        .limit(MAX_CALLS)
    )
    if isinstance(point, WeekPoint):
        column = counted.c.team_id if point.by == "team" else counted.c.agent_id
        statement = statement.where(
            counted.c.started_at >= day_start_utc(point.week),
            counted.c.started_at < day_start_utc(point.week + timedelta(days=7)),
            column.is_(None) if point.group_id is None else column == point.group_id,
        )
    elif isinstance(point, CriterionBar):
        statement = statement.join(
            CriterionVerdictRecord, CriterionVerdictRecord.evaluation_id == counted.c.evaluation_id
        ).where(
            counted.c.scorecard_key == point.scorecard_key,
            CriterionVerdictRecord.criterion == point.criterion,
            CriterionVerdictRecord.outcome == "fail",
        )
    else:
        statement = statement.where(_in_band(counted.c.score, point.lower))
    return [CallBehind(*row) for row in session.execute(statement)]


def _in_band(score: ColumnElement[float], lower: int) -> ColumnElement[bool]:
    if lower + SCORE_BUCKET_WIDTH >= 100:
        return score >= lower
    return and_(score >= lower, score < lower + SCORE_BUCKET_WIDTH)
