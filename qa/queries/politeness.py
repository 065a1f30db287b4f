"""Politeness trends: the agents' measured politeness per week, for My scores and dashboards.

A measurement, not a verdict (see scorecards.politeness): it is averaged per week and group in
SQL and kept apart per call language, because the model's level is not comparable across
languages (bench/politeness.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from qa.queries.access import Viewer, ensure_role, scope_calls
from qa.queries.agent_view import waiting_for_review
from qa.queries.dashboard import DASHBOARD_ROLES
from qa.queries.evaluations_in_view import EvaluationFilter, filter_calls
from qa.queries.sql_functions import as_date
from qa.queries.weekly import GroupBy, WeeklyGroups, weekly_groups
from qa.storage.models import Call, CallPoliteness, Role


@dataclass(frozen=True)
class PolitenessWeek:
    week: date  # the week's first day
    group_name: str  # team or agent; the agent's own name on My scores
    language: str
    calls: int
    mean: float  # average over the calls of their mean P(polite)
    lowest: float  # average over the calls of their least polite utterance


def politeness_trend(
    session: Session,
    view: EvaluationFilter,
    viewer: Viewer,
    by: GroupBy = "team",
    week_starts_on: int = 0,
) -> list[PolitenessWeek]:
    """Per week (from `week_starts_on`, 0 Monday), team (or agent) and call language, over the
    calls in view."""
    ensure_role(viewer, *DASHBOARD_ROLES)
    weekly = weekly_groups(Call, by, week_starts_on)
    statement = filter_calls(_weekly(weekly), view, viewer)
    return _weeks(session, statement, weekly.unnamed)


def my_politeness_trend(
    session: Session, viewer: Viewer, week_starts_on: int = 0
) -> list[PolitenessWeek]:
    """The agent's own calls per week and language; a call whose uncertain verdict waits for
    a reviewer is held back, as its evaluation is."""
    ensure_role(viewer, Role.agent)
    weekly = weekly_groups(Call, "agent", week_starts_on)
    statement = _weekly(weekly).where(~waiting_for_review(Call.id))
    return _weeks(session, scope_calls(statement, viewer), "")


def _weekly(weekly: WeeklyGroups) -> Select[Any]:
    week, group, model = weekly.week, weekly.group, weekly.model
    language = func.coalesce(Call.language, "")
    return (
        select(
            week,
            func.max(model.name),
            language,
            func.count(),
            func.avg(CallPoliteness.mean),
            func.avg(CallPoliteness.lowest),
        )
        .select_from(CallPoliteness)
        .join(Call, Call.id == CallPoliteness.call_id)
        .outerjoin(model, model.id == group)
        .group_by(week, group, language)
        .order_by(week, func.max(model.name), language)
    )


def _weeks(session: Session, statement: Select[Any], unnamed: str) -> list[PolitenessWeek]:
    return [
        PolitenessWeek(
            week=as_date(row[0]),
            group_name=row[1] or unnamed,
            language=row[2],
            calls=int(row[3]),
            mean=float(row[4]),
            lowest=float(row[5]),
        )
        for row in session.execute(statement)
    ]
