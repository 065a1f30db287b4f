"""Calls as lists: the ones a viewer may open, and the processing status admins watch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.queries.access import Viewer, ensure_role, scope_calls
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
