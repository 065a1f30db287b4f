"""The review workflow: the queue, one call with its evaluations, and a reviewer's decisions.

A review never edits the automatic evaluation: it adds a human evaluation next to it, with a
VerdictOverride row (and an audit entry) for every verdict the reviewer changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa.errors import NotFound, QAError
from qa.queries.access import Viewer, ensure_can_read_call, ensure_role, scope_calls
from qa.review_sampling import DISPUTE
from qa.storage import audit
from qa.storage.evaluations import load_evaluation, save_evaluation
from qa.storage.models import (
    Agent,
    Call,
    Client,
    Comment,
    Dispute,
    DisputeStatus,
    EvaluationKind,
    QueueStatus,
    ReviewQueueItem,
    Role,
    Team,
    Transcript,
    User,
    VerdictOverride,
)
from qa.storage.models import Evaluation as EvaluationRow
from qa.storage.transcripts import load_transcript
from scorecards.results import CriterionVerdict, Evaluation, Outcome
from transcription.transcript import CallTranscript

REVIEWERS = (Role.reviewer, Role.admin)
OUTCOMES: tuple[Outcome, ...] = ("pass", "fail", "na")


class ReviewInvalid(QAError):
    """A review that cannot be saved as submitted (e.g. an override without a reason)."""


@dataclass(frozen=True)
class QueueFilter:
    client_id: int | None = None
    team_id: int | None = None
    agent_id: int | None = None
    language: str | None = None
    start: date | None = None
    end: date | None = None
    max_score: float | None = None
    reason: str | None = None


@dataclass(frozen=True)
class QueueEntry:
    item_id: int
    call_id: int
    call_external_id: str
    reason: str
    started_at: datetime
    client: str
    team: str | None
    agent: str | None
    language: str | None
    score: float | None
    queued_at: datetime


def review_queue(session: Session, viewer: Viewer, view: QueueFilter) -> list[QueueEntry]:
    """Open queue items, oldest call first, with the call's lowest score that counts."""
    ensure_role(viewer, *REVIEWERS)
    lowest = (
        select(EvaluationRow.call_id, func.min(EvaluationRow.score).label("score"))
        .where(EvaluationRow.counts.is_(True))
        .group_by(EvaluationRow.call_id)
        .subquery()
    )
    statement = (
        select(
            ReviewQueueItem,
            Call.external_id,
            Call.started_at,
            Client.name,
            Team.name,
            Agent.name,
            Call.language,
            lowest.c.score,
        )
        .join(Call, Call.id == ReviewQueueItem.call_id)
        .join(Client, Client.id == Call.client_id)
        .outerjoin(Team, Team.id == Call.team_id)
        .outerjoin(Agent, Agent.id == Call.agent_id)
        .outerjoin(lowest, lowest.c.call_id == Call.id)
        .where(ReviewQueueItem.status == QueueStatus.open)
        .order_by(Call.started_at, ReviewQueueItem.id)
    )
    conditions = {
        Call.client_id: view.client_id,
        Call.team_id: view.team_id,
        Call.agent_id: view.agent_id,
        Call.language: view.language,
        ReviewQueueItem.reason: view.reason,
    }
    for column, value in conditions.items():
        if value is not None:
            statement = statement.where(column == value)
    if view.start is not None:
        statement = statement.where(Call.started_at >= _midnight(view.start))
    if view.end is not None:
        statement = statement.where(Call.started_at < _midnight(view.end + timedelta(days=1)))
    if view.max_score is not None:
        statement = statement.where(lowest.c.score <= view.max_score)
    rows = session.execute(scope_calls(statement, viewer))
    return [
        QueueEntry(
            item_id=item.id,
            call_id=item.call_id,
            call_external_id=external_id,
            reason=item.reason,
            started_at=started_at,
            client=client,
            team=team,
            agent=agent,
            language=language,
            score=score,
            queued_at=item.created_at,
        )
        for item, external_id, started_at, client, team, agent, language, score in rows
    ]


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@dataclass(frozen=True)
class StoredEvaluation:
    """An evaluation as stored: the scorer's dataclass plus who made it and when."""

    id: int
    kind: EvaluationKind
    created_at: datetime
    evaluation: Evaluation
    reviewer: str | None = None
    reviews_evaluation_id: int | None = None
    acknowledged_at: datetime | None = None
    overrides: dict[str, str] = field(default_factory=dict)  # criterion -> reason


@dataclass(frozen=True)
class DisputeView:
    id: int
    evaluation_id: int
    criterion: str
    reason: str
    raised_by: str
    status: DisputeStatus
    resolution: str | None
    resolved_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class CommentView:
    author: str
    body: str
    criterion: str | None
    created_at: datetime


@dataclass(frozen=True)
class CallForReview:
    call_id: int
    external_id: str
    started_at: datetime
    client: str
    team: str | None
    agent: str | None
    language: str | None
    status: str
    audio_path: str | None
    transcript: CallTranscript | None
    evaluations: tuple[StoredEvaluation, ...]
    disputes: tuple[DisputeView, ...]
    comments: tuple[CommentView, ...]

    @property
    def automatic(self) -> tuple[StoredEvaluation, ...]:
        return tuple(e for e in self.evaluations if e.kind is EvaluationKind.automatic)

    def reviews_of(self, evaluation_id: int) -> tuple[StoredEvaluation, ...]:
        return tuple(e for e in self.evaluations if e.reviews_evaluation_id == evaluation_id)

    @property
    def open_disputes(self) -> tuple[DisputeView, ...]:
        return tuple(d for d in self.disputes if d.status is DisputeStatus.open)


def call_for_review(session: Session, viewer: Viewer, call_id: int) -> CallForReview:
    """Everything the call review page shows; refused for a call outside the viewer's scope."""
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(f"there is no call with id {call_id}")
    ensure_can_read_call(call, viewer)
    transcript_row = session.scalar(select(Transcript).where(Transcript.call_id == call_id))
    rows = session.scalars(
        select(EvaluationRow).where(EvaluationRow.call_id == call_id).order_by(EvaluationRow.id)
    ).all()
    names = user_names(session)
    evaluations = tuple(_stored(session, row, names) for row in rows)
    evaluation_ids = [row.id for row in rows]
    disputes = session.scalars(
        select(Dispute).where(Dispute.evaluation_id.in_(evaluation_ids)).order_by(Dispute.id)
    ).all()
    comments = session.scalars(
        select(Comment).where(Comment.call_id == call_id).order_by(Comment.created_at)
    ).all()
    return CallForReview(
        call_id=call.id,
        external_id=call.external_id,
        started_at=call.started_at,
        client=call.client.name,
        team=call.team.name if call.team else None,
        agent=call.agent.name if call.agent else None,
        language=call.language,
        status=call.status.value,
        audio_path=call.audio_path,
        transcript=load_transcript(transcript_row) if transcript_row else None,
        evaluations=evaluations,
        disputes=tuple(dispute_view(d, names) for d in disputes),
        comments=tuple(
            CommentView(names.get(c.author_id, "?"), c.body, c.criterion, c.created_at)
            for c in comments
        ),
    )


def user_names(session: Session) -> dict[int, str]:
    """Staff as agents and clients see them on reviews and comments: first name and initial."""
    rows = session.execute(select(User.id, User.display_name))
    return {user_id: short_name(name) for user_id, name in rows}


def short_name(display_name: str) -> str:
    """'Rita Reviewer' -> 'Rita R.'; a single name is kept whole."""
    first, *rest = display_name.split() or ["?"]
    return f"{first} {rest[-1][0]}." if rest else first


def _stored(session: Session, row: EvaluationRow, names: dict[int, str]) -> StoredEvaluation:
    overrides = session.execute(
        select(VerdictOverride.criterion, VerdictOverride.reason).where(
            VerdictOverride.evaluation_id == row.id
        )
    )
    return StoredEvaluation(
        id=row.id,
        kind=row.kind,
        created_at=row.created_at,
        evaluation=load_evaluation(row),
        reviewer=names.get(row.reviewer_id) if row.reviewer_id else None,
        reviews_evaluation_id=row.reviews_evaluation_id,
        acknowledged_at=row.acknowledged_at,
        overrides={criterion: reason for criterion, reason in overrides},
    )


def dispute_view(d: Dispute, names: dict[int, str]) -> DisputeView:
    return DisputeView(
        id=d.id,
        evaluation_id=d.evaluation_id,
        criterion=d.criterion,
        reason=d.reason,
        raised_by=names.get(d.raised_by_id, "?"),
        status=d.status,
        resolution=d.resolution,
        resolved_at=d.resolved_at,
        created_at=d.created_at,
    )


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
        raise NotFound(f"there is no evaluation with id {submission.evaluation_id}")
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
            raise ReviewInvalid("a dispute needs a resolution text, whether upheld or rejected")
        dispute = session.get(Dispute, decision.dispute_id)
        if dispute is None or dispute.status is not DisputeStatus.open:
            raise ReviewInvalid(f"dispute {decision.dispute_id} is not open")
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
            raise ReviewInvalid(f"criterion {decision.criterion!r} is not in this evaluation")
        if decision.outcome not in OUTCOMES:
            raise ReviewInvalid(f"{decision.outcome!r} is not one of {', '.join(OUTCOMES)}")
        if decision.outcome == known[decision.criterion].outcome:
            continue
        if not decision.reason.strip():
            missing_reason.append(known[decision.criterion].name)
        changes.append(decision)
    if missing_reason:
        raise ReviewInvalid("a reason is required to override: " + ", ".join(missing_reason))
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
