"""The consent gate: without both consents a call is never transcribed, scored or kept as audio."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from qa.storage import audit
from qa.storage.models import Call, CallStatus


def consent_given(call: Call) -> bool:
    return bool(call.customer_consent and call.agent_consent)


def reject_without_consent(
    session: Session, call: Call, source: Path, *, uploaded: bool, actor_id: int | None = None
) -> None:
    """Keep only the metadata, drop an uploaded recording, and record why in the audit log."""
    call.status = CallStatus.rejected_no_consent
    call.audio_path = None
    call.error = None
    missing = [
        who
        for who, given in (("customer", call.customer_consent), ("agent", call.agent_consent))
        if not given
    ]
    session.flush()
    audit.record(
        session,
        "call.rejected_no_consent",
        "call",
        call.id,
        actor_id,
        external_id=call.external_id,
        missing_consent=missing,
        upload_deleted=uploaded,
    )
    if uploaded:
        source.unlink(missing_ok=True)
