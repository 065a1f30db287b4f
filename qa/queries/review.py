"""A reviewer's one review of a call: every scorecard's verdicts, comment and disputes at once.

A review never edits the automatic evaluations: it adds a human evaluation next to each, with a
VerdictOverride row (and an audit entry) for every verdict the reviewer changed. Two reviewers
submitting on the same call (or one double click) store one review: the call row is locked
while the review is written, and a review that did not see the newest one is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa.errors import QAError
from qa.i18n import _
from qa.queries.access import REVIEWERS, Viewer, ensure_can_read_call, ensure_role
from qa.queries.call_review import short_name
from qa.review_sampling import DISPUTE
from qa.storage import audit
from qa.storage.evaluations import load_evaluation, save_evaluation
from qa.storage.models import (
    Call,
    Comment,
    Dispute,
    DisputeStatus,
    EvaluationKind,
    QueueStatus,
    ReviewClaim,
    ReviewQueueItem,
    User,
    VerdictOverride,
)
from qa.storage.models import Evaluation as EvaluationRow
from qa.storage.scorecard_store import load_version
from scorecards.engine import rescored
from scorecards.results import Evaluation, Outcome

OUTCOMES: tuple[Outcome, ...] = ("pass", "fail", "na")


class ReviewInvalid(QAError):
    """A review that cannot be saved as submitted (e.g. an override without a reason)."""


class AlreadyReviewed(QAError):
    """Someone stored a review (or resolved a dispute) of this call since the form was opened."""


@dataclass(frozen=True)
class VerdictDecision:
    """The reviewer's outcome for one criterion; a reason is needed when it differs."""

    criterion: str
    outcome: Outcome
    reason: str = ""


@dataclass(frozen=True)
class DisputeDecision:
    dispute_id: int
    uphold: bool
    resolution: str


@dataclass(frozen=True)
class ReviewSubmission:
    """One review of one call.

    `verdicts` maps each automatic evaluation reviewed (one per scorecard) to the reviewer's
    decisions on it; `seen_evaluation_id` is the newest evaluation of the call the form showed,
    so a review stored meanwhile by someone else is not silently replaced.
    """

    call_id: int
    verdicts: Mapping[int, tuple[VerdictDecision, ...]] = field(default_factory=dict)
    comment: str = ""
    disputes: tuple[DisputeDecision, ...] = ()
    seen_evaluation_id: int | None = None


def submit_review(session: Session, viewer: Viewer, submission: ReviewSubmission) -> list[int]:
    """Save one human evaluation per reviewed scorecard, the comment and the dispute outcomes;
    close the call's queue items and release its claim. Returns the new evaluations' ids.

    Everything is validated before anything is written, so a refused review leaves no trace.
    """
    ensure_role(viewer, *REVIEWERS)
    # A missing call is refused like a foreign one: the answer tells no ids apart.
    call = ensure_can_read_call(_locked_call(session, submission.call_id), viewer)
    _refuse_if_reviewed_since(session, call.id, submission.seen_evaluation_id)
    reviewed = _reviewed_evaluations(session, call.id, submission)
    disputes = _open_disputes(session, call.id, submission.disputes)
    plans = {
        row.id: _validated(load_evaluation(row), decisions)
        for row, decisions in _with_upheld_disputes(session, reviewed, disputes, submission).items()
    }
    try:
        with session.begin_nested():
            ids = [_store_human(session, viewer, row, plans[row.id]) for row in reviewed.values()]
            _store_comment(session, viewer, call.id, ids, submission.comment)
            _resolve_disputes(session, viewer, submission.disputes)
            _close_queue_items(session, call.id)
            session.execute(delete(ReviewClaim).where(ReviewClaim.call_id == call.id))
            session.flush()
    except IntegrityError:
        # Another session's review won a unique index race: report it like any other.
        _refuse_if_reviewed_since(session, call.id, submission.seen_evaluation_id or 0)
        raise
    return ids


def _locked_call(session: Session, call_id: int) -> Call | None:
    """The call, its row locked until commit: concurrent reviews of one call run one by one.

    A no-op UPDATE takes the row lock on PostgreSQL and the write lock on SQLite, and as the
    first statement it waits for the other review to commit before anything is read.
    """
    locked = session.execute(update(Call).where(Call.id == call_id).values(attempts=Call.attempts))
    return session.get(Call, call_id, populate_existing=True) if _rows(locked) else None


def _refuse_if_reviewed_since(session: Session, call_id: int, seen: int | None) -> None:
    if seen is None:
        return
    newer = session.execute(
        select(EvaluationRow.created_at, User.display_name)
        .join(User, User.id == EvaluationRow.reviewer_id)
        .where(
            EvaluationRow.call_id == call_id,
            EvaluationRow.kind == EvaluationKind.human,
            EvaluationRow.id > seen,
        )
        .order_by(EvaluationRow.id.desc())
        .limit(1)
    ).first()
    if newer is not None:
        raise AlreadyReviewed(
            _("This call was already reviewed by {name}. Reload to see that review.").format(
                name=short_name(newer[1])
            )
        )


def _reviewed_evaluations(
    session: Session, call_id: int, submission: ReviewSubmission
) -> dict[int, EvaluationRow]:
    reviewed = {}
    for evaluation_id in submission.verdicts:
        row = session.get(EvaluationRow, evaluation_id)
        if row is None or row.call_id != call_id or row.kind is not EvaluationKind.automatic:
            raise ReviewInvalid(
                _("evaluation {id} is not an automatic evaluation of this call").format(
                    id=evaluation_id
                )
            )
        reviewed[row.id] = row
    keys = [row.scorecard_version.scorecard_key for row in reviewed.values()]
    if len(set(keys)) != len(keys):
        raise ReviewInvalid(_("a review holds one evaluation per scorecard"))
    return reviewed


def _open_disputes(
    session: Session, call_id: int, decisions: tuple[DisputeDecision, ...]
) -> dict[int, Dispute]:
    disputes = {}
    for decision in decisions:
        if not decision.resolution.strip():
            raise ReviewInvalid(_("a dispute needs a resolution text, whether upheld or rejected"))
        dispute = session.get(Dispute, decision.dispute_id, populate_existing=True)
        if dispute is None or session.get_one(EvaluationRow, dispute.evaluation_id).call_id != (
            call_id
        ):
            raise ReviewInvalid(
                _("dispute {id} is not about this call").format(id=decision.dispute_id)
            )
        if dispute.status is not DisputeStatus.open:
            who = session.get(User, dispute.resolved_by_id) if dispute.resolved_by_id else None
            raise AlreadyReviewed(
                _("This dispute was already resolved by {name}. Reload to see it.").format(
                    name=short_name(who.display_name) if who else "?"
                )
            )
        disputes[dispute.id] = dispute
    return disputes


def _with_upheld_disputes(
    session: Session,
    reviewed: dict[int, EvaluationRow],
    disputes: dict[int, Dispute],
    submission: ReviewSubmission,
) -> dict[EvaluationRow, tuple[VerdictDecision, ...]]:
    """An upheld dispute flips the disputed verdict of its scorecard (whichever evaluation of
    it was disputed) unless the reviewer already changed that verdict."""
    decided = {
        row: {d.criterion: d for d in submission.verdicts[row.id]} for row in reviewed.values()
    }
    by_key = {row.scorecard_version.scorecard_key: row for row in reviewed.values()}
    for decision in submission.disputes:
        dispute = disputes[decision.dispute_id]
        disputed = session.get_one(EvaluationRow, dispute.evaluation_id)
        row = by_key.get(disputed.scorecard_version.scorecard_key)
        if not decision.uphold or row is None:
            continue
        current = next((v.outcome for v in row.verdicts if v.criterion == dispute.criterion), None)
        chosen = decided[row].get(dispute.criterion)
        if current is not None and (chosen is None or chosen.outcome == current):
            flipped: Outcome = "pass" if current == "fail" else "fail"
            reason = _("Dispute upheld: {resolution}").format(
                resolution=decision.resolution.strip()
            )
            decided[row][dispute.criterion] = VerdictDecision(dispute.criterion, flipped, reason)
    return {row: tuple(d.values()) for row, d in decided.items()}


def _validated(
    automatic: Evaluation, decisions: tuple[VerdictDecision, ...]
) -> list[VerdictDecision]:
    known = {v.criterion: v for v in automatic.verdicts}
    changes, missing_reason = [], []
    for decision in decisions:
        if decision.criterion not in known:
            raise ReviewInvalid(
                _("criterion {criterion} is not in this evaluation").format(
                    criterion=repr(decision.criterion)
                )
            )
        if decision.outcome not in OUTCOMES:
            raise ReviewInvalid(
                _("{outcome} is not one of {outcomes}").format(
                    outcome=repr(decision.outcome), outcomes=", ".join(OUTCOMES)
                )
            )
        if decision.outcome == known[decision.criterion].outcome:
            continue
        if not decision.reason.strip():
            missing_reason.append(f"{automatic.scorecard_name}: {known[decision.criterion].name}")
        changes.append(decision)
    if missing_reason:
        raise ReviewInvalid(
            _("a reason is required to override: {criteria}").format(
                criteria=", ".join(missing_reason)
            )
        )
    return changes


def _store_human(
    session: Session, viewer: Viewer, reviewed: EvaluationRow, changes: list[VerdictDecision]
) -> int:
    automatic = load_evaluation(reviewed)
    pass_mark = load_version(reviewed.scorecard_version).pass_mark
    human = rescored(automatic, {c.criterion: c.outcome for c in changes}, pass_mark)
    row = save_evaluation(
        session,
        reviewed.call_id,
        reviewed.scorecard_version_id,
        human,
        kind=EvaluationKind.human,
        reviewer_id=viewer.user_id,
        reviews_evaluation_id=reviewed.id,
    )
    for decision in changes:
        before = automatic.verdict(decision.criterion).outcome
        session.add(
            VerdictOverride(
                evaluation_id=row.id,
                criterion=decision.criterion,
                automatic_outcome=before,
                new_outcome=decision.outcome,
                reason=decision.reason.strip(),
                reviewer_id=viewer.user_id,
            )
        )
        audit.record(
            session, "verdict.override", "evaluation", row.id, viewer.user_id,
            criterion=decision.criterion, before=before, after=decision.outcome,
            reason=decision.reason.strip(),
        )  # fmt: skip
    audit.record(
        session, "evaluation.review", "evaluation", row.id, viewer.user_id,
        call_id=reviewed.call_id, reviews=reviewed.id, score=human.score,
    )  # fmt: skip
    return row.id


def _store_comment(
    session: Session, viewer: Viewer, call_id: int, evaluation_ids: list[int], body: str
) -> None:
    if body.strip():
        session.add(
            Comment(
                call_id=call_id,
                evaluation_id=evaluation_ids[0] if evaluation_ids else None,
                author_id=viewer.user_id,
                body=body.strip(),
            )
        )


def _resolve_disputes(
    session: Session,
    viewer: Viewer,
    decisions: tuple[DisputeDecision, ...],
) -> None:
    for decision in decisions:
        status = DisputeStatus.upheld if decision.uphold else DisputeStatus.rejected
        # Conditional: only an open dispute is resolved, so two resolutions cannot both land.
        resolved = session.execute(
            update(Dispute)
            .where(Dispute.id == decision.dispute_id, Dispute.status == DisputeStatus.open)
            .values(
                status=status,
                resolution=decision.resolution.strip(),
                resolved_by_id=viewer.user_id,
                resolved_at=datetime.now(UTC),
            )
            .execution_options(synchronize_session="fetch")
        )
        if not _rows(resolved):
            raise AlreadyReviewed(_("This dispute was already resolved. Reload to see it."))
        audit.record(
            session, "dispute.resolve", "dispute", decision.dispute_id, viewer.user_id,
            status=status.value, resolution=decision.resolution.strip(),
        )  # fmt: skip


def _close_queue_items(session: Session, call_id: int) -> None:
    """A review answers every reason the call was queued for, disputes resolved with it."""
    open_items = session.scalars(
        select(ReviewQueueItem).where(
            ReviewQueueItem.call_id == call_id, ReviewQueueItem.status == QueueStatus.open
        )
    )
    for item in open_items:
        if item.reason == DISPUTE and item.dispute_id is not None:
            dispute = session.get(Dispute, item.dispute_id)
            if dispute is not None and dispute.status is DisputeStatus.open:
                continue  # still waiting for its resolution
        item.status = QueueStatus.done


def _rows(result: object) -> int:
    """Rows an UPDATE or DELETE matched."""
    return int(cast(CursorResult[Any], result).rowcount or 0)
