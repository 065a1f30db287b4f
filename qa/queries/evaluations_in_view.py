"""Which evaluations a dashboard, a coaching view or an export counts, selected in SQL.

A call may carry several evaluations per scorecard: the automatic one of each scorecard version
it was scored with, and any number of human reviews. Exactly one of them counts per call and
scorecard: the latest human evaluation if a reviewer looked at the call (a person's judgement
overrides the machine's, whatever version the human used), else the latest automatic evaluation
made with the scorecard's active version (older versions are history, not today's standard).
The writers record that choice in `evaluations.counts`; every aggregation filters on it in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, and_, select, true
from sqlalchemy.orm import QueryableAttribute

from qa.errors import QAError
from qa.i18n import _
from qa.queries.access import S, Viewer, scope_calls
from qa.storage.models import Call, Evaluation, ScorecardVersion


@dataclass(frozen=True)
class EvaluationFilter:
    """What the user narrowed the view to; None means no restriction. Dates are inclusive."""

    start: date | None = None
    end: date | None = None
    client_id: int | None = None
    team_id: int | None = None
    agent_id: int | None = None
    language: str | None = None
    scorecard_key: str | None = None
    # One version of the scorecard: only the counted evaluations made with it. The versions of a
    # scorecard split its counted evaluations between them, so they add up to "all versions".
    scorecard_version_id: int | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise QAError(
                _("the date range is empty: {start} is after {end}").format(
                    start=self.start, end=self.end
                )
            )


def day_start_utc(day: date) -> datetime:
    """Calls are stored in UTC, so a calendar day of the filter starts at its UTC midnight."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def narrows_calls(view: EvaluationFilter, viewer: Viewer) -> bool:
    """Whether the viewer's scope or the filter leaves out some calls (the scorecard aside)."""
    call_filters = (view.start, view.end, view.client_id, view.team_id, view.agent_id)
    return not viewer.sees_everything or any(f is not None for f in (*call_filters, view.language))


def filter_calls(statement: S, view: EvaluationFilter, viewer: Viewer) -> S:
    """Apply the viewer's access scope and the filter's call-level conditions to a statement."""
    conditions = []
    if view.start is not None:
        conditions.append(Call.started_at >= day_start_utc(view.start))
    if view.end is not None:
        conditions.append(Call.started_at < day_start_utc(view.end + timedelta(days=1)))
    if view.client_id is not None:
        conditions.append(Call.client_id == view.client_id)
    if view.team_id is not None:
        conditions.append(Call.team_id == view.team_id)
    if view.agent_id is not None:
        conditions.append(Call.agent_id == view.agent_id)
    if view.language is not None:
        conditions.append(Call.language == view.language)
    if conditions:
        statement = statement.where(and_(*conditions))
    return scope_calls(statement, viewer)


def counted_evaluation_ids(view: EvaluationFilter, viewer: Viewer) -> Subquery:
    """The id of the one evaluation per call and scorecard that counts (lean: for joins).

    Columns: evaluation_id, call_id, scorecard_key.
    """
    return _counted(view, viewer).subquery("counted_ids")


def counted_evaluations(view: EvaluationFilter, viewer: Viewer) -> Subquery:
    """The counted evaluations with their scores and the call's grouping columns.

    Columns: evaluation_id, call_id, scorecard_key, kind, score, passed, critical_failed,
    created_at, started_at, client_id, team_id, agent_id.
    """
    return _counted(
        view,
        viewer,
        Evaluation.kind,
        Evaluation.score,
        Evaluation.passed,
        Evaluation.critical_failed,
        Evaluation.created_at,
        Call.started_at,
        Call.client_id,
        Call.team_id,
        Call.agent_id,
    ).subquery("counted")


def in_view(statement: S, view: EvaluationFilter, viewer: Viewer) -> S:
    """Narrow a statement over evaluations and scorecard versions to the calls in view."""
    statement = statement.join(Call, Call.id == Evaluation.call_id)
    if view.scorecard_key is not None:
        statement = statement.where(ScorecardVersion.scorecard_key == view.scorecard_key)
    if view.scorecard_version_id is not None:
        statement = statement.where(ScorecardVersion.id == view.scorecard_version_id)
    return filter_calls(statement, view, viewer)


def _counted(
    view: EvaluationFilter, viewer: Viewer, *columns: ColumnElement[Any] | QueryableAttribute[Any]
) -> Select[Any]:
    """Read from the `counts` flag that the writers keep (see `qa.storage.evaluations`),
    so no GROUP BY runs per query and the call is joined once."""
    counted = (
        select(
            Evaluation.id.label("evaluation_id"),
            Evaluation.call_id,
            ScorecardVersion.scorecard_key,
            *columns,
        )
        .join(ScorecardVersion, ScorecardVersion.id == Evaluation.scorecard_version_id)
        .where(Evaluation.counts == true())  # "= true": indexable on PostgreSQL, unlike "IS"
    )
    return in_view(counted, view, viewer)
