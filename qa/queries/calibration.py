"""Calibration sessions as their pages show them: the list, a participant's task, the results.

Blind until closed: while a session is open a participant reads only their own answers, and the
results (everyone's answers and the agreement figures) are refused to everybody.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from languages import SOURCE_LANGUAGE
from qa.errors import AccessDenied, NotFound, QAError
from qa.i18n import _
from qa.queries.access import LEADS, REVIEWERS, Viewer, ensure_role
from qa.queries.call_review import short_name, user_names
from qa.queries.review import OUTCOMES
from qa.storage.models import (
    CalibrationAnswer,
    CalibrationCall,
    CalibrationParticipant,
    CalibrationSession,
    CalibrationStatus,
    Call,
    CallStatus,
    CriterionVerdictRecord,
    Evaluation,
    EvaluationKind,
    Role,
    User,
)
from qa.storage.scorecard_store import load_version
from scorecards.agreement import GroupAgreement, group_agreement
from scorecards.schema import text_in

AUTOMATIC_ID = 0  # the automatic scorer's place among the participants
# Who can take part in a session, and so who may open the Calibration page.
PARTICIPANT_ROLES = (*REVIEWERS, Role.coach)


class ResultsNotReady(QAError):
    """The session is still open: showing answers now would break the blind scoring."""


@dataclass(frozen=True)
class CalibrationSummary:
    id: int
    title: str
    scorecard_key: str
    scorecard: str  # its English name (shown through qa.ui.components.scorecard_text)
    status: CalibrationStatus
    lead: str
    participants: int
    submitted: int
    calls: int
    created_at: datetime
    taking_part: bool


@dataclass(frozen=True)
class CalibrationTask:
    """What one participant scores: the calls, the criteria and their own answers so far."""

    id: int
    title: str
    status: CalibrationStatus
    scorecard_key: str
    criteria: tuple[tuple[str, str], ...]  # (id, English name)
    calls: tuple[tuple[int, str], ...]  # (call id, external id)
    answers: dict[int, dict[str, str]]  # call id -> criterion -> outcome


@dataclass(frozen=True)
class CriterionAgreement:
    criterion: str
    name: str
    agreement: GroupAgreement


@dataclass(frozen=True)
class Deviation:
    """How often a participant's answers differ from the expert's, over the units both gave."""

    participant: str
    compared: int
    differing: int

    @property
    def rate(self) -> float | None:
        return self.differing / self.compared if self.compared else None


@dataclass(frozen=True)
class SplitItem:
    """A (call, criterion) the group did not agree on: one to discuss."""

    call: str
    criterion: str
    name: str
    answers: dict[str, str]  # participant -> outcome
    majority_share: float


@dataclass(frozen=True)
class CalibrationResults:
    title: str
    scorecard_key: str
    participants: tuple[str, ...]
    expert: str
    overall: GroupAgreement
    per_criterion: tuple[CriterionAgreement, ...]
    deviations: tuple[Deviation, ...]
    splits: tuple[SplitItem, ...]


def calibration_sessions(session: Session, viewer: Viewer) -> list[CalibrationSummary]:
    """Every session for a lead; the sessions they take part in for everyone else."""
    ensure_role(viewer, *PARTICIPANT_ROLES)
    mine = select(CalibrationParticipant.session_id).where(
        CalibrationParticipant.user_id == viewer.user_id
    )
    statement = select(CalibrationSession).order_by(CalibrationSession.created_at.desc())
    if viewer.role not in LEADS:
        statement = statement.where(CalibrationSession.id.in_(mine))
    rows = session.scalars(statement).all()
    taking_part = set(session.scalars(mine))
    names = user_names(session)
    return [_summary(session, row, names, row.id in taking_part) for row in rows]


def _summary(
    session: Session, row: CalibrationSession, names: dict[int, str], taking_part: bool
) -> CalibrationSummary:
    participants = session.execute(
        select(func.count(), func.count(CalibrationParticipant.submitted_at)).where(
            CalibrationParticipant.session_id == row.id
        )
    ).one()
    return CalibrationSummary(
        id=row.id,
        title=row.title,
        scorecard_key=row.scorecard_version.scorecard_key,
        scorecard=row.scorecard_version.name,
        status=row.status,
        lead=names.get(row.lead_id, "?"),
        participants=participants[0] + (1 if row.include_automatic else 0),
        submitted=participants[1],
        calls=call_count(session, row.id),
        created_at=row.created_at,
        taking_part=taking_part,
    )


def calibration_session(session: Session, viewer: Viewer, session_id: int) -> CalibrationSession:
    """The session, for a lead or one of its participants (the rule `calibration_sessions`
    lists by)."""
    row = session.get(CalibrationSession, session_id)
    if row is None:
        raise NotFound(_("There is no calibration session with id {id}.").format(id=session_id))
    if viewer.role not in LEADS:
        participation(session, viewer, session_id)
    return row


def participation(session: Session, viewer: Viewer, session_id: int) -> CalibrationParticipant:
    """The viewer's place in the session: only participants score."""
    row = session.scalar(
        select(CalibrationParticipant).where(
            CalibrationParticipant.session_id == session_id,
            CalibrationParticipant.user_id == viewer.user_id,
        )
    )
    if row is None:
        raise AccessDenied(_("You are not a participant of this calibration session."))
    return row


def session_criteria(row: CalibrationSession) -> tuple[tuple[str, str], ...]:
    """(id, name) of each criterion of the session's scorecard version, in its order."""
    definition = load_version(row.scorecard_version).definition
    return tuple((c.id, text_in(c.name, SOURCE_LANGUAGE)) for c in definition.criteria())


def call_count(session: Session, session_id: int) -> int:
    return session.scalar(select(func.count()).where(CalibrationCall.session_id == session_id)) or 0


def calibration_task(session: Session, viewer: Viewer, session_id: int) -> CalibrationTask:
    """The calls and criteria to score, with only the viewer's own answers."""
    row = calibration_session(session, viewer, session_id)
    participation(session, viewer, session_id)  # a lead scores only when taking part
    answers: dict[int, dict[str, str]] = {}
    for call_id, criterion, outcome in session.execute(
        select(
            CalibrationAnswer.call_id, CalibrationAnswer.criterion, CalibrationAnswer.outcome
        ).where(
            CalibrationAnswer.session_id == session_id,
            CalibrationAnswer.user_id == viewer.user_id,
        )
    ):
        answers.setdefault(call_id, {})[criterion] = outcome
    return CalibrationTask(
        id=row.id,
        title=row.title,
        status=row.status,
        scorecard_key=row.scorecard_version.scorecard_key,
        criteria=session_criteria(row),
        calls=_calls(session, session_id),
        answers=answers,
    )


def _calls(session: Session, session_id: int) -> tuple[tuple[int, str], ...]:
    rows = session.execute(
        select(Call.id, Call.external_id)
        .join(CalibrationCall, CalibrationCall.call_id == Call.id)
        .where(CalibrationCall.session_id == session_id)
        .order_by(Call.started_at, Call.id)
    )
    return tuple((call_id, external_id) for call_id, external_id in rows)


def calibration_results(session: Session, viewer: Viewer, session_id: int) -> CalibrationResults:
    """Everyone's answers compared, for the lead and the participants, once the session closed."""
    ensure_role(viewer, *PARTICIPANT_ROLES)
    row = calibration_session(session, viewer, session_id)
    if row.status is not CalibrationStatus.closed:
        raise ResultsNotReady(
            _("Results appear when every participant has scored or the lead closes the session.")
        )
    raters, labels = _raters(session, row)
    answers = _answers(session, row)
    calls = _calls(session, session_id)
    criteria = session_criteria(row)
    units = [(call_id, external, c, name) for call_id, external in calls for c, name in criteria]

    def matrix(chosen: list[tuple[int, str, str, str]]) -> list[list[str | None]]:
        return [[answers.get((u[0], u[2], rater)) for rater in raters] for u in chosen]

    per_criterion = tuple(
        CriterionAgreement(
            c, name, group_agreement(matrix([u for u in units if u[2] == c]), OUTCOMES)
        )
        for c, name in criteria
    )
    expert_index = raters.index(row.expert_id)
    full = matrix(units)
    return CalibrationResults(
        title=row.title,
        scorecard_key=row.scorecard_version.scorecard_key,
        participants=tuple(labels),
        expert=labels[expert_index],
        overall=group_agreement(full, OUTCOMES),
        per_criterion=per_criterion,
        deviations=_deviations(full, labels, expert_index),
        splits=_splits(full, units, labels),
    )


def _raters(session: Session, row: CalibrationSession) -> tuple[list[int], list[str]]:
    people = session.execute(
        select(User.id, User.display_name)
        .join(CalibrationParticipant, CalibrationParticipant.user_id == User.id)
        .where(CalibrationParticipant.session_id == row.id)
        .order_by(User.id)
    ).all()
    raters = [user_id for user_id, _name in people]
    labels = [short_name(name) for _id, name in people]
    if row.include_automatic:
        raters.append(AUTOMATIC_ID)
        labels.append(_("Automatic scorer"))
    return raters, labels


def _answers(session: Session, row: CalibrationSession) -> dict[tuple[int, str, int], str]:
    """(call, criterion, rater) -> outcome, the automatic scorer's from its evaluation."""
    answers = {
        (call_id, criterion, user_id): outcome
        for call_id, criterion, user_id, outcome in session.execute(
            select(
                CalibrationAnswer.call_id,
                CalibrationAnswer.criterion,
                CalibrationAnswer.user_id,
                CalibrationAnswer.outcome,
            ).where(CalibrationAnswer.session_id == row.id)
        )
    }
    if row.include_automatic:
        latest = (
            select(func.max(Evaluation.id))
            .join(CalibrationCall, CalibrationCall.call_id == Evaluation.call_id)
            .where(
                CalibrationCall.session_id == row.id,
                Evaluation.kind == EvaluationKind.automatic,
                Evaluation.scorecard_version_id == row.scorecard_version_id,
            )
            .group_by(Evaluation.call_id)
        )
        for call_id, criterion, outcome in session.execute(
            select(
                Evaluation.call_id, CriterionVerdictRecord.criterion, CriterionVerdictRecord.outcome
            )
            .join(CriterionVerdictRecord, CriterionVerdictRecord.evaluation_id == Evaluation.id)
            .where(Evaluation.id.in_(latest))
        ):
            answers[(call_id, criterion, AUTOMATIC_ID)] = outcome
    return answers


def _deviations(
    full: list[list[str | None]], labels: list[str], expert: int
) -> tuple[Deviation, ...]:
    deviations = []
    for index, label in enumerate(labels):
        if index == expert:
            continue
        shared = [
            (row[index], row[expert])
            for row in full
            if row[index] is not None and row[expert] is not None
        ]
        deviations.append(Deviation(label, len(shared), sum(a != b for a, b in shared)))
    return tuple(deviations)


def _splits(
    full: list[list[str | None]], units: list[tuple[int, str, str, str]], labels: list[str]
) -> tuple[SplitItem, ...]:
    splits = []
    for row, (_call_id, external, criterion, name) in zip(full, units, strict=True):
        given = [value for value in row if value is not None]
        if len(set(given)) < 2:
            continue
        majority = Counter(given).most_common(1)[0][1] / len(given)
        answers = {label: value for label, value in zip(labels, row, strict=True) if value}
        splits.append(SplitItem(external, criterion, name, answers, majority))
    return tuple(sorted(splits, key=lambda s: (s.majority_share, s.call, s.name)))


def calibration_candidates(session: Session, viewer: Viewer) -> list[tuple[int, str, str]]:
    """People a lead can invite: (user id, name, role)."""
    ensure_role(viewer, *LEADS)
    rows = session.execute(
        select(User.id, User.display_name, User.role)
        .where(User.active, User.role.in_(PARTICIPANT_ROLES))
        .order_by(User.display_name)
    )
    return [(user_id, name, role.value) for user_id, name, role in rows]


def calibration_call_choices(
    session: Session, viewer: Viewer, limit: int = 200
) -> list[tuple[int, str, datetime]]:
    """Recent transcribed calls a lead can put in a session: (call id, external id, started)."""
    ensure_role(viewer, *LEADS)
    rows = session.execute(
        select(Call.id, Call.external_id, Call.started_at)
        .where(Call.status == CallStatus.done)
        .order_by(Call.started_at.desc(), Call.id.desc())
        .limit(limit)
    )
    return [(call_id, external, started) for call_id, external, started in rows]
