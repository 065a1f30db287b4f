"""Coaching: an agent's example calls, their coaching sessions, and whether the coaching worked.

Coaches and admins read any agent and record sessions; an agent may read their own sessions and
their progress (My scores) and nobody else's. Scores count the same evaluations as the dashboards
(`qa.queries.evaluations_in_view`), so a coach and a dashboard never disagree about a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from qa.errors import AccessDenied, NotFound, QAError
from qa.i18n import N_, _
from qa.queries.access import LEADS, Viewer, ensure_role
from qa.queries.evaluations_in_view import (
    EvaluationFilter,
    counted_evaluations,
    day_start_utc,
)
from qa.storage import audit
from qa.storage.models import (
    Agent,
    Call,
    CoachingSession,
    CriterionVerdictRecord,
    Role,
    User,
)

COACHES = (Role.coach, *LEADS)
# How far before and after a session the focus criteria are compared.
PROGRESS_WINDOW_DAYS = 30


class CoachingInvalid(QAError):
    """A coaching session that cannot be saved as entered."""


COACHING_UNAVAILABLE = N_("This coaching session does not exist or you may not open it.")


class CoachingUnavailable(AccessDenied, NotFound):
    """A coaching session that is missing or not the viewer's to read; the two look the same."""


@dataclass(frozen=True)
class ExampleCall:
    """A call to listen to together: one of the agent's best or worst counted evaluations."""

    call_id: int
    call_external_id: str
    started_at: datetime
    scorecard_key: str
    score: float
    passed: bool
    failed_criteria: tuple[str, ...]  # names, for "listen for ..."


@dataclass(frozen=True)
class ExampleCalls:
    good: tuple[ExampleCall, ...]
    bad: tuple[ExampleCall, ...]


def example_calls(session: Session, viewer: Viewer, agent_id: int, count: int = 3) -> ExampleCalls:
    """The agent's best passed calls and worst failed ones, to listen to together."""
    ensure_role(viewer, *COACHES)
    counted = counted_evaluations(EvaluationFilter(agent_id=agent_id), viewer)
    base = select(
        counted.c.evaluation_id,
        counted.c.call_id,
        Call.external_id,
        counted.c.started_at,
        counted.c.scorecard_key,
        counted.c.score,
        counted.c.passed,
    ).join(Call, Call.id == counted.c.call_id)
    good = session.execute(
        base.where(counted.c.passed.is_(True))
        .order_by(counted.c.score.desc(), counted.c.started_at.desc())
        .limit(count)
    ).all()
    bad = session.execute(
        base.where(counted.c.passed.is_(False))
        .order_by(counted.c.score, counted.c.started_at.desc())
        .limit(count)
    ).all()
    failures = _failed_names(session, [row[0] for row in (*good, *bad)])

    def example(row: Any) -> ExampleCall:  # a result row of `base`
        return ExampleCall(
            call_id=row[1],
            call_external_id=row[2],
            started_at=row[3],
            scorecard_key=row[4],
            score=float(row[5]),
            passed=bool(row[6]),
            failed_criteria=tuple(failures.get(row[0], ())),
        )

    return ExampleCalls(good=tuple(map(example, good)), bad=tuple(map(example, bad)))


def _failed_names(session: Session, evaluation_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = session.execute(
        select(CriterionVerdictRecord.evaluation_id, CriterionVerdictRecord.name)
        .where(
            CriterionVerdictRecord.evaluation_id.in_(evaluation_ids),
            CriterionVerdictRecord.outcome == "fail",
        )
        .order_by(CriterionVerdictRecord.id)
    )
    for evaluation_id, name in rows:
        names.setdefault(evaluation_id, []).append(name)
    return names


@dataclass(frozen=True)
class SessionForm:
    """What the coach entered; `focus_criteria` are criterion ids."""

    agent_id: int
    held_on: date
    notes: str
    goals: str = ""
    action_items: str = ""
    follow_up_on: date | None = None
    focus_criteria: tuple[str, ...] = field(default_factory=tuple)


def record_session(session: Session, viewer: Viewer, form: SessionForm) -> int:
    """Save a coaching session (validated first, so a refused form writes nothing)."""
    ensure_role(viewer, *COACHES)
    if session.get(Agent, form.agent_id) is None:
        raise NotFound(_("there is no agent with id {id}").format(id=form.agent_id))
    if not form.notes.strip():
        raise CoachingInvalid(_("please write notes on what was discussed"))
    if form.follow_up_on is not None and form.follow_up_on < form.held_on:
        raise CoachingInvalid(_("the follow-up date is before the session"))
    unknown = set(form.focus_criteria) - _known_criteria(session, form.focus_criteria)
    if unknown:
        raise CoachingInvalid(
            _("unknown focus criteria: {criteria}").format(criteria=", ".join(sorted(unknown)))
        )
    row = CoachingSession(
        agent_id=form.agent_id,
        coach_id=viewer.user_id,
        held_on=form.held_on,
        focus_criteria=list(form.focus_criteria),
        notes=form.notes.strip(),
        goals=form.goals.strip(),
        action_items=form.action_items.strip(),
        follow_up_on=form.follow_up_on,
    )
    session.add(row)
    session.flush()
    audit.record(
        session, "coaching.record", "coaching_session", row.id, viewer.user_id,
        agent_id=form.agent_id, focus_criteria=list(form.focus_criteria),
    )  # fmt: skip
    return row.id


def _known_criteria(session: Session, criteria: tuple[str, ...]) -> set[str]:
    if not criteria:
        return set()
    rows = session.scalars(
        select(CriterionVerdictRecord.criterion)
        .where(CriterionVerdictRecord.criterion.in_(criteria))
        .distinct()
    )
    return set(rows)


@dataclass(frozen=True)
class CoachingSessionView:
    id: int
    agent_id: int
    held_on: date
    coach: str
    focus_criteria: tuple[str, ...]
    notes: str
    goals: str
    action_items: str
    follow_up_on: date | None


def coaching_sessions(session: Session, viewer: Viewer, agent_id: int) -> list[CoachingSessionView]:
    """An agent's coaching sessions, newest first: for coaches, and for the agent themself."""
    _ensure_can_read_coaching_of(viewer, agent_id)
    rows = session.execute(
        select(CoachingSession, User.display_name)
        .join(User, User.id == CoachingSession.coach_id)
        .where(CoachingSession.agent_id == agent_id)
        .order_by(CoachingSession.held_on.desc(), CoachingSession.id.desc())
    )
    return [
        CoachingSessionView(
            id=row.id,
            agent_id=row.agent_id,
            held_on=row.held_on,
            coach=coach,
            focus_criteria=tuple(row.focus_criteria or ()),
            notes=row.notes,
            goals=row.goals,
            action_items=row.action_items,
            follow_up_on=row.follow_up_on,
        )
        for row, coach in rows
    ]


@dataclass(frozen=True)
class PeriodScore:
    """One focus criterion over one period: points earned of points possible, and passes."""

    verdicts: int
    passed: int
    points: float
    max_points: float

    @property
    def score(self) -> float | None:
        """Percent of the criterion's points earned; None when it was never applicable."""
        return 100.0 * self.points / self.max_points if self.max_points else None

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.verdicts if self.verdicts else None


NO_VERDICTS = PeriodScore(0, 0, 0.0, 0.0)


@dataclass(frozen=True)
class FocusProgress:
    criterion: str
    name: str
    before: PeriodScore
    after: PeriodScore

    @property
    def change(self) -> float | None:
        """Score points gained (negative: lost); None until both periods have verdicts."""
        if self.before.score is None or self.after.score is None:
            return None
        return self.after.score - self.before.score


def focus_progress(
    session: Session, viewer: Viewer, coaching_session_id: int
) -> list[FocusProgress]:
    """The agent's scores on the session's focus criteria in the windows before and after it.

    Before: calls in the PROGRESS_WINDOW_DAYS days before the session day; after: calls from the
    day after it, for as many days. Calls on the day itself could be either side and are left out.
    """
    row = session.get(CoachingSession, coaching_session_id)
    if row is None:
        raise NotFound(
            _("there is no coaching session with id {id}").format(id=coaching_session_id)
        )
    _ensure_can_read_coaching_of(viewer, row.agent_id)
    focus = tuple(row.focus_criteria or ())
    if not focus:
        return []
    window = timedelta(days=PROGRESS_WINDOW_DAYS)
    view = EvaluationFilter(
        agent_id=row.agent_id, start=row.held_on - window, end=row.held_on + window
    )
    counted = counted_evaluations(view, viewer)
    verdict = CriterionVerdictRecord
    period = case(
        (counted.c.started_at < day_start_utc(row.held_on), "before"),
        (counted.c.started_at >= day_start_utc(row.held_on + timedelta(days=1)), "after"),
    ).label("period")
    grouped = session.execute(
        select(
            verdict.criterion,
            period,
            func.max(verdict.name),
            func.count(),
            func.sum(case((verdict.outcome == "pass", 1), else_=0)),
            func.sum(verdict.points),
            func.sum(verdict.max_points),
        )
        .select_from(counted)
        .join(verdict, verdict.evaluation_id == counted.c.evaluation_id)
        .where(verdict.criterion.in_(focus), verdict.outcome.in_(("pass", "fail")))
        .group_by(verdict.criterion, period)
    ).all()
    scores: dict[tuple[str, str | None], PeriodScore] = {}
    names: dict[str, str] = {}
    for criterion, when, name, verdicts, passed, points, max_points in grouped:
        names[criterion] = name
        scores[(criterion, when)] = PeriodScore(
            int(verdicts), int(passed or 0), float(points or 0), float(max_points or 0)
        )

    def score(criterion: str, when: Literal["before", "after"]) -> PeriodScore:
        return scores.get((criterion, when), NO_VERDICTS)

    return [
        FocusProgress(
            criterion=c,
            name=names.get(c, c),
            before=score(c, "before"),
            after=score(c, "after"),
        )
        for c in focus
    ]


def coaching_session_agent(session: Session, viewer: Viewer, coaching_id: int) -> int:
    """The agent a coaching session was with, when the viewer may read it (a link's target).

    A session that does not exist and one the viewer may not read get the same refusal.
    """
    agent_id = session.scalar(
        select(CoachingSession.agent_id).where(CoachingSession.id == coaching_id)
    )
    if agent_id is None or not _may_read_coaching_of(viewer, agent_id):
        raise CoachingUnavailable(_(COACHING_UNAVAILABLE))
    return int(agent_id)


def _may_read_coaching_of(viewer: Viewer, agent_id: int) -> bool:
    """Coaches and leads read anyone's coaching; an agent only their own."""
    return viewer.role in COACHES or (viewer.role is Role.agent and viewer.agent_id == agent_id)


def _ensure_can_read_coaching_of(viewer: Viewer, agent_id: int) -> None:
    if not _may_read_coaching_of(viewer, agent_id):
        raise AccessDenied(
            _("{username} may not read this agent's coaching").format(username=viewer.username)
        )
