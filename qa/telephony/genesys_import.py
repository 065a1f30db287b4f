"""Genesys Cloud: a recording export (metadata JSON beside each audio file) becomes callqa calls.

The AWS S3 recording bulk export writes `conversation_id=<id>/<recordingId>.<ext>` with
`<recordingId>_metadata.json` beside it. The metadata names the conversation, its start and end,
and its participants by purpose (customer, acd for the queue, agent); a recording whose file is
still uploading waits for a later import. One recording is one call: a conversation transferred
to a second agent gives one call per agent, `genesys-<conversationId>-<recordingId>`.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from qa.i18n import _
from qa.telephony.json_records import for_each_record, parse_timestamp, read_json_records
from qa.telephony.registration import (
    AgentEntry,
    ImportPlan,
    ImportSettings,
    RecordingFolder,
    agent_fields,
)

METADATA_SUFFIX = "_metadata.json"
NOT_YET = {"UPLOADING", "RESTORING", "PENDING"}
AGENT_KEYS = ("userId", "userName", "email", "name")


def plan_genesys_import(settings: ImportSettings) -> ImportPlan:
    """Read every `*_metadata.json` under the export folder and decide what to register."""
    settings.consent.require()
    plan = ImportPlan()
    folder = RecordingFolder(settings.recordings)
    for path in sorted(folder.root.rglob(f"*{METADATA_SUFFIX}")):
        parsed = read_json_records(path)
        plan.problems += parsed.problems
        plan_one = partial(_plan_recording, plan, path=path, settings=settings, folder=folder)
        for_each_record(parsed.records, plan_one, plan.problems)
    return plan


def _plan_recording(
    plan: ImportPlan,
    where: str,
    metadata: dict[str, Any],
    *,
    path: Path,
    settings: ImportSettings,
    folder: RecordingFolder,
) -> None:
    conversation = str(metadata.get("conversationId") or "")
    if not conversation:
        raise ValueError(_("conversationId is missing"))
    recording_id = str(metadata.get("recordingId") or path.name.removesuffix(METADATA_SUFFIX))
    participants = [p for p in metadata.get("participants") or [] if isinstance(p, dict)]
    agent_part = _with_purpose(participants, "agent", "user")
    queue_part = _with_purpose(participants, "acd")
    customer = _with_purpose(participants, "customer", "external")
    queue = (queue_part or agent_part or {}).get("queueName")
    direction = str(
        metadata.get("direction") or metadata.get("originatingDirection") or "inbound"
    ).lower()
    if agent_part is None and (direction == "outbound" or queue_part is None):
        return  # no agent took part and nobody waited in a queue: nothing to review or count
    agent = _agent(agent_part, settings.agents) if agent_part else None
    if agent_part is not None and agent is None:
        plan.problems.append(
            _(
                "{where}: agent {agent} is not in the agent table; "
                "the call is kept without an agent"
            ).format(where=where, agent=agent_part.get("userId") or agent_part.get("name"))
        )
    base: dict[str, object] = {
        "call_id": f"genesys-{conversation}-{recording_id}",
        "client": settings.client,
        "started_at": parse_timestamp(
            metadata.get("conversationStartTime") or metadata.get("startTime")
        ),
        "direction": "outbound" if direction == "outbound" else "inbound",
        "queue": queue,
        "agent_channel": settings.agent_channel,
        "customer_id": (customer or {}).get("ani") or (customer or {}).get("address"),
        "wait_seconds": _seconds_between(queue_part, "connectedTime", "endTime"),
        "customer_consent": settings.consent.customer_consented(
            [
                {k: str(v) for k, v in (p.get("attributes") or {}).items()}
                for p in [metadata, *participants]
            ],
            queue,
        ),
    } | agent_fields(agent)
    if agent_part is None:
        plan.add_abandoned(base)
        return
    state = str(metadata.get("fileState") or "AVAILABLE").upper()
    if state in NOT_YET:
        plan.waiting.append(str(base["call_id"]))
        return
    file_name = metadata.get("fileName") or metadata.get("filePath")
    found = (
        (None, _("the recording is {state} in Genesys Cloud").format(state=state.lower()))
        if state != "AVAILABLE"
        else folder.named(str(file_name))
        if file_name
        else folder.with_stem(recording_id)
    )
    timings = {
        "ring_seconds": _seconds_between(agent_part, "alertingTime", "connectedTime"),
        "handle_seconds": _seconds_between(agent_part, "connectedTime", "endTime"),
    }
    plan.add_answered(base | timings, found, settings.settle_seconds, where)


def _with_purpose(participants: list[dict[str, Any]], *purposes: str) -> dict[str, Any] | None:
    return next((p for p in participants if str(p.get("purpose", "")).lower() in purposes), None)


def _agent(participant: dict[str, Any], agents: dict[str, AgentEntry]) -> AgentEntry | None:
    """By Genesys user id, else user name, e-mail or display name (whichever the table keeps)."""
    for key in AGENT_KEYS:
        value = participant.get(key)
        if value and str(value) in agents:
            return agents[str(value)]
    return None


def _seconds_between(participant: dict[str, Any] | None, start: str, end: str) -> float | None:
    if not participant or not participant.get(start) or not participant.get(end):
        return None
    elapsed = parse_timestamp(participant[end]) - parse_timestamp(participant[start])
    return max(0.0, elapsed.total_seconds())
