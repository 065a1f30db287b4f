"""One call through transcribe → redact → score → store, as one function of its id.

The same function runs inline, in a local process pool and in a Celery worker. Every status
change is its own short transaction, and the results (transcript, evaluations, status done)
are written in one transaction, so a crash at any point leaves either nothing or everything,
and the call can simply be processed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from qa.pipeline import transcribe as transcribe_stage
from qa.pipeline.scoring import call_metadata, score_transcript, store_automatic_evaluations
from qa.redaction import redact_transcript
from qa.settings import Settings, get_settings
from qa.storage import audit
from qa.storage.db import session_scope
from qa.storage.learned_models import active_classifiers
from qa.storage.models import Call, CallStatus, Transcript
from qa.storage.scorecard_store import scorecards_for_new_calls
from qa.storage.transcripts import save_transcript
from scorecards.results import CallMetadata
from transcription.options import TranscriptionOptions

# States a call may be (re)started from; `done` and `rejected_no_consent` are final.
RESTARTABLE = (CallStatus.pending, CallStatus.failed, CallStatus.transcribing, CallStatus.scoring)
MAX_ERROR_LENGTH = 2000


@dataclass(frozen=True)
class ClaimedCall:
    """What processing needs from the call record, read once so no session stays open."""

    call_id: int
    audio_path: Path
    options: TranscriptionOptions
    metadata: CallMetadata


def process_call(database_url: str, call_id: int, settings: Settings | None = None) -> CallStatus:
    """Process one stored call; returns its final status. Never raises for a bad call."""
    settings = settings or get_settings()
    claimed = _claim(database_url, call_id, settings)
    if isinstance(claimed, CallStatus):
        return claimed
    try:
        transcript = redact_transcript(
            transcribe_stage.transcribe(claimed.audio_path, claimed.options)
        )
        _set_status(database_url, call_id, CallStatus.scoring)
        with session_scope(database_url) as session:
            scorecards = scorecards_for_new_calls(session)
            classifiers = active_classifiers(session)
        scored = score_transcript(transcript, claimed.metadata, scorecards, classifiers)
        with session_scope(database_url) as session:
            if not _finish(session, call_id):
                return CallStatus.done
            save_transcript(session, call_id, transcript)
            store_automatic_evaluations(session, call_id, scored)
            call = session.get_one(Call, call_id)
            call.duration = transcript.duration
            if not call.language:
                call.language = transcript.language
    except Exception as error:  # any failure is recorded on the call and can be retried
        _fail(database_url, call_id, error)
        return CallStatus.failed
    return CallStatus.done


def _claim(database_url: str, call_id: int, settings: Settings) -> ClaimedCall | CallStatus:
    """Mark the call as being transcribed and count the attempt; final calls are left alone."""
    with session_scope(database_url) as session:
        call = session.get(Call, call_id)
        if call is None:
            raise LookupError(f"no call with id {call_id}")
        if call.status not in RESTARTABLE:
            return call.status
        call.status = CallStatus.transcribing
        call.attempts += 1
        call.error = None
        if not call.audio_path:
            call.status = CallStatus.failed
            call.error = "no stored audio for this call"
            return CallStatus.failed
        return ClaimedCall(
            call_id=call.id,
            audio_path=Path(call.audio_path),
            options=transcribe_stage.transcription_options(
                settings, call.language, call.agent_channel
            ),
            metadata=call_metadata(call),
        )


def _finish(session: Session, call_id: int) -> bool:
    """Set status done unless another worker already did (then store nothing)."""
    already = session.scalar(select(Transcript.id).where(Transcript.call_id == call_id))
    if already is not None:
        return False
    result = session.execute(
        update(Call)
        .where(Call.id == call_id, Call.status != CallStatus.done)
        .values(status=CallStatus.done, error=None)
    )
    return bool(cast(CursorResult[Any], result).rowcount)


def _set_status(database_url: str, call_id: int, status: CallStatus) -> None:
    with session_scope(database_url) as session:
        session.execute(update(Call).where(Call.id == call_id).values(status=status))


def _fail(database_url: str, call_id: int, error: Exception) -> None:
    message = f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]
    with session_scope(database_url) as session:
        session.execute(
            update(Call)
            .where(Call.id == call_id, Call.status != CallStatus.done)
            .values(status=CallStatus.failed, error=message)
        )
        audit.record(session, "call.failed", "call", call_id, error=message)
