"""One call through transcribe → redact → score → store, as one function of its id.

The same function runs inline, in a local process pool and in a Celery worker. Every status
change is its own short transaction, and the results (transcript, evaluations, status done)
are written in one transaction, so a crash at any point leaves either nothing or everything,
and the call can simply be processed again. A worker claims a call by a compare-and-set on
its status and attempt count, records itself as the holder and beats a heartbeat while it
works, so two workers never process one call at once and a dead worker's call is taken over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from qa.pipeline import transcribe as transcribe_stage
from qa.pipeline.audio_store import discard_audio
from qa.pipeline.liveness import IN_FLIGHT, heartbeat, held_by, holder_gone, worker_identity
from qa.pipeline.scoring import call_metadata, score_transcript, store_automatic_evaluations
from qa.pipeline.speaker_roles import with_roles
from qa.redaction import redact_transcript
from qa.review_sampling import ROLES_UNCERTAIN, queue_uncertain
from qa.settings import Settings, get_settings
from qa.storage import audit
from qa.storage.db import session_scope
from qa.storage.learned_models import active_classifiers
from qa.storage.models import Call, CallStatus, Transcript
from qa.storage.politeness import save_politeness
from qa.storage.scorecard_store import scorecards_for_new_calls
from qa.storage.transcripts import save_transcript
from scorecards.personal_data import mask_text
from scorecards.politeness import measure_politeness
from scorecards.results import CallMetadata
from transcription.errors import UnusableRecording
from transcription.options import TranscriptionOptions

# States a call may be (re)started from; `done`, `rejected_no_consent` and `needs_admin` are
# final (an in-flight call only once its worker is gone).
RESTARTABLE = (CallStatus.pending, CallStatus.failed, CallStatus.transcribing, CallStatus.scoring)
FINAL = (CallStatus.done, CallStatus.rejected_no_consent, CallStatus.needs_admin)
MAX_ERROR_LENGTH = 2000
CLAIM_TRIES = 5


@dataclass(frozen=True)
class ClaimedCall:
    """What processing needs from the call record, read once so no session stays open."""

    call_id: int
    audio_path: Path
    options: TranscriptionOptions
    metadata: CallMetadata


def process_call(database_url: str, call_id: int, settings: Settings | None = None) -> CallStatus:
    """Process one stored call; returns its status after. Never raises for a bad call.

    A call another live worker holds is left to it: the status returned is then in-flight.
    """
    settings = settings or get_settings()
    me = worker_identity()
    claimed = _claim(database_url, call_id, settings, me)
    if isinstance(claimed, CallStatus):
        return claimed
    try:
        with heartbeat(database_url, [call_id], me, settings.heartbeat_seconds):
            heard = transcribe_stage.transcribe(claimed.audio_path, claimed.options)
            transcript = redact_transcript(
                with_roles(
                    heard,
                    settings.role_confidence_threshold,
                    claimed.options.min_overtalk,
                    settings.role_agent_phrases,
                )
            )
            _set_status(database_url, call_id, me, CallStatus.scoring)
            with session_scope(database_url) as session:
                scorecards = scorecards_for_new_calls(session)
                classifiers = active_classifiers(session)
            scored = score_transcript(transcript, claimed.metadata, scorecards, classifiers)
            politeness = measure_politeness(transcript, classifiers.get("politeness"))
            with session_scope(database_url) as session:
                if not _finish(session, call_id, me):
                    return _status(database_url, call_id)
                save_transcript(session, call_id, transcript)
                store_automatic_evaluations(session, call_id, scored)
                if politeness is not None:
                    save_politeness(session, call_id, politeness)
                if transcript.roles_uncertain:
                    queue_uncertain(session, call_id, ROLES_UNCERTAIN)
                call = session.get_one(Call, call_id)
                call.duration = transcript.duration
                if not call.language:
                    call.language = transcript.language
    except UnusableRecording as error:  # not retried, and the stored copy is not kept
        return _refuse(database_url, call_id, me, error)
    except Exception as error:  # any failure is recorded on the call and can be retried
        return _fail(database_url, call_id, me, error, settings.max_attempts)
    return CallStatus.done


def _claim(
    database_url: str, call_id: int, settings: Settings, me: str
) -> ClaimedCall | CallStatus:
    """Take the call for this worker and count the attempt, unless it is final or held."""
    for _ in range(CLAIM_TRIES):
        with session_scope(database_url) as session:
            call = session.get(Call, call_id)
            if call is None:
                raise LookupError(f"no call with id {call_id}")
            if call.status not in RESTARTABLE:
                return call.status
            if call.status in IN_FLIGHT and not holder_gone(
                call.worker_id, call.heartbeat_at, settings.stale_seconds
            ):
                return call.status
            seen = (call.status, call.attempts)
            audio_path = call.audio_path
            options = transcribe_stage.transcription_options(
                settings, call.language, call.agent_channel
            )
            metadata = call_metadata(call)
        if call.attempts >= settings.max_attempts:
            message = (
                f"gave up after {call.attempts} attempt(s); see the audit log for the errors, "
                "fix the cause and set the call back to pending, or raise CALLQA_MAX_ATTEMPTS"
            )
            if _compare_and_set(
                database_url, call_id, seen, {"status": CallStatus.needs_admin, "error": message}
            ):
                return CallStatus.needs_admin
            continue
        if not audio_path:
            no_audio = {"status": CallStatus.needs_admin, "error": "no stored audio for this call"}
            if _compare_and_set(database_url, call_id, seen, no_audio):
                return CallStatus.needs_admin
            continue
        claim = {
            "status": CallStatus.transcribing,
            "attempts": call.attempts + 1,
            "error": None,
            "worker_id": me,
            "heartbeat_at": datetime.now(UTC),
        }
        if _compare_and_set(database_url, call_id, seen, claim):
            return ClaimedCall(call_id, Path(audio_path), options, metadata)
    return _status(database_url, call_id)


def _compare_and_set(
    database_url: str, call_id: int, seen: tuple[CallStatus, int], values: dict[str, Any]
) -> bool:
    """Change the call only if no one changed it since it was read as `seen` (status,
    attempts): every claim counts an attempt, so two claimants cannot both succeed."""
    status, attempts = seen
    with session_scope(database_url) as session:
        result = session.execute(
            update(Call)
            .where(Call.id == call_id, Call.status == status, Call.attempts == attempts)
            .values(**values)
        )
        return bool(cast(CursorResult[Any], result).rowcount)


def _finish(session: Session, call_id: int, me: str) -> bool:
    """Set status done unless the call was taken from this worker or finished by another."""
    already = session.scalar(select(Transcript.id).where(Transcript.call_id == call_id))
    if already is not None:
        return False
    result = session.execute(
        update(Call)
        .where(held_by(call_id, me), Call.status.in_(IN_FLIGHT))
        .values(status=CallStatus.done, error=None)
    )
    return bool(cast(CursorResult[Any], result).rowcount)


def _status(database_url: str, call_id: int) -> CallStatus:
    with session_scope(database_url) as session:
        return session.get_one(Call, call_id).status


def _set_status(database_url: str, call_id: int, me: str, status: CallStatus) -> None:
    with session_scope(database_url) as session:
        session.execute(
            update(Call)
            .where(held_by(call_id, me))
            .values(status=status, heartbeat_at=datetime.now(UTC))
        )


def _fail(
    database_url: str, call_id: int, me: str, error: Exception, max_attempts: int
) -> CallStatus:
    """Record the error; a call out of attempts needs an admin instead of another retry."""
    message = _error_message(error)
    with session_scope(database_url) as session:
        call = session.get_one(Call, call_id)
        if call.worker_id != me or call.status not in IN_FLIGHT:
            return call.status
        call.status = CallStatus.needs_admin if call.attempts >= max_attempts else CallStatus.failed
        call.error = message
        audit.record(session, "call.failed", "call", call_id, error=message)
        return call.status


def _error_message(error: Exception) -> str:
    # An error can quote what it failed on; it is stored and shown, so personal data is masked.
    return mask_text(f"{type(error).__name__}: {error}")[:MAX_ERROR_LENGTH]


def _refuse(database_url: str, call_id: int, me: str, error: Exception) -> CallStatus:
    """An unusable recording: no retry, and its stored copy is removed."""
    message = _error_message(error)
    with session_scope(database_url) as session:
        call = session.get_one(Call, call_id)
        if call.worker_id != me or call.status not in IN_FLIGHT:
            return call.status
        if call.audio_path:
            discard_audio(Path(call.audio_path))
        call.status, call.error, call.audio_path = CallStatus.needs_admin, message, None
        audit.record(session, "call.refused", "call", call_id, error=message)
        return call.status
