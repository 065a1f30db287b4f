"""The demo's finished calibration session, so a newcomer sees what the Calibration page shows.

It goes through the real workflow (create, every participant answers, the session closes
itself): led by the QA lead, who is its expert and so finds it as theirs on the Calibration page,
with the reviewer, the coach and the automatic scorer taking part. Their answers start from the
automatic verdicts and differ on a fixed pattern of items, so the results show some agreement
and some items that split the group.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa.calibration import NewCalibration, create_calibration, save_answers
from qa.queries.calibration import session_criteria
from qa.queries.users import viewer_of
from qa.storage.db import session_scope
from qa.storage.models import (
    CalibrationSession,
    Call,
    CriterionVerdictRecord,
    Evaluation,
    EvaluationKind,
    Role,
    ScorecardVersion,
    User,
)

CALLS = 4
# Participant -> every how many items they answer differently from the scorer (and where).
DISAGREES_EVERY = {Role.lead: (7, 3), Role.reviewer: (5, 1), Role.coach: (4, 2)}
OTHER = {"pass": "fail", "fail": "pass", "na": "pass"}


def add_demo_calibration(url: str) -> int | None:
    """Add the finished session; None when there is nothing to calibrate on (no scored calls)."""
    with session_scope(url) as session:
        found = {role: _first_user(session, role) for role in DISAGREES_EVERY}
        people = {role: user for role, user in found.items() if user is not None}
        version = _most_used_active_version(session)
        if version is None or len(people) < len(DISAGREES_EVERY):
            return None
        automatic = _automatic_outcomes(session, version.id)
        call_ids = sorted(automatic)[:CALLS]
        lead = viewer_of(people[Role.lead])
        session_id = create_calibration(
            session,
            lead,
            NewCalibration(
                title="Demo calibration: week 1",
                scorecard_version_id=version.id,
                call_ids=tuple(call_ids),
                participant_ids=tuple(user.id for user in people.values()),
                include_automatic=True,
            ),
        )
        calibration = session.get_one(CalibrationSession, session_id)
        criteria = [criterion for criterion, _name in session_criteria(calibration)]
        for role, (every, offset) in DISAGREES_EVERY.items():
            viewer = viewer_of(people[role])
            item = 0
            for call_id in call_ids:
                outcomes = {}
                for criterion in criteria:
                    given = automatic[call_id].get(criterion, "na")
                    outcomes[criterion] = OTHER[given] if item % every == offset else given
                    item += 1
                save_answers(session, viewer, session_id, call_id, outcomes)
        return session_id


def _first_user(session: Session, role: Role) -> User | None:
    return session.scalar(
        select(User).where(User.role == role, User.active).order_by(User.id).limit(1)
    )


def _most_used_active_version(session: Session) -> ScorecardVersion | None:
    version_id = session.scalar(
        select(Evaluation.scorecard_version_id)
        .join(ScorecardVersion, ScorecardVersion.id == Evaluation.scorecard_version_id)
        .where(ScorecardVersion.active, Evaluation.kind == EvaluationKind.automatic)
        .group_by(Evaluation.scorecard_version_id)
        .order_by(func.count().desc(), Evaluation.scorecard_version_id)
        .limit(1)
    )
    return None if version_id is None else session.get(ScorecardVersion, version_id)


def _automatic_outcomes(session: Session, version_id: int) -> dict[int, dict[str, str]]:
    outcomes: dict[int, dict[str, str]] = {}
    rows = session.execute(
        select(Call.id, CriterionVerdictRecord.criterion, CriterionVerdictRecord.outcome)
        .join(Evaluation, Evaluation.call_id == Call.id)
        .join(CriterionVerdictRecord, CriterionVerdictRecord.evaluation_id == Evaluation.id)
        .where(
            Evaluation.scorecard_version_id == version_id,
            Evaluation.kind == EvaluationKind.automatic,
        )
    )
    for call_id, criterion, outcome in rows:
        outcomes.setdefault(call_id, {})[criterion] = outcome
    return outcomes
