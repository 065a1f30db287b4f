"""Rescore stored transcripts with the active scorecard versions, without re-transcribing.

Old evaluations stay (they point at the version that made them); a call gets a new one only
for a version it has not been scored with, so running rescore twice adds nothing. Any stored
version can be used, not only the active one, to compare an edited scorecard with the old.

A mono call's agent and customer are decided again first, under the present
CALLQA_ROLE_AGENT_PHRASES and CALLQA_ROLE_CONFIDENCE_THRESHOLD: an admin who changed them
rescores to apply them. A call whose roles changed is recorded in the audit log and scored
again by every version rescored, since its old verdicts rest on the old roles; the newest
evaluation counts and the old one stays as history.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.errors import NotFound, QAError
from qa.i18n import _
from qa.pipeline.scoring import call_metadata, score_transcript, store_automatic_evaluations
from qa.pipeline.speaker_roles import redecide_roles
from qa.pipeline.transcribe import transcription_options
from qa.review_sampling import ROLES_UNCERTAIN, queue_uncertain
from qa.settings import Settings, get_settings
from qa.storage import audit
from qa.storage.db import session_scope
from qa.storage.evaluations import automatic_evaluation_exists
from qa.storage.learned_models import active_classifiers
from qa.storage.models import Call, CallPoliteness, CallStatus, Transcript
from qa.storage.politeness import save_politeness
from qa.storage.scorecard_store import ActiveScorecard, active_scorecards, stored_scorecard
from qa.storage.transcripts import load_transcript, save_roles
from scorecards.learned import TextClassifier
from scorecards.politeness import measure_politeness
from transcription.transcript import CallTranscript


@dataclass(frozen=True)
class RescoreReport:
    calls: int
    evaluations_added: int
    roles_changed: int = 0


def calls_to_rescore(
    database_url: str, since: datetime | None = None, until: datetime | None = None
) -> list[int]:
    """Processed calls started in [since, until)."""
    statement = select(Call.id).where(Call.status == CallStatus.done)
    if since is not None:
        statement = statement.where(Call.started_at >= since)
    if until is not None:
        statement = statement.where(Call.started_at < until)
    with session_scope(database_url) as session:
        return list(session.scalars(statement.order_by(Call.id)))


def scorecards_for_rescore(
    database_url: str, scorecard_key: str | None = None, version: str | None = None
) -> list[ActiveScorecard]:
    """The active versions (of one scorecard, or all), or one named version of one scorecard."""
    with session_scope(database_url) as session:
        if version is not None:
            if scorecard_key is None:
                raise QAError(_("a scorecard version needs the scorecard too (--scorecard KEY)"))
            return [stored_scorecard(session, scorecard_key, version)]
        scorecards = active_scorecards(session, scorecard_key)
    if not scorecards:
        if scorecard_key:
            raise NotFound(
                _("no active version of scorecard {key}").format(key=repr(scorecard_key))
            )
        raise NotFound(_("no active version of any scorecard"))
    return scorecards


def rescore_calls(
    database_url: str,
    call_ids: list[int],
    scorecards: list[ActiveScorecard],
    on_done: Callable[[int], None] | None = None,
    settings: Settings | None = None,
) -> RescoreReport:
    """Score each call's stored transcript with `scorecards`; one transaction per call."""
    settings = settings or get_settings()
    added = roles_changed = 0
    for call_id in call_ids:
        with session_scope(database_url) as session:
            call = session.get_one(Call, call_id)
            row = session.scalar(select(Transcript).where(Transcript.call_id == call_id))
            if row is not None:
                transcript, changed = _roles_decided_again(session, call, row, settings)
                roles_changed += changed
                to_score = [
                    s
                    for s in scorecards
                    if changed or not automatic_evaluation_exists(session, call_id, s.version_id)
                ]
                classifiers = active_classifiers(session)
                scored = score_transcript(transcript, call_metadata(call), to_score, classifiers)
                added += store_automatic_evaluations(session, call_id, scored, anew=changed)
                _measure_politeness_once(session, call_id, transcript, classifiers)
        if on_done:
            on_done(call_id)
    return RescoreReport(len(call_ids), added, roles_changed)


def _roles_decided_again(
    session: Session, call: Call, row: Transcript, settings: Settings
) -> tuple[CallTranscript, bool]:
    """The stored transcript with its mono roles decided again, stored and audited when the
    decision (labels, confidence or its trust) moved; whether it did."""
    stored = load_transcript(row)
    options = transcription_options(settings, call.language, call.agent_channel)
    transcript = redecide_roles(
        stored,
        settings.role_confidence_threshold,
        options.min_overtalk,
        settings.role_agent_phrases,
    )
    before, after = _decision(stored), _decision(transcript)
    if before == after:
        return stored, False
    save_roles(session, row, transcript)
    audit.record(
        session,
        "transcript.roles",
        "call",
        call.id,
        None,
        before=before,
        after=after,
        threshold=settings.role_confidence_threshold,
        agent_phrases=list(settings.role_agent_phrases),
    )
    if transcript.roles_uncertain:
        queue_uncertain(session, call.id, ROLES_UNCERTAIN)
    return transcript, True


def _decision(transcript: CallTranscript) -> dict[str, object]:
    """What a role decision stored: who said each utterance, how sure, whether trusted."""
    return {
        "speakers": "".join(u.speaker[0] for u in transcript.utterances),
        "role_confidence": transcript.role_confidence,
        "roles_uncertain": transcript.roles_uncertain,
    }


def _measure_politeness_once(
    session: Session,
    call_id: int,
    transcript: CallTranscript,
    classifiers: Mapping[str, TextClassifier],
) -> None:
    """Calls processed before politeness was measured get their measurement here."""
    if session.get(CallPoliteness, call_id) is None:
        measured = measure_politeness(transcript, classifiers.get("politeness"))
        if measured is not None:
            save_politeness(session, call_id, measured)
