"""Who reviews which call: claims while a reviewer works on a call, assignments and quotas.

Opening a queued call claims it for `CLAIM_MINUTES`, so other reviewers see it as taken; a
QA lead (or an admin) assigns queued calls to reviewers and sets each one's weekly quota; "Next
call" hands a reviewer their own assigned calls first, then, until their quota for the week is
met, unassigned ones nobody holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa.errors import QAError
from qa.i18n import _
from qa.queries.access import LEADS, REVIEWERS, Viewer, ensure_role
from qa.queries.call_review import short_name
from qa.storage import audit
from qa.storage.models import (
    Call,
    EvaluationKind,
    QueueStatus,
    ReviewClaim,
    ReviewQueueItem,
    ReviewQuota,
    User,
)
from qa.storage.models import Evaluation as EvaluationRow

CLAIM_MINUTES = 30


@dataclass(frozen=True)
class Claim:
    call_id: int
    reviewer_id: int
    reviewer: str
    expires_at: datetime


@dataclass(frozen=True)
class QuotaProgress:
    reviewed_this_week: int
    calls_per_week: int | None  # None: no quota set

    @property
    def met(self) -> bool:
        """Whether a quota is set and reached; then "Next call" only hands out assigned calls."""
        return self.calls_per_week is not None and self.reviewed_this_week >= self.calls_per_week


def claim_call(session: Session, viewer: Viewer, call_id: int) -> Claim:
    """Claim the call for the viewer unless another reviewer holds a live claim.

    Returns whoever holds it afterwards. Conditional writes, so two reviewers opening the
    call at once cannot both get it.
    """
    ensure_role(viewer, *REVIEWERS)
    now = datetime.now(UTC)
    expires = now + timedelta(minutes=CLAIM_MINUTES)
    taken = session.execute(
        update(ReviewClaim)
        .where(
            ReviewClaim.call_id == call_id,
            or_(ReviewClaim.reviewer_id == viewer.user_id, ReviewClaim.expires_at < now),
        )
        .values(reviewer_id=viewer.user_id, claimed_at=now, expires_at=expires)
        .execution_options(synchronize_session=False)
    )
    if not _rows(taken):
        try:
            with session.begin_nested():
                session.add(
                    ReviewClaim(
                        call_id=call_id, reviewer_id=viewer.user_id, claimed_at=now,
                        expires_at=expires,
                    )
                )  # fmt: skip
        except IntegrityError:
            pass  # someone else's live claim
    holder = live_claims(session, [call_id]).get(call_id)
    assert holder is not None
    return holder


def release_claim(session: Session, viewer: Viewer, call_id: int) -> None:
    session.execute(
        delete(ReviewClaim).where(
            ReviewClaim.call_id == call_id, ReviewClaim.reviewer_id == viewer.user_id
        )
    )


def live_claims(session: Session, call_ids: list[int] | None = None) -> dict[int, Claim]:
    """The unexpired claims (of these calls), by call."""
    statement = (
        select(ReviewClaim, User.display_name)
        .join(User, User.id == ReviewClaim.reviewer_id)
        .where(ReviewClaim.expires_at >= datetime.now(UTC))
    )
    if call_ids is not None:
        statement = statement.where(ReviewClaim.call_id.in_(call_ids))
    return {
        claim.call_id: Claim(
            claim.call_id, claim.reviewer_id, short_name(name), _aware(claim.expires_at)
        )
        for claim, name in session.execute(statement)
    }


def assign_calls(
    session: Session, viewer: Viewer, call_ids: list[int], reviewer_id: int | None
) -> int:
    """Give the calls' open queue items to a reviewer (None: back to everyone)."""
    ensure_role(viewer, *LEADS)
    if reviewer_id is not None:
        reviewer = session.get(User, reviewer_id)
        if reviewer is None or reviewer.role not in REVIEWERS or not reviewer.active:
            raise QAError(_("calls can only be assigned to an active reviewer"))
    result = session.execute(
        update(ReviewQueueItem)
        .where(ReviewQueueItem.call_id.in_(call_ids), ReviewQueueItem.status == QueueStatus.open)
        .values(assigned_to_id=reviewer_id)
        .execution_options(synchronize_session=False)
    )
    audit.record(session, "review.assign", "user", reviewer_id or 0, viewer.user_id, calls=call_ids)
    return _rows(result)


def set_quota(
    session: Session, viewer: Viewer, reviewer_id: int, calls_per_week: int | None
) -> None:
    """A reviewer's weekly quota; None removes it."""
    ensure_role(viewer, *LEADS)
    if calls_per_week is not None and calls_per_week < 0:
        raise QAError(_("a quota is a number of calls, 0 or more"))
    quota = session.get(ReviewQuota, reviewer_id)
    if calls_per_week is None:
        if quota is not None:
            session.delete(quota)
    elif quota is None:
        session.add(ReviewQuota(reviewer_id=reviewer_id, calls_per_week=calls_per_week))
    else:
        quota.calls_per_week = calls_per_week
    audit.record(session, "review.quota", "user", reviewer_id, viewer.user_id, quota=calls_per_week)
    session.flush()


def quota_progress(session: Session, viewer: Viewer) -> QuotaProgress:
    """Calls the viewer reviewed this ISO week (Monday, UTC) against their quota."""
    return _progress_of(session, viewer.user_id)


def team_quota_progress(session: Session, viewer: Viewer) -> list[tuple[str, QuotaProgress]]:
    """Every active reviewer's week against their quota, for the QA lead."""
    ensure_role(viewer, *LEADS)
    return [(name, _progress_of(session, user_id)) for user_id, name in reviewers(session)]


def _progress_of(session: Session, reviewer_id: int) -> QuotaProgress:
    reviewed = session.scalar(
        select(func.count(func.distinct(EvaluationRow.call_id))).where(
            EvaluationRow.kind == EvaluationKind.human,
            EvaluationRow.reviewer_id == reviewer_id,
            EvaluationRow.created_at >= _this_monday(),
        )
    )
    quota = session.get(ReviewQuota, reviewer_id)
    return QuotaProgress(int(reviewed or 0), quota.calls_per_week if quota else None)


def _this_monday() -> datetime:
    today = datetime.now(UTC).date()
    return datetime.combine(today - timedelta(days=today.weekday()), datetime.min.time(), UTC)


def next_call(session: Session, viewer: Viewer) -> int | None:
    """The reviewer's next queued call, claimed for them: their assigned calls first, then
    unassigned ones while their weekly quota is not met (no quota: always); calls another
    reviewer holds are skipped. A met quota leaves the shared queue to the others."""
    ensure_role(viewer, *REVIEWERS)
    held = {c.call_id for c in live_claims(session).values() if c.reviewer_id != viewer.user_id}
    mine = ReviewQueueItem.assigned_to_id == viewer.user_id
    quota_met = quota_progress(session, viewer).met
    candidates = session.execute(
        select(ReviewQueueItem.call_id)
        .join(Call, Call.id == ReviewQueueItem.call_id)
        .where(
            ReviewQueueItem.status == QueueStatus.open,
            mine if quota_met else or_(mine, ReviewQueueItem.assigned_to_id.is_(None)),
        )
        # Not `mine DESC`: PostgreSQL sorts its NULLs (unassigned rows) first in DESC order.
        .order_by(case((mine, 0), else_=1), Call.started_at, ReviewQueueItem.id)
    ).scalars()
    for call_id in candidates:
        if call_id in held:
            continue
        if claim_call(session, viewer, call_id).reviewer_id == viewer.user_id:
            return int(call_id)
    return None


def reviewers(session: Session) -> list[tuple[int, str]]:
    """Active users who can review, for the assignment pickers."""
    rows = session.execute(
        select(User.id, User.display_name)
        .where(User.role.in_(REVIEWERS), User.active.is_(True))
        .order_by(User.display_name)
    )
    return [(user_id, name) for user_id, name in rows]


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _rows(result: object) -> int:
    """Rows an UPDATE or DELETE matched."""
    return int(cast(CursorResult[Any], result).rowcount or 0)
