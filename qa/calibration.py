"""Calibration sessions: a QA lead's blind scoring exercise, from creation to close.

Answers are written here and read back only through `qa.queries.calibration`, which shows each
participant their own answers while the session is open and everyone's once it is closed; who may
open a session is decided there too.
A session closes by itself when every participant has answered every criterion of every call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from qa.errors import NotFound, QAError
from qa.i18n import _
from qa.queries.access import LEADS, Viewer, ensure_role
from qa.queries.calibration import (
    PARTICIPANT_ROLES,
    calibration_session,
    call_count,
    participation,
    session_criteria,
)
from qa.queries.review import OUTCOMES
from qa.storage import audit
from qa.storage.models import (
    CalibrationAnswer,
    CalibrationCall,
    CalibrationParticipant,
    CalibrationSession,
    CalibrationStatus,
    Call,
    ScorecardVersion,
    User,
)


class CalibrationInvalid(QAError):
    """A calibration request that cannot be carried out as given."""


@dataclass(frozen=True)
class NewCalibration:
    title: str
    scorecard_version_id: int
    call_ids: tuple[int, ...]
    participant_ids: tuple[int, ...]
    expert_id: int | None = None  # whose answers are the reference; the lead when None
    include_automatic: bool = False


def create_calibration(session: Session, viewer: Viewer, new: NewCalibration) -> int:
    """Store a new open session; the expert always takes part, so there is a reference."""
    ensure_role(viewer, *LEADS)
    if not new.title.strip():
        raise CalibrationInvalid(_("Give the session a title."))
    if session.get(ScorecardVersion, new.scorecard_version_id) is None:
        raise NotFound(
            _("There is no scorecard version with id {id}.").format(id=new.scorecard_version_id)
        )
    call_ids = tuple(dict.fromkeys(new.call_ids))
    if not call_ids:
        raise CalibrationInvalid(_("Pick at least one call."))
    found = session.scalar(select(func.count()).where(Call.id.in_(call_ids)))
    if found != len(call_ids):
        raise NotFound(_("Some of the chosen calls do not exist."))
    expert_id = new.expert_id if new.expert_id is not None else viewer.user_id
    participant_ids = tuple(dict.fromkeys((expert_id, *new.participant_ids)))
    humans = 1 if new.include_automatic else 0
    if len(participant_ids) + humans < 2:
        raise CalibrationInvalid(_("A calibration needs at least two participants."))
    users = session.scalars(select(User).where(User.id.in_(participant_ids))).all()
    if len(users) != len(participant_ids):
        raise NotFound(_("Some of the chosen participants do not exist."))
    for user in users:
        if user.role not in PARTICIPANT_ROLES or not user.active:
            raise CalibrationInvalid(
                _("{name} cannot take part: only active admins, reviewers and coaches can.").format(
                    name=user.display_name
                )
            )
    row = CalibrationSession(
        title=new.title.strip(),
        scorecard_version_id=new.scorecard_version_id,
        lead_id=viewer.user_id,
        expert_id=expert_id,
        include_automatic=new.include_automatic,
        status=CalibrationStatus.open,
    )
    session.add(row)
    session.flush()
    session.add_all(CalibrationCall(session_id=row.id, call_id=call_id) for call_id in call_ids)
    session.add_all(
        CalibrationParticipant(session_id=row.id, user_id=user_id) for user_id in participant_ids
    )
    audit.record(
        session,
        "calibration.created",
        "calibration",
        row.id,
        viewer.user_id,
        calls=list(call_ids),
        participants=list(participant_ids),
    )
    session.flush()
    return row.id


def save_answers(
    session: Session, viewer: Viewer, session_id: int, call_id: int, outcomes: Mapping[str, str]
) -> bool:
    """Store (or replace) the viewer's outcomes for one call; True when this closed the session.

    Every criterion needs an outcome, so a half-scored call never counts as scored.
    """
    row = calibration_session(session, viewer, session_id)
    participant = participation(session, viewer, session_id)
    if row.status is not CalibrationStatus.open:
        raise CalibrationInvalid(_("This calibration session is closed."))
    if (
        session.scalar(
            select(CalibrationCall.id).where(
                CalibrationCall.session_id == session_id, CalibrationCall.call_id == call_id
            )
        )
        is None
    ):
        raise NotFound(_("That call is not part of this calibration session."))
    expected = [criterion for criterion, _name in session_criteria(row)]
    missing = [c for c in expected if outcomes.get(c) not in OUTCOMES]
    if missing:
        raise CalibrationInvalid(
            _("Choose an outcome for every criterion (missing: {criteria}).").format(
                criteria=", ".join(missing)
            )
        )
    session.execute(
        delete(CalibrationAnswer).where(
            CalibrationAnswer.session_id == session_id,
            CalibrationAnswer.call_id == call_id,
            CalibrationAnswer.user_id == viewer.user_id,
        )
    )
    session.add_all(
        CalibrationAnswer(
            session_id=session_id,
            call_id=call_id,
            user_id=viewer.user_id,
            criterion=criterion,
            outcome=outcomes[criterion],
        )
        for criterion in expected
    )
    session.flush()
    if _calls_answered(session, session_id, viewer.user_id) == call_count(session, session_id):
        participant.submitted_at = datetime.now(UTC)
    if _everyone_done(session, session_id):
        _close(session, row, actor_id=None)
        return True
    return False


def close_calibration(session: Session, viewer: Viewer, session_id: int) -> None:
    """The lead (or an admin) ends the session early: results show whatever is in."""
    ensure_role(viewer, *LEADS)
    row = calibration_session(session, viewer, session_id)
    if row.status is CalibrationStatus.closed:
        return
    _close(session, row, actor_id=viewer.user_id)


def _close(session: Session, row: CalibrationSession, actor_id: int | None) -> None:
    row.status = CalibrationStatus.closed
    row.closed_at = datetime.now(UTC)
    audit.record(session, "calibration.closed", "calibration", row.id, actor_id)


def _calls_answered(session: Session, session_id: int, user_id: int) -> int:
    return (
        session.scalar(
            select(func.count(func.distinct(CalibrationAnswer.call_id))).where(
                CalibrationAnswer.session_id == session_id, CalibrationAnswer.user_id == user_id
            )
        )
        or 0
    )


def _everyone_done(session: Session, session_id: int) -> bool:
    pending = session.scalar(
        select(func.count()).where(
            CalibrationParticipant.session_id == session_id,
            CalibrationParticipant.submitted_at.is_(None),
        )
    )
    return pending == 0
