"""The database schema, as typed SQLAlchemy 2.0 models. Alembic owns the tables."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from qa.storage.search_index import searchable
from qa.storage.types import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


def _enum(cls: type[enum.Enum]) -> Enum:
    # Stored as plain strings so SQLite and PostgreSQL share one migration.
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class Role(enum.StrEnum):
    admin = "admin"
    lead = "lead"  # QA lead: reviews, assigns calls and quotas, runs calibration, coaches
    reviewer = "reviewer"
    coach = "coach"
    agent = "agent"
    client_viewer = "client_viewer"


class CallStatus(enum.StrEnum):
    pending = "pending"
    transcribing = "transcribing"
    scoring = "scoring"
    done = "done"
    failed = "failed"
    rejected_no_consent = "rejected_no_consent"
    # Failed CALLQA_MAX_ATTEMPTS times, or refused (too long, undecodable): retry skips it.
    needs_admin = "needs_admin"
    # Telephony metadata only: the caller hung up before an agent answered, or the phone
    # system wrote no recording. Counted in KPIs (abandonment), never processed.
    abandoned = "abandoned"
    no_recording = "no_recording"


class EvaluationKind(enum.StrEnum):
    automatic = "automatic"
    human = "human"


class DisputeStatus(enum.StrEnum):
    open = "open"
    upheld = "upheld"
    rejected = "rejected"


class QueueStatus(enum.StrEnum):
    open = "open"
    done = "done"


class Client(Base):
    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("client_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    name: Mapped[str] = mapped_column(String(200))
    client: Mapped[Client] = relationship()


class Agent(Base):
    __tablename__ = "agents"
    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    team: Mapped[Team | None] = relationship()


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The interface language (a code of languages/registry.yaml).
    language: Mapped[str] = mapped_column(String(16), default="en", server_default="en")


class Call(Base):
    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_client_started", "client_id", "started_at"),
        Index("ix_calls_team_started", "team_id", "started_at"),
        Index("ix_calls_agent_started", "agent_id", "started_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    direction: Mapped[str] = mapped_column(String(16), default="inbound")
    queue: Mapped[str | None] = mapped_column(String(100))
    ring_seconds: Mapped[float | None] = mapped_column(Float)
    wait_seconds: Mapped[float | None] = mapped_column(Float)
    handle_seconds: Mapped[float | None] = mapped_column(Float)
    customer_feedback: Mapped[float | None] = mapped_column(Float)
    customer_consent: Mapped[bool] = mapped_column(Boolean)
    agent_consent: Mapped[bool] = mapped_column(Boolean)
    audio_path: Mapped[str | None] = mapped_column(String(500))
    audio_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    duration: Mapped[float | None] = mapped_column(Float)
    language: Mapped[str | None] = mapped_column(String(8))
    # Keyed hash of the customer's phone or ID from the manifest (never the value itself), so
    # `erase --customer` finds their calls; see qa.privacy.customer_ref.
    customer_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    agent_channel: Mapped[str] = mapped_column(String(8), default="left")
    status: Mapped[CallStatus] = mapped_column(_enum(CallStatus), default=CallStatus.pending)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Which worker process holds a call being processed ("host:pid") and when it last showed
    # life: a call is stale when its worker is gone, not when some time has passed.
    worker_id: Mapped[str | None] = mapped_column(String(200))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    client: Mapped[Client] = relationship()
    team: Mapped[Team | None] = relationship()
    agent: Mapped[Agent | None] = relationship()


class Transcript(Base):
    __tablename__ = "transcripts"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), unique=True)
    language: Mapped[str] = mapped_column(String(8))
    language_probability: Mapped[float] = mapped_column(Float)
    duration: Mapped[float] = mapped_column(Float)
    channel_layout: Mapped[str] = mapped_column(String(8))
    # Mono calls: how cleanly the two voices split (0..1), kept so a rescore can decide the
    # roles again; how sure the agent/customer attribution of the voices is (0..1), and
    # whether it fell below the threshold trusted when the roles were last decided.
    voice_separation: Mapped[float | None] = mapped_column(Float)
    role_confidence: Mapped[float | None] = mapped_column(Float)
    roles_uncertain: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    model: Mapped[str] = mapped_column(String(300))
    # Call acoustics as transcription reports them (CallMetrics as JSON).
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Headline acoustics copied out of `metrics` so dashboards aggregate them in SQL.
    longest_silence: Mapped[float] = mapped_column(Float, default=0.0)
    hold_time: Mapped[float] = mapped_column(Float, default=0.0)
    total_silence: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    utterances: Mapped[list[TranscriptUtterance]] = relationship(
        order_by="TranscriptUtterance.position", cascade="all, delete-orphan"
    )


def _searchable_text(context: Any) -> str:
    return searchable(context.get_current_parameters()["text"])


class TranscriptUtterance(Base):
    """One utterance, with personal data already masked: the raw text never reaches the DB."""

    __tablename__ = "transcript_utterances"
    __table_args__ = (UniqueConstraint("transcript_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("transcripts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(16))
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    # What the full-text index holds (qa.storage.search_index), derived from `text` on insert
    # by the ORM and Core alike; utterances are written once (erasure and purge delete them).
    search_text: Mapped[str] = mapped_column(Text, default=_searchable_text, server_default="")
    words: Mapped[list[Any]] = mapped_column(JSON)
    loudness_dbfs: Mapped[float | None] = mapped_column(Float)


class ScorecardVersion(Base):
    __tablename__ = "scorecard_versions"
    __table_args__ = (UniqueConstraint("scorecard_key", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    yaml_text: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Evaluation(Base):
    __tablename__ = "evaluations"
    __table_args__ = (
        Index("ix_evaluations_call", "call_id"),
        Index("ix_evaluations_version_kind", "scorecard_version_id", "kind"),
        # Dashboards read only the counted evaluations, by call; covering what they aggregate
        # saves SQLite a table lookup per evaluation.
        Index(
            "ix_evaluations_counted",
            "counts",
            "call_id",
            "scorecard_version_id",
            "score",
            "passed",
            "critical_failed",
        ),  # fmt: skip
        # The database, not only `recount`, keeps one counted evaluation per call and
        # scorecard (any version, either kind): two writers racing (reviewers, workers, a
        # rescore under a new version) cannot both count.
        Index(
            "uq_evaluations_counted_per_scorecard",
            "call_id",
            "scorecard_key",
            unique=True,
            sqlite_where=text("counts"),
            postgresql_where=text("counts"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    scorecard_version_id: Mapped[int] = mapped_column(ForeignKey("scorecard_versions.id"))
    # The version's scorecard, copied so the unique index above can span its versions.
    scorecard_key: Mapped[str] = mapped_column(String(100))
    kind: Mapped[EvaluationKind] = mapped_column(_enum(EvaluationKind))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The automatic evaluation a human one reviewed.
    reviews_evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id"))
    score: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean)
    critical_failed: Mapped[bool] = mapped_column(Boolean)
    # Whether this is the one evaluation of its call and scorecard that reports count, kept
    # by every writer (qa.storage.evaluations.recount) so dashboards need no GROUP BY.
    counts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    sections: Mapped[list[Any]] = mapped_column(JSON, default=list)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    call: Mapped[Call] = relationship()
    scorecard_version: Mapped[ScorecardVersion] = relationship()
    verdicts: Mapped[list[CriterionVerdictRecord]] = relationship(
        cascade="all, delete-orphan", order_by="CriterionVerdictRecord.id"
    )


class CriterionVerdictRecord(Base):
    __tablename__ = "criterion_verdicts"
    __table_args__ = (
        Index("ix_verdicts_criterion_outcome", "criterion", "outcome"),
        # Failure rates over every counted evaluation read this index alone (no join, no
        # table lookup): the join to 500k verdicts and its sort cost SQLite half a second.
        Index(
            "ix_verdicts_counted", "counts", "scorecard_version_id", "criterion", "outcome", "name"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    # Copies of the evaluation's scorecard version and `counts` flag, kept by the writers
    # (qa.storage.evaluations), so unfiltered aggregates need not join the evaluations.
    scorecard_version_id: Mapped[int] = mapped_column(ForeignKey("scorecard_versions.id"))
    counts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    criterion: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    section: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(8))
    points: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float)
    critical: Mapped[bool] = mapped_column(Boolean, default=False)
    explanation: Mapped[str] = mapped_column(Text, default="")  # in English, for exports
    # The explanation as a message (scorecards.explanation): translated where it is shown.
    # None for verdicts stored before 0016, whose English text is all there is.
    explanation_message: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    coaching_tip: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # A learned check scored it inside its abstain band (a reviewer decides), and which
    # learned model versions (name@version) decided it.
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    learned_models: Mapped[list[Any]] = mapped_column(JSON, default=list)


class CallPoliteness(Base):
    """How polite the agent sounded in a call, as the politeness model reads it: a measurement
    shown as a trend, never a verdict (see scorecards.politeness)."""

    __tablename__ = "call_politeness"
    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(100))  # name@version
    utterances: Mapped[int] = mapped_column(Integer)
    mean: Mapped[float] = mapped_column(Float)
    lowest: Mapped[float] = mapped_column(Float)
    lowest_position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LearnedModelVersion(Base):
    """A learned model retrained with the center's reviewed calls; inactive until an admin
    activates it (one active version per name, like scorecard versions)."""

    __tablename__ = "learned_model_versions"
    __table_args__ = (UniqueConstraint("name", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    version: Mapped[str] = mapped_column(String(64))
    weights: Mapped[bytes] = mapped_column(LargeBinary)
    # Examples it was trained on and the before/after agreement on held-back reviewed calls.
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class VerdictOverride(Base):
    """A reviewer changing an automatic verdict; the reason is required."""

    __tablename__ = "verdict_overrides"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    criterion: Mapped[str] = mapped_column(String(100))
    automatic_outcome: Mapped[str] = mapped_column(String(8))
    new_outcome: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Comment(Base):
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id"))
    criterion: Mapped[str | None] = mapped_column(String(100))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    # The moment of the recording the comment is pinned to (seconds), if any.
    at_seconds: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Dispute(Base):
    __tablename__ = "disputes"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    criterion: Mapped[str] = mapped_column(String(100))
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[DisputeStatus] = mapped_column(_enum(DisputeStatus), default=DisputeStatus.open)
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReviewQueueItem(Base):
    __tablename__ = "review_queue"
    __table_args__ = (Index("ix_review_queue_status", "status", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(32))
    dispute_id: Mapped[int | None] = mapped_column(ForeignKey("disputes.id"))
    status: Mapped[QueueStatus] = mapped_column(_enum(QueueStatus), default=QueueStatus.open)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CoachingSession(Base):
    __tablename__ = "coaching_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    held_on: Mapped[date] = mapped_column(Date)
    focus_criteria: Mapped[list[Any]] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    action_items: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class UserSession(Base):
    """A signed-in browser. Only the token's sha256 is stored; the token lives in the cookie."""

    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ReviewClaim(Base):
    """A reviewer working on a call: others see it as taken until it expires or is submitted."""

    __tablename__ = "review_claims"
    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReviewQuota(Base):
    """How many calls a reviewer is expected to review per ISO week (set by an admin)."""

    __tablename__ = "review_quotas"
    reviewer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    calls_per_week: Mapped[int] = mapped_column(Integer)


class CalibrationStatus(enum.StrEnum):
    open = "open"
    closed = "closed"


class CalibrationSession(Base):
    """A QA lead's blind scoring exercise: the same calls, scored by several people."""

    __tablename__ = "calibration_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    scorecard_version_id: Mapped[int] = mapped_column(ForeignKey("scorecard_versions.id"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Whose answers the others are measured against (the lead unless an expert is named).
    expert_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The automatic scorer's verdicts join the comparison as one more participant.
    include_automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[CalibrationStatus] = mapped_column(
        _enum(CalibrationStatus), default=CalibrationStatus.open
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    scorecard_version: Mapped[ScorecardVersion] = relationship()


class CalibrationCall(Base):
    __tablename__ = "calibration_calls"
    __table_args__ = (UniqueConstraint("session_id", "call_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_sessions.id", ondelete="CASCADE"), index=True
    )
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))


class CalibrationParticipant(Base):
    __tablename__ = "calibration_participants"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CalibrationAnswer(Base):
    """One participant's outcome for one criterion of one call; hidden from others until close."""

    __tablename__ = "calibration_answers"
    __table_args__ = (UniqueConstraint("session_id", "call_id", "user_id", "criterion"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_sessions.id", ondelete="CASCADE"), index=True
    )
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    criterion: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WebhookDelivery(Base):
    """One event for one endpoint: the outbox that webhook sends are retried from and recorded in.

    Unique per endpoint, event and subject, so each event is sent once however often the
    dispatcher looks.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("endpoint", "event", "subject_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint: Mapped[str] = mapped_column(String(100))
    event: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    delivered: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    gave_up: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DigestItem(Base):
    """One event in one subscriber's e-mail digest, recorded with the digest that sent it, so
    each event reaches a subscriber once however often digests are sent."""

    __tablename__ = "digest_items"
    __table_args__ = (UniqueConstraint("subscriber", "event", "subject_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber: Mapped[str] = mapped_column(String(100))
    event: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
