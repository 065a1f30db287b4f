"""The audit log: who did what to which record, written in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from qa.storage.models import AuditEntry


def record(
    session: Session,
    action: str,
    entity_type: str,
    entity_id: int | str,
    actor_id: int | None = None,
    **details: Any,
) -> AuditEntry:
    """Add one entry; it commits (or rolls back) with the change it describes."""
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        details=details,
    )
    session.add(entry)
    return entry
