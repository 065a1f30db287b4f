"""One call as the review page shows it: transcript, evaluations, disputes and comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.queries.access import Viewer, ensure_can_read_call
from qa.storage.evaluations import load_evaluation
from qa.storage.models import (
    Call,
    Comment,
    Dispute,
    DisputeStatus,
    EvaluationKind,
    Transcript,
    User,
    VerdictOverride,
)
from qa.storage.models import Evaluation as EvaluationRow
from qa.storage.transcripts import load_transcript
from scorecards.results import Evaluation
from transcription.transcript import CallTranscript


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
    version_active: bool = True  # made with its scorecard's active version


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
    at_seconds: float | None = None  # pinned to this moment of the recording


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

    @property
    def to_review(self) -> tuple[StoredEvaluation, ...]:
        """One automatic evaluation per scorecard, the one a review starts from: the newest by
        the active version, else the newest (a call not rescored since a new version)."""
        chosen: dict[str, StoredEvaluation] = {}
        for e in self.automatic:  # oldest first
            kept = chosen.get(e.evaluation.scorecard)
            if kept is None or e.version_active or not kept.version_active:
                chosen[e.evaluation.scorecard] = e
        return tuple(sorted(chosen.values(), key=lambda e: e.evaluation.scorecard_name))

    @property
    def newest_evaluation_id(self) -> int:
        """What a review form saw; a review stored after it is someone else's."""
        return max((e.id for e in self.evaluations), default=0)

    def reviews_of(self, evaluation_id: int) -> tuple[StoredEvaluation, ...]:
        return tuple(e for e in self.evaluations if e.reviews_evaluation_id == evaluation_id)

    @property
    def open_disputes(self) -> tuple[DisputeView, ...]:
        return tuple(d for d in self.disputes if d.status is DisputeStatus.open)


def call_for_review(session: Session, viewer: Viewer, call_id: int) -> CallForReview:
    """Everything the call review page shows; refused for a call outside the viewer's scope."""
    call = ensure_can_read_call(session.get(Call, call_id), viewer)
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
            CommentView(
                names.get(c.author_id, "?"), c.body, c.criterion, c.created_at, c.at_seconds
            )
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
        version_active=row.scorecard_version.active,
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
