"""Weeks of history behind the demo: earlier calls, scored with an older scorecard version.

A team a few months in has weekly trends with several points and a scorecard whose version
changed; a newcomer should see both. Each demo call gets copies a week, two and three weeks
earlier, reusing its recording and stored transcript (no transcription, so `qa demo` stays
fast), and the copies are scored with the active scorecards except Politeness, whose older
version (one weight different) they were "scored with at the time".
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.pipeline.scoring import call_metadata, score_transcript, store_automatic_evaluations
from qa.storage.models import Call, CallStatus, ScorecardVersion, Transcript
from qa.storage.scorecard_store import (
    ActiveScorecard,
    active_scorecards,
    load_version,
    save_scorecard_version,
)
from qa.storage.transcripts import load_transcript, save_transcript

HISTORY_WEEKS = 3
OLDER_VERSION_OF = "politeness"
# What the older Politeness weighed differently, and the version name it went by.
OLDER_EDIT = ("points: 2", "points: 3")
OLDER_NAME = "2025.4"
COPIED = (
    "client_id", "team_id", "agent_id", "direction", "queue", "ring_seconds", "wait_seconds",
    "handle_seconds", "customer_feedback", "customer_consent", "agent_consent", "audio_path",
    "audio_sha256", "duration", "language", "agent_channel",
)  # fmt: skip


def add_demo_history(session: Session) -> int:
    """Add the back-dated calls and the older version; returns how many calls were added."""
    originals = session.scalars(
        select(Call).where(Call.status == CallStatus.done).order_by(Call.started_at)
    ).all()
    if not originals:
        return 0
    earliest = originals[0].started_at - timedelta(weeks=HISTORY_WEEKS)
    scorecards = _scorecards_of_the_time(session, earliest)
    added = 0
    for call in originals:
        stored = session.scalar(select(Transcript).where(Transcript.call_id == call.id))
        if stored is None:
            continue
        transcript = load_transcript(stored)
        for weeks in range(1, HISTORY_WEEKS + 1):
            copy = Call(
                external_id=f"{call.external_id}_w{weeks}",
                started_at=call.started_at - timedelta(weeks=weeks),
                status=CallStatus.done,
                **{name: getattr(call, name) for name in COPIED},
            )
            session.add(copy)
            session.flush()
            save_transcript(session, copy.id, transcript)
            scored = score_transcript(transcript, call_metadata(copy), scorecards)
            store_automatic_evaluations(session, copy.id, scored)
            added += 1
    return added


def _scorecards_of_the_time(session: Session, created_at: datetime) -> list[ActiveScorecard]:
    """The active scorecards, with Politeness as its older, now inactive, version."""
    scorecards = active_scorecards(session)
    current = next((s for s in scorecards if s.scorecard.id == OLDER_VERSION_OF), None)
    if current is None:
        return scorecards
    row = session.get_one(ScorecardVersion, current.version_id)
    older_yaml = row.yaml_text.replace(*OLDER_EDIT, 1).replace(
        f'version: "{current.scorecard.version}"', f'version: "{OLDER_NAME}"', 1
    )
    older = save_scorecard_version(session, older_yaml)
    older.created_at = created_at  # saved before the current one, as it was
    session.flush()
    return [
        ActiveScorecard(older.id, load_version(older)) if s is current else s for s in scorecards
    ]
