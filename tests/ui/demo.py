"""The demo database as `qa demo` builds it, with the demo calls' scripts as transcripts.

Transcribing twelve recordings takes minutes on the test machine, and these tests are about
the pages, not recognition: the calls are ingested from the real demo manifest, their scripted
turns stored as transcripts, scored by the shipped scorecards, and the demo's users and activity
added by the demo command's own functions.
"""

from __future__ import annotations

import json
from unittest.mock import patch

from sqlalchemy import update

from qa.cli.demo_command import DEMO_DIR, DEMO_USERS, add_demo_users
from qa.demo_activity import add_demo_activity
from qa.pipeline.ingest import ingest_manifest
from qa.pipeline.scoring import call_metadata, score_transcript, store_automatic_evaluations
from qa.settings import get_settings
from qa.storage import directory
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus
from qa.storage.scorecard_store import scorecards_for_new_calls
from qa.storage.transcripts import save_transcript
from tests.ui.seed import _argon2_hash
from transcription.acoustics import call_metrics
from transcription.transcript import CallTranscript, Utterance

DEMO_AGENTS = tuple(u.username for u in DEMO_USERS if u.agent)


def build_demo(url: str) -> dict[str, str]:
    """Fill the (migrated, empty) database; returns the demo users' passwords."""
    settings = get_settings()
    report = ingest_manifest(url, DEMO_DIR / "manifest.csv", settings, audio_root=DEMO_DIR)
    assert not report.problems, report.problems
    with session_scope(url) as session:
        scorecards = scorecards_for_new_calls(session)
        for call_id in report.to_process:
            call = session.get_one(Call, call_id)
            transcript = _scripted(call.external_id)
            save_transcript(session, call_id, transcript)
            scored = score_transcript(transcript, call_metadata(call), scorecards)
            store_automatic_evaluations(session, call_id, scored)
            session.execute(
                update(Call)
                .where(Call.id == call_id)
                .values(status=CallStatus.done, language=transcript.language)
            )
    with patch.object(directory, "hash_password", _argon2_hash):
        passwords = add_demo_users(url)
    with session_scope(url) as session:
        add_demo_activity(session)
    return passwords


def _scripted(external_id: str) -> CallTranscript:
    script = json.loads((DEMO_DIR / f"{external_id}.json").read_text(encoding="utf-8"))
    utterances = tuple(
        Utterance(speaker=t["speaker"], start=t["start"], end=t["end"], text=t["text"])
        for t in script["turns"]
    )
    return CallTranscript(
        language=script["language"],
        language_probability=1.0,
        duration=script["duration"],
        channel_layout="stereo",
        utterances=utterances,
        metrics=call_metrics(utterances, hold_threshold=10.0, min_overtalk=0.3),
        model="demo script",
    )
