"""vCon (draft-ietf-vcon-vcon-core-04, syntax "0.4.0"): one call with its recording, transcript
and evaluations, for exchange with other contact-center tools.

Export writes masked transcript text only (as stored) and no phone numbers: parties are named by
role. callqa's own call metadata travels as an attachment of type `callqa-call`, so a vCon that
callqa wrote comes back as the same call; a vCon from elsewhere becomes a call whose consent is
taken from that attachment or from a `lawful_basis` attachment, and is never assumed.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.errors import QAError
from qa.i18n import _
from qa.invalid_input import describe_invalid
from qa.pipeline.manifest import ManifestRow
from qa.storage.models import Agent, Call, Client, Evaluation, ScorecardVersion, Team, Transcript

VCON_SYNTAX = "0.4.0"
VENDOR = "callqa"
CALL_ATTACHMENT = "callqa-call"
MEDIATYPES = {
    ".wav": "audio/x-wav",
    ".ogg": "audio/ogg",
    ".mp3": "audio/mpeg",
    ".flac": "audio/flac",
}
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "callqa.vcon")


class VconError(QAError):
    """A vCon that cannot be read as a call."""


def export_vcon(session: Session, call: Call, *, with_audio: bool = True) -> dict[str, Any]:
    """The call as a vCon document (a dict ready for `json.dumps`)."""
    agent = session.get(Agent, call.agent_id) if call.agent_id else None
    client = session.get(Client, call.client_id)
    team = session.get(Team, call.team_id) if call.team_id else None
    dialog: dict[str, Any] = {
        "type": "recording",
        "start": call.started_at.isoformat(),
        "parties": [0, 1],
        "originator": 1 if call.direction == "inbound" else 0,
    }
    if call.duration is not None:
        dialog["duration"] = call.duration
    if with_audio and call.audio_path and Path(call.audio_path).is_file():
        audio = Path(call.audio_path)
        dialog |= {
            "mediatype": MEDIATYPES.get(audio.suffix.lower(), "application/octet-stream"),
            "filename": f"{call.external_id}{audio.suffix}",
            "body": base64.urlsafe_b64encode(audio.read_bytes()).rstrip(b"=").decode(),
            "encoding": "base64url",
        }
    else:
        dialog = {"type": "incomplete", "start": dialog["start"], "parties": [0, 1],
                  "disposition": "no-recording-exported"}  # fmt: skip
    return {
        "vcon": VCON_SYNTAX,
        "uuid": str(uuid.uuid5(_NAMESPACE, call.external_id)),
        "created_at": datetime.now(call.started_at.tzinfo).isoformat(),
        "subject": f"{client.name if client else ''} call {call.external_id}".strip(),
        "parties": [
            {"name": agent.name if agent else "agent", "role": "agent"},
            {"name": "customer", "role": "customer"},
        ],
        "dialog": [dialog],
        "analysis": _transcript_analysis(session, call) + _evaluation_analysis(session, call),
        "attachments": [
            {
                "type": CALL_ATTACHMENT,
                "start": call.started_at.isoformat(),
                "party": 0,
                "encoding": "json",
                "body": _call_metadata(call, client, agent, team),
            }
        ],
    }


def _call_metadata(
    call: Call, client: Client | None, agent: Agent | None, team: Team | None
) -> dict[str, Any]:
    return {
        "call_id": call.external_id,
        "client": client.name if client else None,
        "team": team.name if team else None,
        "agent_id": agent.external_id if agent else None,
        "agent_name": agent.name if agent else None,
        "direction": call.direction,
        "queue": call.queue,
        "ring_seconds": call.ring_seconds,
        "wait_seconds": call.wait_seconds,
        "handle_seconds": call.handle_seconds,
        "customer_feedback": call.customer_feedback,
        "customer_consent": call.customer_consent,
        "agent_consent": call.agent_consent,
        "language": call.language,
        "agent_channel": call.agent_channel,
    }


def _transcript_analysis(session: Session, call: Call) -> list[dict[str, Any]]:
    transcript = session.scalar(select(Transcript).where(Transcript.call_id == call.id))
    if transcript is None:
        return []
    utterances = [
        {"speaker": u.speaker, "start": u.start, "end": u.end, "text": u.text}
        for u in transcript.utterances
    ]
    return [
        {
            "type": "transcript",
            "dialog": 0,
            "vendor": VENDOR,
            "product": transcript.model,
            "schema": "callqa-transcript-1",
            "encoding": "json",
            "body": {"language": transcript.language, "utterances": utterances},
        }
    ]


def _evaluation_analysis(session: Session, call: Call) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Evaluation, ScorecardVersion)
        .join(ScorecardVersion, ScorecardVersion.id == Evaluation.scorecard_version_id)
        .where(Evaluation.call_id == call.id, Evaluation.counts.is_(True))
        .order_by(ScorecardVersion.scorecard_key)
    )
    return [
        {
            "type": "evaluation",
            "dialog": 0,
            "vendor": VENDOR,
            "schema": "callqa-evaluation-1",
            "encoding": "json",
            "body": {
                "scorecard": version.scorecard_key,
                "version": version.version,
                "kind": evaluation.kind.value,
                "score": evaluation.score,
                "passed": evaluation.passed,
                "critical_failed": evaluation.critical_failed,
                "verdicts": [
                    {"criterion": v.criterion, "outcome": v.outcome, "points": v.points}
                    for v in evaluation.verdicts
                ],
            },
        }
        for evaluation, version in rows
    ]


@dataclass(frozen=True)
class ImportedVcon:
    row: ManifestRow
    audio: bytes | None
    suffix: str


def read_vcon(document: dict[str, Any], client: str | None) -> ImportedVcon:
    """The call a vCon describes; `client` names the client when the vCon does not."""
    if not isinstance(document, dict) or "vcon" not in document or "uuid" not in document:
        raise VconError(_("not a vCon: the object needs `vcon` and `uuid`"))
    dialogs = [d for d in document.get("dialog") or [] if isinstance(d, dict)]
    recording = next((d for d in dialogs if d.get("type") == "recording"), None)
    meta = _attachment(document, CALL_ATTACHMENT) or {}
    start = (recording or {}).get("start") or meta.get("started_at") or document.get("created_at")
    if not start:
        raise VconError(_("the vCon has no start time (dialog start or created_at)"))
    consent = meta or _lawful_basis(document)
    fields = {
        **{k: v for k, v in meta.items() if v is not None},
        "call_id": meta.get("call_id") or f"vcon-{document['uuid']}",
        "client": meta.get("client") or client,
        "started_at": start,
        "customer_consent": bool(consent.get("customer_consent")),
        "agent_consent": bool(consent.get("agent_consent")),
    }
    if not fields["client"]:
        raise VconError(_("the vCon names no client: give --client"))
    audio, suffix = _recording_audio(recording)
    fields["audio_file"] = f"{fields['call_id']}{suffix}"
    try:
        return ImportedVcon(ManifestRow.model_validate(fields), audio, suffix)
    except ValidationError as error:
        raise VconError(
            _("the vCon's call metadata is not valid: {problems}").format(
                problems=describe_invalid(error)
            )
        ) from error


def _attachment(document: dict[str, Any], kind: str) -> dict[str, Any] | None:
    for attachment in document.get("attachments") or []:
        if isinstance(attachment, dict) and kind in (
            attachment.get("type"),
            attachment.get("purpose"),
        ):
            body = attachment.get("body")
            if isinstance(body, str) and attachment.get("encoding") == "json":
                body = json.loads(body)
            return body if isinstance(body, dict) else None
    return None


def _lawful_basis(document: dict[str, Any]) -> dict[str, Any]:
    """Consent stated by the sender: a `lawful_basis` attachment whose basis is consent."""
    basis = _attachment(document, "lawful_basis") or {}
    given = str(basis.get("lawful_basis", "")).lower() == "consent" and basis.get("granted", True)
    return {"customer_consent": bool(given), "agent_consent": bool(given)}


def _recording_audio(recording: dict[str, Any] | None) -> tuple[bytes | None, str]:
    if recording is None or "body" not in recording:
        if recording is not None and recording.get("url"):
            raise VconError(
                _("recordings by URL are not fetched: export the vCon with inline audio")
            )
        return None, ".wav"
    if recording.get("encoding") not in ("base64url", "base64"):
        raise VconError(_("the recording must be inline, encoded as base64url"))
    body = str(recording["body"])
    audio = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    suffix = Path(str(recording.get("filename") or "")).suffix.lower()
    if suffix not in MEDIATYPES:
        suffix = {v: k for k, v in MEDIATYPES.items()}.get(str(recording.get("mediatype")), ".wav")
    return audio, suffix
