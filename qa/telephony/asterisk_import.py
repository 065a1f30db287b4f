"""Turn Asterisk CDR legs into callqa calls: agent, direction, queue, timings, recording, consent.

FreePBX writes several CDR rows per call (IVR, queue, ring group legs) that share a linkedid; one
call is one group. The agent is the extension on the answering leg, mapped through the agent
table an admin keeps; consent comes from a rule the admin chooses and is never assumed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from qa.i18n import _
from qa.telephony.asterisk_cdr import CdrRecord
from qa.telephony.queue_log import QueueVisit
from qa.telephony.recording_legs import LEG_SUFFIX, Leg, agent_first
from qa.telephony.registration import (
    AgentEntry,
    ImportPlan,
    ImportSettings,
    RecordingFolder,
    agent_fields,
)

# SIP/1001-0000002a, PJSIP/1001-00000a1b, IAX2/1001-123, Local/1001@from-queue-0001;2
_EXTENSION = re.compile(r"^(?:SIP|PJSIP|IAX2|DAHDI|Local|Agent)/([^-@/;]+)", re.IGNORECASE)
# MixMonitor's FreePBX naming: <type>-<dst>-<src>-<YYYYMMDD>-<HHMMSS>-<uniqueid>.<ext>, and
# <…>-<uniqueid>-in.<ext> (-out, -r, -t…) for a call recorded as two legs
_MIXMONITOR = re.compile(
    rf"-(\d{{9,}}\.\d+)(?:{LEG_SUFFIX})?\.(?:wav|WAV|gsm|mp3|ogg|opus|flac|wav49)$"
)


def plan_import(
    records: Iterable[CdrRecord], visits: dict[str, QueueVisit], settings: ImportSettings
) -> ImportPlan:
    """Group legs into calls and decide, per call, what to register."""
    settings.consent.require()
    plan = ImportPlan()
    recordings = _RecordingIndex(settings.recordings)
    groups: dict[str, list[CdrRecord]] = defaultdict(list)
    for record in records:
        groups[record.linkedid].append(record)
    for linkedid, legs in groups.items():
        _plan_call(plan, linkedid, legs, visits, settings, recordings)
    return plan


def _plan_call(
    plan: ImportPlan,
    linkedid: str,
    legs: list[CdrRecord],
    visits: dict[str, QueueVisit],
    settings: ImportSettings,
    recordings: _RecordingIndex,
) -> None:
    legs.sort(key=lambda leg: (leg.start, leg.line))
    first = legs[0]
    visit = next((visits[leg.uniqueid] for leg in legs if leg.uniqueid in visits), None)
    agent_leg, extension, direction = _agent_leg(legs, settings.agents)
    queue = visit.queue if visit else _queue_of(legs)
    answered = agent_leg is not None and not (visit and visit.abandoned)
    if direction == "outbound" and not answered:
        return  # an unanswered outbound attempt is not a call to review or an abandonment
    agent = settings.agents.get(extension) if extension else None
    if extension and agent is None:
        plan.problems.append(
            _(
                "CDR line {line}: extension {extension} is not in the agent table; "
                "the call is kept without an agent"
            ).format(line=first.line, extension=extension)
        )
    base: dict[str, object] = {
        "call_id": f"asterisk-{linkedid}",
        "client": settings.client,
        "started_at": first.start,
        "direction": direction,
        "queue": queue,
        "agent_channel": settings.agent_channel,
        "customer_consent": settings.consent.customer_consented(
            [leg.fields for leg in legs], queue, [f"{leg.lastapp}({leg.lastdata})" for leg in legs]
        ),
    } | agent_fields(agent)
    if not answered:
        waited = visit.wait_seconds if visit else max(leg.duration for leg in legs)
        plan.add_abandoned(base | {"wait_seconds": waited})
        return
    assert agent_leg is not None
    timing = {
        "ring_seconds": visit.ring_seconds if visit else agent_leg.duration - agent_leg.billsec,
        "wait_seconds": visit.wait_seconds if visit else None,
        "handle_seconds": agent_leg.billsec,
    }
    found, reason = recordings.find(legs)
    recording = (
        agent_first(found, direction, settings.agent_leg) if isinstance(found, dict) else found
    )
    plan.add_answered(
        base | timing,
        (recording, reason),
        settings.settle_seconds,
        _("CDR line {line}").format(line=first.line),
    )


def _agent_leg(
    legs: list[CdrRecord], agents: dict[str, AgentEntry]
) -> tuple[CdrRecord | None, str | None, str]:
    """The leg an agent answered, the agent's extension, and the call's direction."""
    for leg in sorted(legs, key=lambda leg: -leg.billsec):
        callee = _extension(leg.dstchannel)
        if leg.answered and callee and (callee in agents or not agents):
            return leg, callee, "inbound"
    for leg in legs:
        caller = _extension(leg.channel)
        if caller and caller in agents:
            return (leg if leg.answered else None), caller, "outbound"
    return None, None, "inbound"


def _extension(channel: str) -> str | None:
    match = _EXTENSION.match(channel)
    return match.group(1) if match else None


def _queue_of(legs: list[CdrRecord]) -> str | None:
    for leg in legs:
        if leg.lastapp.lower() == "queue" and leg.lastdata:
            return leg.lastdata.split(",")[0]
    return None


class _RecordingIndex:
    """Finds a call's recording by the CDR's recordingfile or MixMonitor's uniqueid naming:
    one file, or its two legs, which are preferred to a mono mix."""

    def __init__(self, root: Path) -> None:
        self.folder = RecordingFolder(root)
        self._by_uniqueid = self.folder.keyed(_MIXMONITOR)

    def find(self, legs: list[CdrRecord]) -> tuple[Path | dict[Leg, Path] | None, str]:
        named = next((leg.recordingfile for leg in legs if leg.recordingfile), None)
        if named:
            return self.folder.mix_or_legs(named)
        for leg in legs:
            found = self._by_uniqueid.get(leg.uniqueid)
            if found is not None:
                return self.folder.mix_or_legs(found.name)
        return None, _("no recording for uniqueid {uniqueid} under {folder}").format(
            uniqueid=legs[0].uniqueid, folder=self.folder.root
        )
