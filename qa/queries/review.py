"""A reviewer's decisions on a call: overrides, comments and dispute resolutions.

A review never edits the automatic evaluation: it adds a human evaluation next to it, with a
VerdictOverride row (and an audit entry) for every verdict the reviewer changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.errors import NotFound, QAError
from qa.i18n import _
from qa.queries.access import Viewer, ensure_can_read_call, ensure_role
from qa.review_sampling import DISPUTE
from qa.storage import audit
from qa.storage.evaluations import load_evaluation, save_evaluation
from qa.storage.models import (
    Comment,
    Dispute,
    DisputeStatus,
    EvaluationKind,
    QueueStatus,
    ReviewQueueItem,
    Role,
    VerdictOverride,
)
from qa.storage.models import Evaluation as EvaluationRow
from scorecards.results import CriterionVerdict, Evaluation, Outcome

REVIEWERS = (Role.reviewer, Role.admin)
OUTCOMES: tuple[Outcome, ...] = ("pass", "fail", "na")


class ReviewInvalid(QAError):
    """A review that cannot be saved as submitted (e.g. an override without a reason)."""


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
    evaluation_id: int  # the automatic evaluation being reviewed
    decisions: tuple[VerdictDecision, ...]
    comment: str = ""
    disputes: tuple[DisputeDecision, ...] = ()


def submit_review(session: Session, viewer: Viewer, submission: ReviewSubmission) -> int:
    """Save the human evaluation, its overrides, comment and dispute outcomes; close the queue.

    Everything is validated before anything is written, so a refused review leaves no trace.
    """
    ensure_role(viewer, *REVIEWERS)
    reviewed = session.get(EvaluationRow, submission.evaluation_id)
    if reviewed is None:
        raise NotFound(_("there is no evaluation with id {id}").format(id=submission.evaluation_id))
    ensure_can_read_call(reviewed.call, viewer)
    automatic = load_evaluation(reviewed)
    decisions = _with_upheld_disputes(session, reviewed, submission)
    changes = _validated_changes(automatic, decisions)
    human = rescore(automatic, changes, _pass_mark(reviewed))
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
    if submission.comment.strip():
        session.add(
            Comment(
                call_id=reviewed.call_id,
                evaluation_id=row.id,
                author_id=viewer.user_id,
                body=submission.comment.strip(),
            )
        )
    _resolve_disputes(session, viewer, submission.disputes)
    _close_queue_items(session, reviewed.call_id)
    audit.record(
        session, "evaluation.review", "evaluation", row.id, viewer.user_id,
        call_id=reviewed.call_id, reviews=reviewed.id, score=human.score,
    )  # fmt: skip
    session.flush()
    return row.id


def _with_upheld_disputes(
    session: Session, reviewed: EvaluationRow, submission: ReviewSubmission
) -> tuple[VerdictDecision, ...]:
    """An upheld dispute flips the disputed verdict unless the reviewer already changed it."""
    decisions = {d.criterion: d for d in submission.decisions}
    for decision in submission.disputes:
        if not decision.resolution.strip():
            raise ReviewInvalid(_("a dispute needs a resolution text, whether upheld or rejected"))
        dispute = session.get(Dispute, decision.dispute_id)
        if dispute is None or dispute.status is not DisputeStatus.open:
            raise ReviewInvalid(_("dispute {id} is not open").format(id=decision.dispute_id))
        if not decision.uphold:
            continue
        before = reviewed.verdicts
        current = next((v.outcome for v in before if v.criterion == dispute.criterion), None)
        chosen = decisions.get(dispute.criterion)
        if chosen is None or chosen.outcome == current:
            flipped: Outcome = "pass" if current == "fail" else "fail"
            decisions[dispute.criterion] = VerdictDecision(
                dispute.criterion, flipped, f"Dispute upheld: {decision.resolution.strip()}"
            )
    return tuple(decisions.values())


def _validated_changes(
    automatic: Evaluation, decisions: tuple[VerdictDecision, ...]
) -> list[VerdictDecision]:
    known = {v.criterion: v for v in automatic.verdicts}
    changes, missing_reason = [], []
    for decision in decisions:
        if decision.criterion not in known:
            raise ReviewInvalid(
                _("criterion {criterion!r} is not in this evaluation").format(
                    criterion=decision.criterion
                )
            )
        if decision.outcome not in OUTCOMES:
            raise ReviewInvalid(
                _("{outcome!r} is not one of {outcomes}").format(
                    outcome=decision.outcome, outcomes=", ".join(OUTCOMES)
                )
            )
        if decision.outcome == known[decision.criterion].outcome:
            continue
        if not decision.reason.strip():
            missing_reason.append(known[decision.criterion].name)
        changes.append(decision)
    if missing_reason:
        raise ReviewInvalid(
            _("a reason is required to override: {criteria}").format(
                criteria=", ".join(missing_reason)
            )
        )
    return changes


def rescore(automatic: Evaluation, changes: list[VerdictDecision], pass_mark: float) -> Evaluation:
    """The evaluation with the changed outcomes, scored as the scorecard scores it.

    A pass earns the criterion's full points, a fail none, and 'na' leaves it out; sections
    are weighted percentages over applicable criteria; a critical fail fails the evaluation.
    """
    by_criterion = {c.criterion: c.outcome for c in changes}
    verdicts = tuple(_changed(v, by_criterion.get(v.criterion)) for v in automatic.verdicts)
    sections = []
    total_weight = weighted = 0.0
    for section in automatic.sections:
        applicable = [v for v in verdicts if v.section == section.section and v.outcome != "na"]
        possible = sum(v.max_points for v in applicable)
        score = 100.0 * sum(v.points for v in applicable) / possible if possible else None
        sections.append(replace(section, score=score))
        if score is not None:
            total_weight += section.weight
            weighted += section.weight * score
    if not automatic.sections:
        applicable = [v for v in verdicts if v.outcome != "na"]
        possible = sum(v.max_points for v in applicable)
        weighted = 100.0 * sum(v.points for v in applicable) / possible if possible else 100.0
        total_weight = 1.0
    score = round(weighted / total_weight, 2) if total_weight else 100.0
    critical_failed = any(v.critical and v.outcome == "fail" for v in verdicts)
    return replace(
        automatic,
        score=score,
        passed=score >= pass_mark and not critical_failed,
        critical_failed=critical_failed,
        verdicts=verdicts,
        sections=tuple(sections),
    )


def _changed(verdict: CriterionVerdict, outcome: Outcome | None) -> CriterionVerdict:
    if outcome is None or outcome == verdict.outcome:
        return verdict
    points = verdict.max_points if outcome == "pass" else 0.0
    return replace(verdict, outcome=outcome, points=points)


def _pass_mark(row: EvaluationRow) -> float:
    """The pass mark of the scorecard version the evaluation used (80 if it names none)."""

    try:
        document = yaml.safe_load(row.scorecard_version.yaml_text) or {}
    except yaml.YAMLError:
        document = {}
    for key in ("pass_mark", "pass_score", "passing_score"):
        if isinstance(document, dict) and key in document:
            return float(document[key])
    return 80.0


def _resolve_disputes(
    session: Session, viewer: Viewer, decisions: tuple[DisputeDecision, ...]
) -> None:
    for decision in decisions:
        dispute = session.get(Dispute, decision.dispute_id)
        assert dispute is not None  # checked in _with_upheld_disputes
        dispute.status = DisputeStatus.upheld if decision.uphold else DisputeStatus.rejected
        dispute.resolution = decision.resolution.strip()
        dispute.resolved_by_id = viewer.user_id
        dispute.resolved_at = datetime.now(UTC)
        audit.record(
            session, "dispute.resolve", "dispute", dispute.id, viewer.user_id,
            status=dispute.status.value, resolution=dispute.resolution,
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
