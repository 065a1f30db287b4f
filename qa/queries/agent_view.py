"""What an agent sees of their own work: evaluations, weak spots, disputes.

Every function takes the Viewer and reads through `scope_calls`/`ensure_can_read_call`, so an
agent asking for someone else's evaluation gets AccessDenied, whatever the page sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Exists, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from qa.errors import NotFound, QAError
from qa.i18n import _
from qa.queries.access import Viewer, ensure_can_read_call, ensure_role, scope_calls
from qa.queries.call_review import DisputeView, dispute_view, user_names
from qa.review_sampling import DISPUTE, HELD_FOR_REVIEW
from qa.storage import audit
from qa.storage.models import (
    Call,
    CriterionVerdictRecord,
    Dispute,
    DisputeStatus,
    EvaluationKind,
    QueueStatus,
    ReviewQueueItem,
    Role,
    ScorecardVersion,
)
from qa.storage.models import Evaluation as EvaluationRow


class DisputeInvalid(QAError):
    """A dispute that cannot be raised (no reason, unknown criterion, already disputed)."""


@dataclass(frozen=True)
class EvaluationSummary:
    id: int
    call_id: int
    call_external_id: str
    call_started_at: datetime
    scorecard_key: str
    scorecard: str  # the English name of the version that scored it
    kind: EvaluationKind
    score: float
    passed: bool
    critical_failed: bool
    acknowledged_at: datetime | None
    created_at: datetime
    # False for one that no longer reports: reviewed since, or made by an older scorecard version.
    counts: bool = True


def my_evaluations(session: Session, viewer: Viewer) -> list[EvaluationSummary]:
    """The agent's evaluations, newest call first."""
    ensure_role(viewer, Role.agent)
    statement = (
        select(
            EvaluationRow,
            Call.external_id,
            Call.started_at,
            ScorecardVersion.scorecard_key,
            ScorecardVersion.name,
        )
        .join(Call, Call.id == EvaluationRow.call_id)
        .join(ScorecardVersion, ScorecardVersion.id == EvaluationRow.scorecard_version_id)
        .where(decided_for_agent())
        .order_by(Call.started_at.desc(), EvaluationRow.id.desc())
    )
    return [
        EvaluationSummary(
            id=row.id,
            call_id=row.call_id,
            call_external_id=external_id,
            call_started_at=started_at,
            scorecard_key=key,
            scorecard=name,
            kind=row.kind,
            score=row.score,
            passed=row.passed,
            critical_failed=row.critical_failed,
            acknowledged_at=row.acknowledged_at,
            created_at=row.created_at,
            counts=row.counts,
        )
        for row, external_id, started_at, key, name in session.execute(
            scope_calls(statement, viewer)
        )
    ]


@dataclass(frozen=True)
class CriterionWeakness:
    criterion: str
    name: str
    failed: int
    applicable: int

    @property
    def failure_rate(self) -> float:
        return self.failed / self.applicable if self.applicable else 0.0


def weakest_criteria(session: Session, viewer: Viewer, limit: int = 5) -> list[CriterionWeakness]:
    """The criteria the agent fails most often, counted in SQL over applicable verdicts.

    Only the evaluations that count (a reviewed call once, with the reviewer's verdicts).
    """
    ensure_role(viewer, Role.agent)
    failed = func.sum(case((CriterionVerdictRecord.outcome == "fail", 1), else_=0))
    statement = (
        select(
            CriterionVerdictRecord.criterion,
            func.max(CriterionVerdictRecord.name),
            failed,
            func.count(),
        )
        .join(EvaluationRow, EvaluationRow.id == CriterionVerdictRecord.evaluation_id)
        .join(Call, Call.id == EvaluationRow.call_id)
        .where(
            CriterionVerdictRecord.outcome != "na",
            EvaluationRow.counts.is_(True),
            decided_for_agent(),
        )
        .group_by(CriterionVerdictRecord.criterion)
        .having(failed > 0)
    )
    rows = session.execute(scope_calls(statement, viewer)).all()
    weaknesses = [CriterionWeakness(c, n, int(f), int(a)) for c, n, f, a in rows]
    weaknesses.sort(key=lambda w: (-w.failure_rate, -w.failed, w.criterion))
    return weaknesses[:limit]


def my_disputes(session: Session, viewer: Viewer) -> list[DisputeView]:
    ensure_role(viewer, Role.agent)
    statement = (
        select(Dispute)
        .join(EvaluationRow, EvaluationRow.id == Dispute.evaluation_id)
        .join(Call, Call.id == EvaluationRow.call_id)
        .where(Dispute.raised_by_id == viewer.user_id)
        .order_by(Dispute.created_at.desc())
    )
    names = user_names(session)
    return [dispute_view(d, names) for d in session.scalars(scope_calls(statement, viewer))]


def _own_evaluation(session: Session, viewer: Viewer, evaluation_id: int) -> EvaluationRow:
    ensure_role(viewer, Role.agent)
    row = session.get(EvaluationRow, evaluation_id)
    # A missing evaluation is refused like a foreign one: the answer tells no ids apart.
    ensure_can_read_call(row.call if row is not None else None, viewer)
    assert row is not None
    if not session.scalar(select(decided_for_agent()).where(EvaluationRow.id == row.id)):
        raise NotFound(
            _("evaluation {id} waits for a reviewer's decision").format(id=evaluation_id)
        )
    return row


def decided_for_agent() -> ColumnElement[bool]:
    """An automatic evaluation with an uncertain learned verdict, or of a mono call whose roles
    are uncertain, reaches the agent only once a reviewer has decided (the review closes its
    call's queue item)."""
    return or_(
        EvaluationRow.kind == EvaluationKind.human, ~waiting_for_review(EvaluationRow.call_id)
    )


def waiting_for_review(call_id: ColumnElement[int] | InstrumentedAttribute[int]) -> Exists:
    """The call has an uncertain automatic verdict (learned check or mono roles) that no
    reviewer has decided yet."""
    return (
        select(ReviewQueueItem.id)
        .where(
            ReviewQueueItem.call_id == call_id,
            ReviewQueueItem.reason.in_(HELD_FOR_REVIEW),
            ReviewQueueItem.status == QueueStatus.open,
        )
        .exists()
    )


def acknowledge(session: Session, viewer: Viewer, evaluation_id: int) -> None:
    """The agent confirms they have read the evaluation (once; later clicks change nothing)."""
    row = _own_evaluation(session, viewer, evaluation_id)
    if row.acknowledged_at is None:
        row.acknowledged_at = datetime.now(UTC)
        audit.record(session, "evaluation.acknowledge", "evaluation", row.id, viewer.user_id)


def raise_dispute(
    session: Session, viewer: Viewer, evaluation_id: int, criterion: str, reason: str
) -> int:
    """Dispute one verdict; it goes to the review queue with the reason 'dispute'."""
    row = _own_evaluation(session, viewer, evaluation_id)
    if not reason.strip():
        raise DisputeInvalid(_("please say why you dispute this verdict"))
    if criterion not in {v.criterion for v in row.verdicts}:
        raise DisputeInvalid(
            _("criterion {criterion!r} is not in this evaluation").format(criterion=criterion)
        )
    already = session.scalar(
        select(Dispute.id).where(
            Dispute.evaluation_id == row.id,
            Dispute.criterion == criterion,
            Dispute.status == DisputeStatus.open,
        )
    )
    if already is not None:
        raise DisputeInvalid(_("this verdict is already disputed and waiting for a reviewer"))
    dispute = Dispute(
        evaluation_id=row.id,
        criterion=criterion,
        raised_by_id=viewer.user_id,
        reason=reason.strip(),
    )
    session.add(dispute)
    session.flush()
    session.add(ReviewQueueItem(call_id=row.call_id, reason=DISPUTE, dispute_id=dispute.id))
    audit.record(
        session, "dispute.raise", "dispute", dispute.id, viewer.user_id,
        evaluation_id=row.id, criterion=criterion,
    )  # fmt: skip
    session.flush()
    return dispute.id
