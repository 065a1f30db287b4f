"""Dashboard aggregations: KPI tiles, trends, failure rates, distribution and leaderboard.

Every figure is computed by one GROUP BY in the database over the evaluations that count
(see `qa.queries.evaluations_in_view`), restricted to what the viewer may see.

KPIs follow the source documents' list (timely answering, handling time, waiting, customer
feedback, call quality). Abandonment rate is on that list too but is not in our data: only
answered, recorded calls reach the platform, so an abandoned call never arrives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    ColumnElement,
    Float,
    case,
    cast,
    func,
    select,
    true,
)
from sqlalchemy.orm import Session

from qa.queries.access import REVIEWERS, Viewer, ensure_role, scope_calls
from qa.queries.evaluations_in_view import (
    EvaluationFilter,
    counted_evaluation_ids,
    counted_evaluations,
    filter_calls,
    narrows_calls,
)
from qa.queries.scorecards import VersionView, version_view
from qa.queries.sql_functions import as_date, floor_int
from qa.queries.weekly import GroupBy, weekly_groups
from qa.storage.models import (
    Agent,
    Call,
    CallStatus,
    CriterionVerdictRecord,
    Role,
    ScorecardVersion,
    Team,
    Transcript,
)

# Three rings at the common 6-second ring cadence (2 s ring, 4 s pause): the "answer within
# three rings" rule of the call-center SOP, measured from the telephony ring time.
RING_SECONDS = 6.0
THREE_RINGS_SECONDS = 3 * RING_SECONDS
SCORE_BUCKET_WIDTH = 10
# Agents read their own numbers on My scores; dashboards compare people, so they are not for them.
DASHBOARD_ROLES = (*REVIEWERS, Role.coach, Role.client_viewer)


@dataclass(frozen=True)
class KpiTiles:
    calls: int
    evaluations: int
    average_score: float | None
    pass_rate: float | None
    critical_fail_rate: float | None
    answered_within_three_rings: float | None  # share of calls with a known ring time
    abandonment_rate: float | None  # share of inbound calls in view the caller abandoned
    average_handle_seconds: float | None
    average_hold_seconds: float | None
    average_silence_seconds: float | None
    average_longest_silence_seconds: float | None
    average_customer_feedback: float | None
    feedback_responses: int


@dataclass(frozen=True)
class TrendPoint:
    week: date  # the first day of the week
    group_id: int | None
    group_name: str
    evaluations: int
    average_score: float
    pass_rate: float


@dataclass(frozen=True)
class CriterionFailureRate:
    scorecard_key: str
    criterion: str
    name: str
    applicable: int  # verdicts that passed or failed; "na" ones are not counted
    failed: int

    @property
    def failure_rate(self) -> float:
        return self.failed / self.applicable if self.applicable else 0.0


@dataclass(frozen=True)
class ScoreBucket:
    lower: int
    upper: int  # exclusive, except the last bucket which includes 100
    evaluations: int


@dataclass(frozen=True)
class AgentSummary:
    agent_id: int
    agent_name: str
    team_name: str
    evaluations: int
    average_score: float
    pass_rate: float
    critical_fails: int


def _share(condition: ColumnElement[bool]) -> ColumnElement[float]:
    """Average of a condition as 1.0/0.0: a share computed in SQL."""
    return func.avg(case((condition, 1.0), else_=0.0))


def _ratio(value: float | Decimal | None) -> float | None:
    return None if value is None else float(value)


def kpi_tiles(session: Session, view: EvaluationFilter, viewer: Viewer) -> KpiTiles:
    """The headline numbers; call-level KPIs describe the calls that have a counted evaluation."""
    ensure_role(viewer, *DASHBOARD_ROLES)
    counted = counted_evaluations(view, viewer)
    scores = session.execute(
        select(
            func.count(),
            func.avg(counted.c.score),
            _share(counted.c.passed.is_(True)),
            _share(counted.c.critical_failed.is_(True)),
        ).select_from(counted)
    ).one()
    within = case((Call.ring_seconds <= THREE_RINGS_SECONDS, 1.0), else_=0.0)
    call_ids = select(counted_evaluation_ids(view, viewer).c.call_id)
    calls = session.execute(
        scope_calls(
            select(
                func.count(Call.id),
                func.avg(case((Call.ring_seconds.is_not(None), within))),
                func.avg(Call.handle_seconds),
                func.avg(Transcript.hold_time),
                func.avg(Transcript.total_silence),
                func.avg(Transcript.longest_silence),
                func.avg(Call.customer_feedback),
                func.count(Call.customer_feedback),
            )
            .select_from(Call)
            .outerjoin(Transcript, Transcript.call_id == Call.id)
            .where(Call.id.in_(call_ids)),
            viewer,
        )
    ).one()
    return KpiTiles(
        calls=int(calls[0]),
        evaluations=int(scores[0]),
        average_score=_ratio(scores[1]),
        pass_rate=_ratio(scores[2]),
        critical_fail_rate=_ratio(scores[3]),
        answered_within_three_rings=_ratio(calls[1]),
        abandonment_rate=abandonment_rate(session, view, viewer),
        average_handle_seconds=_ratio(calls[2]),
        average_hold_seconds=_ratio(calls[3]),
        average_silence_seconds=_ratio(calls[4]),
        average_longest_silence_seconds=_ratio(calls[5]),
        average_customer_feedback=_ratio(calls[6]),
        feedback_responses=int(calls[7]),
    )


def abandonment_rate(session: Session, view: EvaluationFilter, viewer: Viewer) -> float | None:
    """Abandoned inbound calls over all inbound calls offered (answered or not) in view.

    A queue's figure: abandoned calls reached no agent and were never transcribed, so a view
    narrowed to one agent or language has no abandonment rate.
    """
    ensure_role(viewer, *DASHBOARD_ROLES)
    if view.agent_id is not None or view.language is not None:
        return None
    offered = filter_calls(
        select(func.count(Call.id), _share(Call.status == CallStatus.abandoned)).where(
            Call.direction == "inbound"
        ),
        view,
        viewer,
    )
    count, share = session.execute(offered).one()
    return _ratio(share) if count else None


def score_trend(
    session: Session,
    view: EvaluationFilter,
    viewer: Viewer,
    by: GroupBy = "team",
    week_starts_on: int = 0,
) -> list[TrendPoint]:
    """Average score and pass rate per week and team (or agent), oldest week first.

    Weeks start on `week_starts_on` (0 Monday, 5 Saturday: the reader's language decides).
    """
    ensure_role(viewer, *DASHBOARD_ROLES)
    counted = counted_evaluations(view, viewer)
    weekly = weekly_groups(counted.c, by, week_starts_on)
    week = weekly.week.label("week")
    grouped = (
        select(
            week,
            weekly.group.label("group_id"),
            func.count().label("evaluations"),
            func.avg(counted.c.score).label("average_score"),
            _share(counted.c.passed.is_(True)).label("pass_rate"),
        )
        .group_by(week, weekly.group)
        .subquery()
    )
    rows = session.execute(
        select(grouped, weekly.model.name)
        .outerjoin(weekly.model, weekly.model.id == grouped.c.group_id)
        .order_by(grouped.c.week, weekly.model.name)
    ).all()
    return [
        TrendPoint(
            week=as_date(row[0]),
            group_id=row[1],
            group_name=row[5] or weekly.unnamed,
            evaluations=int(row[2]),
            average_score=float(row[3]),
            pass_rate=float(row[4]),
        )
        for row in rows
    ]


def criterion_failure_rates(
    session: Session, view: EvaluationFilter, viewer: Viewer
) -> list[CriterionFailureRate]:
    """How often each criterion failed where it applied, worst first.

    Verdicts carry their evaluation's `counts` flag and scorecard version, so when no call
    is filtered out the counts come from one index (ix_verdicts_counted) with no join.
    """
    ensure_role(viewer, *DASHBOARD_ROLES)
    verdict = CriterionVerdictRecord
    columns = (
        verdict.scorecard_version_id,
        verdict.criterion,
        verdict.outcome,
        func.max(verdict.name),
        func.count(),
    )
    if narrows_calls(view, viewer):
        counted = counted_evaluation_ids(view, viewer)
        statement = select(*columns).join(counted, counted.c.evaluation_id == verdict.evaluation_id)
    else:
        statement = select(*columns).where(verdict.counts == true())
        if view.scorecard_key is not None:
            of_key = ScorecardVersion.scorecard_key == view.scorecard_key
            statement = statement.where(
                verdict.scorecard_version_id.in_(select(ScorecardVersion.id).where(of_key))
            )
        if view.scorecard_version_id is not None:
            statement = statement.where(verdict.scorecard_version_id == view.scorecard_version_id)
    rows = session.execute(
        statement.group_by(verdict.scorecard_version_id, verdict.criterion, verdict.outcome)
    ).all()
    keys = dict(session.execute(select(ScorecardVersion.id, ScorecardVersion.scorecard_key)).all())
    return _failure_rates((keys[row[0]], row[1], row[2], row[3], int(row[4])) for row in rows)


def _failure_rates(
    groups: Iterable[tuple[str, str, str, str, int]],
) -> list[CriterionFailureRate]:
    """Fold (scorecard, criterion, outcome, name, verdicts) groups into rates, worst first."""
    names: dict[tuple[str, str], str] = {}
    applicable: Counter[tuple[str, str]] = Counter()
    failed: Counter[tuple[str, str]] = Counter()
    for scorecard_key, criterion, outcome, name, verdicts in groups:
        key = (scorecard_key, criterion)
        names[key] = max(names.get(key, name), name)
        applicable[key] += verdicts if outcome in ("pass", "fail") else 0
        failed[key] += verdicts if outcome == "fail" else 0
    rates = [
        CriterionFailureRate(
            scorecard_key=key[0],
            criterion=key[1],
            name=name,
            applicable=applicable[key],
            failed=failed[key],
        )
        for key, name in names.items()
    ]
    return sorted(rates, key=lambda r: (-r.failure_rate, r.scorecard_key, r.criterion))


def score_distribution(
    session: Session, view: EvaluationFilter, viewer: Viewer
) -> list[ScoreBucket]:
    """How many counted evaluations fall into each 10-point score band (90-100 is one band)."""
    ensure_role(viewer, *DASHBOARD_ROLES)
    counted = counted_evaluations(view, viewer)
    top = 100 // SCORE_BUCKET_WIDTH - 1
    bucket = case(
        (counted.c.score >= 100, top),
        else_=floor_int(cast(counted.c.score, Float) / SCORE_BUCKET_WIDTH),
    ).label("bucket")
    counts: dict[int, int] = dict(
        session.execute(select(bucket, func.count()).select_from(counted).group_by(bucket)).all()
    )
    return [
        ScoreBucket(
            lower=index * SCORE_BUCKET_WIDTH,
            upper=(index + 1) * SCORE_BUCKET_WIDTH,
            evaluations=int(counts.get(index, 0)),
        )
        for index in range(top + 1)
    ]


def agent_leaderboard(
    session: Session, view: EvaluationFilter, viewer: Viewer
) -> list[AgentSummary]:
    """Per-agent summary, best average score first."""
    ensure_role(viewer, *DASHBOARD_ROLES)
    counted = counted_evaluations(view, viewer)
    grouped = (
        select(
            counted.c.agent_id,
            func.count().label("evaluations"),
            func.avg(counted.c.score).label("average_score"),
            _share(counted.c.passed.is_(True)).label("pass_rate"),
            func.sum(case((counted.c.critical_failed.is_(True), 1), else_=0)).label("critical"),
        )
        # Calls without an agent form one group that the inner join below drops; filtering
        # them out here instead would lead SQLite to walk every call by agent.
        .group_by(counted.c.agent_id)
        .subquery()
    )
    rows = session.execute(
        select(grouped, Agent.name, Team.name)
        .join(Agent, Agent.id == grouped.c.agent_id)
        .outerjoin(Team, Team.id == Agent.team_id)
        .order_by(grouped.c.average_score.desc(), Agent.name)
    ).all()
    return [
        AgentSummary(
            agent_id=row[0],
            evaluations=int(row[1]),
            average_score=float(row[2]),
            pass_rate=float(row[3]),
            critical_fails=int(row[4] or 0),
            agent_name=row[5],
            team_name=row[6] or "",
        )
        for row in rows
    ]


def scorecard_keys(session: Session, viewer: Viewer) -> tuple[str, ...]:
    """The scorecards a viewer can filter by (scorecards are not client data: all are listed)."""
    ensure_role(viewer, *DASHBOARD_ROLES)
    keys = session.scalars(
        select(ScorecardVersion.scorecard_key).distinct().order_by(ScorecardVersion.scorecard_key)
    )
    return tuple(keys)


def scorecard_versions(
    session: Session, viewer: Viewer, scorecard_key: str
) -> tuple[VersionView, ...]:
    """A scorecard's versions to filter by, newest first (scorecards are not client data)."""
    ensure_role(viewer, *DASHBOARD_ROLES)
    rows = session.scalars(
        select(ScorecardVersion)
        .where(ScorecardVersion.scorecard_key == scorecard_key)
        .order_by(ScorecardVersion.id.desc())
    )
    return tuple(version_view(row) for row in rows)


def call_date_span(session: Session, viewer: Viewer) -> tuple[date, date] | None:
    """The first and last call day the viewer can see (None when they see no calls)."""
    ensure_role(viewer, *DASHBOARD_ROLES)
    first, last = session.execute(
        scope_calls(select(func.min(Call.started_at), func.max(Call.started_at)), viewer)
    ).one()
    if first is None or last is None:
        return None
    return as_date(first), as_date(last)
