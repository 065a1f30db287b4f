"""Calls: the ones a viewer may open, and the admin's uploads, processing status and retries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.pipeline.ingest import IngestReport, RegisteredCall, ingest_manifest, register_call
from qa.pipeline.manifest import ManifestRow
from qa.pipeline.runner import Progress, run_calls
from qa.queries.access import Viewer, ensure_role, scope_calls
from qa.settings import Settings
from qa.storage.models import Agent, Call, CallStatus, Client, Role


@dataclass(frozen=True)
class CallListing:
    id: int
    external_id: str
    started_at: datetime
    client: str
    agent: str | None
    language: str | None
    status: CallStatus
    error: str | None
    attempts: int
    duration: float | None


def visible_calls(
    session: Session, viewer: Viewer, status: CallStatus | None = None, limit: int = 500
) -> list[CallListing]:
    """The newest calls this viewer may open (agents: their own; client viewers: their client's)."""
    statement = (
        select(Call, Client.name, Agent.name)
        .join(Client, Client.id == Call.client_id)
        .outerjoin(Agent, Agent.id == Call.agent_id)
        .order_by(Call.started_at.desc(), Call.id.desc())
        .limit(limit)
    )
    if status is not None:
        statement = statement.where(Call.status == status)
    return [
        CallListing(
            id=call.id,
            external_id=call.external_id,
            started_at=call.started_at,
            client=client,
            agent=agent,
            language=call.language,
            status=call.status,
            error=call.error,
            attempts=call.attempts,
            duration=call.duration,
        )
        for call, client, agent in session.execute(scope_calls(statement, viewer))
    ]


def processing_status(session: Session, viewer: Viewer) -> list[CallListing]:
    """Every call with its status and error, for the admin's Calls page."""
    ensure_role(viewer, Role.admin)
    return visible_calls(session, viewer, limit=2000)


def ingest_uploaded_manifest(
    viewer: Viewer, database_url: str, manifest: Path, audio_root: Path, settings: Settings
) -> IngestReport:
    """Register the rows of an uploaded manifest whose recordings were uploaded beside it."""
    ensure_role(viewer, Role.admin)
    return ingest_manifest(database_url, manifest, settings, audio_root=audio_root)


def register_uploaded_call(
    session: Session, viewer: Viewer, row: ManifestRow, recording: Path, settings: Settings
) -> RegisteredCall:
    """One call from the metadata form; without both consents the upload is deleted."""
    ensure_role(viewer, Role.admin)
    return register_call(session, row, recording, settings, uploaded=True, actor_id=viewer.user_id)


def process_calls(
    viewer: Viewer,
    database_url: str,
    call_ids: Sequence[int],
    settings: Settings,
    on_done: Progress | None = None,
) -> Counter[CallStatus]:
    """Transcribe and score calls now (new ones, or failed ones again), reporting each."""
    ensure_role(viewer, Role.admin)
    return run_calls(database_url, call_ids, settings, on_done=on_done)
