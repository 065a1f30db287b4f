"""Amazon Connect: contact trace records (CTRs) and their call recordings become callqa calls.

Each CTR is one contact: who took it (`Agent.Username`, none when the caller gave up), which
queue and how long the caller waited there, and where the recording is (`Recording.Location` or
`Recordings[]`, an S3 key whose last part is the file name). Connect records stereo at 8 kHz
with the customer on the left and the agent on the right.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from qa.i18n import _
from qa.telephony.json_records import for_each_record, parse_timestamp
from qa.telephony.registration import ImportPlan, ImportSettings, RecordingFolder, agent_fields

OUTBOUND = {"OUTBOUND", "CALLBACK", "API", "EXTERNAL_OUTBOUND"}
AGENT_CHANNEL = "right"
# Connect names a recording <ContactId>_<YYYYMMDDTHH:MM>_UTC.wav
_CONTACT_FILE = re.compile(r"^([0-9a-fA-F-]{36})_")


def plan_connect_import(
    records: list[tuple[str, dict[str, Any]]], settings: ImportSettings
) -> ImportPlan:
    """Decide, per voice contact, what to register."""
    settings.consent.require()
    plan = ImportPlan()
    folder = RecordingFolder(settings.recordings)
    by_contact = folder.keyed(_CONTACT_FILE)
    voice = [(w, r) for w, r in records if str(r.get("Channel") or "VOICE").upper() == "VOICE"]
    for_each_record(  # chats and tasks have no recording to review
        voice,
        lambda where, ctr: _plan_contact(plan, where, ctr, settings, folder, by_contact),
        plan.problems,
    )
    return plan


def _plan_contact(
    plan: ImportPlan,
    where: str,
    ctr: dict[str, Any],
    settings: ImportSettings,
    folder: RecordingFolder,
    by_contact: dict[str, Path],
) -> None:
    contact_id = str(ctr.get("ContactId") or "")
    if not contact_id:
        raise ValueError(_("ContactId is missing"))
    agent_record = ctr.get("Agent") or None
    queue = ctr.get("Queue") or None
    outbound = str(ctr.get("InitiationMethod") or "").upper() in OUTBOUND
    if agent_record is None and (outbound or queue is None):
        return  # self-service in the IVR, or an unanswered outbound attempt: nothing to review
    username = str(agent_record.get("Username") or "") if agent_record else ""
    agent = settings.agents.get(username) if username else None
    if username and agent is None:
        plan.problems.append(
            _(
                "{where}: agent {agent} is not in the agent table; the call is kept without one"
            ).format(where=where, agent=username)
        )
    queue_name = queue.get("Name") if queue else None
    base: dict[str, object] = {
        "call_id": f"connect-{contact_id}",
        "client": settings.client,
        "started_at": parse_timestamp(
            ctr.get("InitiationTimestamp") or ctr.get("ConnectedToSystemTimestamp")
        ),
        "direction": "outbound" if outbound else "inbound",
        "queue": queue_name,
        "agent_channel": AGENT_CHANNEL,
        "customer_id": (ctr.get("CustomerEndpoint") or {}).get("Address"),
        "wait_seconds": queue.get("Duration") if queue else None,
        "customer_consent": settings.consent.customer_consented(
            [{k: str(v) for k, v in (ctr.get("Attributes") or {}).items()}], queue_name
        ),
    } | agent_fields(agent)
    if agent_record is None:
        plan.add_abandoned(base)
        return
    plan.add_answered(
        base | _agent_timings(agent_record, queue),
        _recording(ctr, contact_id, folder, by_contact),
        settings.settle_seconds,
        where,
    )


def _agent_timings(agent: dict[str, Any], queue: dict[str, Any] | None) -> dict[str, object]:
    ring = None
    if queue and queue.get("DequeueTimestamp") and agent.get("ConnectedToAgentTimestamp"):
        dequeued = parse_timestamp(queue["DequeueTimestamp"])
        connected = parse_timestamp(agent["ConnectedToAgentTimestamp"])
        ring = max(0.0, (connected - dequeued).total_seconds())
    return {"ring_seconds": ring, "handle_seconds": agent.get("AgentInteractionDuration")}


def _recording(
    ctr: dict[str, Any], contact_id: str, folder: RecordingFolder, by_contact: dict[str, Path]
) -> tuple[Path | None, str]:
    """The contact's audio recording: by the file name its S3 location ends in, else by id."""
    entries = [
        *(ctr.get("Recordings") or []),
        *([ctr["Recording"]] if ctr.get("Recording") else []),
    ]
    audio = [
        e for e in entries if str(e.get("MediaStreamType") or e.get("Type") or "AUDIO") == "AUDIO"
    ]
    if not audio:
        return None, _("the contact has no call recording")
    entry = audio[0]
    status = str(entry.get("Status") or "AVAILABLE").upper()
    if status != "AVAILABLE":
        reason = entry.get("DeletionReason") or status.lower()
        return None, _("the recording is not available ({reason})").format(reason=reason)
    location = str(entry.get("Location") or "")
    if location:
        found = folder.named(location.rsplit("/", 1)[-1])
        if found[0] is not None or contact_id not in by_contact:
            return found
    if contact_id in by_contact:
        return folder.inside(by_contact[contact_id])
    return None, _("no recording for contact {contact} under {folder}").format(
        contact=contact_id, folder=folder.root
    )
