"""Erasure and retention: remove a call's recording and words for good, and say so in the log.

`erase_calls` removes everything of a call: the audio file, the transcript, evaluations and
their verdicts (evidence), reviews, disputes, comments and queue items, the call row itself;
quotes of its words in coaching notes; and the personal details of earlier audit entries about
it. What remains is one audit entry that says how many calls were erased and why, and nothing
that identifies them. `purge` applies the retention periods: audio, then transcripts (and the
evidence quoting them), older than CALLQA_RETAIN_AUDIO_DAYS / CALLQA_RETAIN_TRANSCRIPT_DAYS.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import phonenumbers
from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session

from qa.settings import get_settings
from qa.storage import audit
from qa.storage.models import (
    AuditEntry,
    Call,
    CallPoliteness,
    CoachingSession,
    Comment,
    CriterionVerdictRecord,
    Dispute,
    Evaluation,
    ReviewQueueItem,
    Transcript,
    TranscriptUtterance,
    VerdictOverride,
)

# A quote shorter than this is too common a phrase to be a quote of one call ("thank you").
MIN_QUOTE_CHARS = 20
ERASED_QUOTE = "[erased]"


def customer_ref(phone_or_id: str, key: str) -> str:
    """A keyed hash of a customer's phone number or ID: finds their calls, tells nobody who.

    Phone numbers are compared in E.164 form, so "+98 912 345 6789" and "09123456789" match.
    """
    value = phone_or_id.strip()
    for region in ("IR", "RU", "US", "GB"):
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            value = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            break
    else:
        value = "".join(ch for ch in value.casefold() if ch.isalnum())
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def erase_calls(
    session: Session, call_ids: Sequence[int], reason: str, actor_id: int | None = None
) -> int:
    """Erase these calls completely (see the module docstring); returns how many there were."""
    calls = session.scalars(select(Call).where(Call.id.in_(call_ids))).all()
    if not calls:
        return 0
    ids = [c.id for c in calls]
    _strip_quotes(session, calls)
    evaluation_ids = list(session.scalars(select(Evaluation.id).where(Evaluation.call_id.in_(ids))))
    dispute_ids = list(
        session.scalars(select(Dispute.id).where(Dispute.evaluation_id.in_(evaluation_ids)))
    )
    _scrub_audit(session, "dispute", dispute_ids)
    _scrub_audit(session, "evaluation", evaluation_ids)
    _scrub_audit(session, "call", ids)
    session.execute(delete(ReviewQueueItem).where(ReviewQueueItem.call_id.in_(ids)))
    session.execute(delete(Comment).where(Comment.call_id.in_(ids)))
    session.execute(delete(CallPoliteness).where(CallPoliteness.call_id.in_(ids)))
    for model in (Dispute, VerdictOverride, CriterionVerdictRecord):
        session.execute(delete(model).where(model.evaluation_id.in_(evaluation_ids)))
    # Human reviews point at the automatic evaluation they reviewed: they go first.
    session.execute(
        delete(Evaluation).where(
            Evaluation.id.in_(evaluation_ids), Evaluation.reviews_evaluation_id.is_not(None)
        )
    )
    session.execute(delete(Evaluation).where(Evaluation.id.in_(evaluation_ids)))
    _delete_transcripts(session, ids)
    files = [Path(c.audio_path) for c in calls if c.audio_path]
    session.execute(delete(Call).where(Call.id.in_(ids)))
    session.flush()
    for path in files:
        path.unlink(missing_ok=True)
    audit.record(session, "call.erased", "erasure", "-", actor_id, calls=len(ids), reason=reason)
    _mark_erasure_on_commit(session)
    return len(ids)


ERASURE_MARK = "erasures.mark"


def erasure_mark(home: Path) -> int:
    """When personal data was last erased or purged here (ns; 0 never).

    The app keys its cached query results on it, so a call erased by the CLI, a purge or a
    withdrawn consent vanishes from every open page at once instead of after the cache's TTL.
    """
    try:
        return (home / ERASURE_MARK).stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def _mark_erasure_on_commit(session: Session) -> None:
    home = get_settings().home

    def touch(_: Session) -> None:
        home.mkdir(parents=True, exist_ok=True)
        (home / ERASURE_MARK).touch()

    event.listen(session, "after_commit", touch, once=True)


def _delete_transcripts(session: Session, call_ids: Sequence[int]) -> None:
    transcript_ids = list(
        session.scalars(select(Transcript.id).where(Transcript.call_id.in_(call_ids)))
    )
    session.execute(
        delete(TranscriptUtterance).where(TranscriptUtterance.transcript_id.in_(transcript_ids))
    )
    session.execute(delete(Transcript).where(Transcript.id.in_(transcript_ids)))


def _scrub_audit(session: Session, entity_type: str, ids: Sequence[int]) -> None:
    """Earlier log entries keep what happened, not which call (external id) it happened to."""
    if ids:
        session.execute(
            update(AuditEntry)
            .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id.in_(map(str, ids)))
            .values(entity_id="-", details={"erased": True})
        )


def _strip_quotes(session: Session, calls: Sequence[Call]) -> None:
    """Coaching notes about the calls' agents keep no quotes of what was said in them."""
    agent_ids = {c.agent_id for c in calls if c.agent_id is not None}
    if not agent_ids:
        return
    quotes = {
        text.strip()
        for text in session.scalars(
            select(TranscriptUtterance.text)
            .join(Transcript, Transcript.id == TranscriptUtterance.transcript_id)
            .where(Transcript.call_id.in_([c.id for c in calls]))
        )
        if len(text.strip()) >= MIN_QUOTE_CHARS
    }
    if not quotes:
        return
    ordered = sorted(quotes, key=len, reverse=True)
    sessions = session.scalars(
        select(CoachingSession).where(CoachingSession.agent_id.in_(agent_ids))
    )
    for coaching in sessions:
        for field in ("notes", "goals", "action_items"):
            text = getattr(coaching, field) or ""
            for quote in ordered:
                text = text.replace(quote, ERASED_QUOTE)
            setattr(coaching, field, text)


def calls_of(
    session: Session, *, external_id: str | None = None, ref: str | None = None
) -> list[int]:
    """The ids of the calls with this external id, or of this customer (by `customer_ref`)."""
    statement = select(Call.id)
    if external_id is not None:
        statement = statement.where(Call.external_id == external_id)
    if ref is not None:
        statement = statement.where(Call.customer_ref == ref)
    return list(session.scalars(statement))


@dataclass(frozen=True)
class PurgeReport:
    audio_removed: int
    transcripts_removed: int


def purge(
    session: Session,
    audio_days: int | None,
    transcript_days: int | None,
    now: datetime | None = None,
) -> PurgeReport:
    """Apply the retention periods (None keeps forever); the calls' scores are kept."""
    now = now or datetime.now(UTC)
    audio = transcripts = 0
    if audio_days is not None:
        old = session.scalars(
            select(Call).where(
                Call.audio_path.is_not(None), Call.started_at < now - timedelta(days=audio_days)
            )
        ).all()
        for call in old:
            Path(call.audio_path or "").unlink(missing_ok=True)
            call.audio_path = None
        audio = len(old)
    if transcript_days is not None:
        old_ids = list(
            session.scalars(
                select(Transcript.call_id)
                .join(Call, Call.id == Transcript.call_id)
                .where(Call.started_at < now - timedelta(days=transcript_days))
            )
        )
        _strip_quotes(session, session.scalars(select(Call).where(Call.id.in_(old_ids))).all())
        _delete_transcripts(session, old_ids)
        _drop_evidence(session, old_ids)
        transcripts = len(old_ids)
    if audio or transcripts:
        audit.record(session, "retention.purged", "retention", "-",
                     audio_removed=audio, transcripts_removed=transcripts)  # fmt: skip
        _mark_erasure_on_commit(session)
    return PurgeReport(audio, transcripts)


def _drop_evidence(session: Session, call_ids: Sequence[int]) -> None:
    """Verdicts keep their outcome and points; the quoted words go with the transcript."""
    verdicts = session.scalars(
        select(CriterionVerdictRecord)
        .join(Evaluation, Evaluation.id == CriterionVerdictRecord.evaluation_id)
        .where(Evaluation.call_id.in_(call_ids))
    )
    for verdict in verdicts:
        verdict.evidence = [_without_text(e) for e in verdict.evidence or []]


def _without_text(evidence: Any) -> Any:
    return {**evidence, "text": ""} if isinstance(evidence, dict) else evidence
