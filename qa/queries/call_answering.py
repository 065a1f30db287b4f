"""Answering KPIs over every call the PBX reported, evaluated or not: abandonment and 3 rings.

Evaluation dashboards see only recorded, scored calls; an abandoned call never has a recording,
so these figures read the calls table itself (calls whose outcome the telephony data states).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from qa.queries.access import Viewer, ensure_role
from qa.queries.dashboard import DASHBOARD_ROLES, THREE_RINGS_SECONDS
from qa.queries.evaluations_in_view import EvaluationFilter, filter_calls
from qa.storage.models import Call


@dataclass(frozen=True)
class CallAnswering:
    offered: int  # calls with a known outcome (answered or abandoned)
    abandoned: int
    answered_within_three_rings: float | None  # of offered calls with a ring or wait time

    @property
    def abandonment_rate(self) -> float | None:
        return self.abandoned / self.offered if self.offered else None


def call_answering(session: Session, viewer: Viewer, view: EvaluationFilter) -> CallAnswering:
    ensure_role(viewer, *DASHBOARD_ROLES)
    waited = func.coalesce(Call.ring_seconds, Call.wait_seconds)
    # An abandoned call was not answered at all, so it never counts as answered in time.
    in_time = case(((Call.answered.is_(True) & (waited <= THREE_RINGS_SECONDS)), 1.0), else_=0.0)
    row = session.execute(
        filter_calls(
            select(
                func.count(Call.id),
                func.coalesce(func.sum(case((Call.answered.is_(False), 1), else_=0)), 0),
                func.avg(case((waited.is_not(None), in_time))),
            ).where(Call.answered.is_not(None)),
            view,
            viewer,
        )
    ).one()
    within = None if row[2] is None else float(row[2])
    return CallAnswering(int(row[0]), int(row[1]), within)
