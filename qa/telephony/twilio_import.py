"""Twilio: Call and Recording resources (REST API pages or exported JSON) become callqa calls.

A call is a parent leg (the customer's inbound call, or the call the API placed) and its child
legs (`<Dial>` to an agent). A dual-channel recording holds the leg it was made on (its
`call_sid`: the parent for `<Dial record>` and `Record=true`) on the first (left) channel and
the other side on the second, so the agent's side depends on which leg is theirs and which leg
was recorded: an inbound customer leaves the agent on the right, a click-to-call that rang the
agent first puts the agent on the left, and a recording started on the agent's child leg
(`POST /Calls/{child sid}/Recordings`) puts the agent on the left again. Agents are found
through the agent table by their Twilio identity (`client:alice`, `sip:1001@…`, or a phone
number).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qa.i18n import _
from qa.telephony.json_records import parse_timestamp
from qa.telephony.registration import (
    AgentEntry,
    ImportPlan,
    ImportSettings,
    RecordingFolder,
    agent_fields,
)

IN_PROGRESS = {"queued", "ringing", "in-progress"}
RECORDING_NOT_READY = {"in-progress", "processing", "paused"}
_SIP_USER = re.compile(r"^sips?:([^@;]+)", re.IGNORECASE)


@dataclass(frozen=True)
class TwilioLeg:
    where: str
    sid: str
    parent_sid: str | None
    caller: str
    callee: str
    direction: str  # inbound, outbound-api, outbound-dial
    status: str
    start: datetime
    end: datetime | None
    duration: float
    fields: dict[str, str]

    @property
    def party(self) -> str:
        """Whose voice this leg carries: the caller of an inbound leg, else the one called."""
        return self.caller if self.direction == "inbound" else self.callee

    @property
    def answered(self) -> bool:
        return self.status == "completed" and self.duration > 0


def plan_twilio_import(
    calls: list[tuple[str, dict[str, Any]]],
    recordings: list[tuple[str, dict[str, Any]]],
    settings: ImportSettings,
) -> ImportPlan:
    """Group legs under their parent call and decide, per call, what to register."""
    settings.consent.require()
    plan = ImportPlan()
    legs = [leg for where, record in calls if (leg := _leg(plan, where, record))]
    by_sid = {leg.sid: leg for leg in legs}
    children: dict[str, list[TwilioLeg]] = defaultdict(list)
    for leg in legs:
        if leg.parent_sid:
            if leg.parent_sid in by_sid:
                children[leg.parent_sid].append(leg)
            else:
                plan.problems.append(
                    _("{where}: parent call {parent} is not in the file; leg skipped").format(
                        where=leg.where, parent=leg.parent_sid
                    )
                )
    recordings_by_call: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for where, recording in recordings:
        if recording.get("sid") and recording.get("call_sid"):
            recordings_by_call[str(recording["call_sid"])].append(recording)
        else:
            plan.problems.append(
                _("{where}: a recording needs sid and call_sid").format(where=where)
            )
    folder = RecordingFolder(settings.recordings)
    for parent in (leg for leg in legs if not leg.parent_sid):
        family = [parent, *sorted(children[parent.sid], key=lambda c: c.start)]
        found = [r for leg in family for r in recordings_by_call.get(leg.sid, [])]
        _plan_call(plan, parent, family[1:], found, settings, folder)
    return plan


def _leg(plan: ImportPlan, where: str, record: dict[str, Any]) -> TwilioLeg | None:
    try:
        sid = str(record.get("sid") or "")
        if not sid.startswith("CA"):
            raise ValueError(_("sid is missing or not a call sid (CA…)"))
        end = record.get("end_time")
        return TwilioLeg(
            where=where,
            sid=sid,
            parent_sid=record.get("parent_call_sid") or None,
            caller=str(record.get("from") or ""),
            callee=str(record.get("to") or ""),
            direction=str(record.get("direction") or "inbound").lower(),
            status=str(record.get("status") or "").lower(),
            start=parse_timestamp(record.get("start_time") or record.get("date_created")),
            end=parse_timestamp(end) if end else None,
            duration=float(record.get("duration") or 0),
            fields={k: str(v) for k, v in record.items() if v is not None},
        )
    except (TypeError, ValueError) as error:
        plan.problems.append(_("{where}: {problem}").format(where=where, problem=error))
        return None


def _plan_call(
    plan: ImportPlan,
    parent: TwilioLeg,
    children: list[TwilioLeg],
    recordings: list[dict[str, Any]],
    settings: ImportSettings,
    folder: RecordingFolder,
) -> None:
    call_id = f"twilio-{parent.sid}"
    if parent.status in IN_PROGRESS or any(c.status in IN_PROGRESS for c in children):
        plan.waiting.append(call_id)
        return
    inbound = parent.direction == "inbound"
    agent_on_parent = _agent(parent.party, settings.agents) is not None
    agent_leg = parent if agent_on_parent else _agent_child(children, settings.agents)
    customer_leg = next((c for c in children if c.answered), None) if agent_on_parent else parent
    answered = agent_leg is not None and agent_leg.answered and customer_leg is not None
    if not inbound and not answered:
        return  # an unanswered outbound attempt is not a call to review or an abandonment
    agent = _agent(agent_leg.party, settings.agents) if agent_leg else None
    if agent_leg is not None and agent is None:
        plan.problems.append(
            _(
                "{where}: {party} is not in the agent table; the call is kept without an agent"
            ).format(where=parent.where, party=agent_leg.party)
        )
    # The dual-channel file when Twilio made both (a mono mix-down may sit beside it).
    recording = max(recordings, key=lambda r: int(r.get("channels") or 1), default=None)
    recorded_sid = str(recording["call_sid"]) if recording else parent.sid
    base: dict[str, object] = {
        "call_id": call_id,
        "client": settings.client,
        "started_at": parent.start,
        "direction": "inbound" if inbound else "outbound",
        "agent_channel": _agent_channel(recorded_sid, parent, agent_leg, customer_leg),
        "customer_id": (customer_leg or parent).party or None,
        "customer_consent": settings.consent.customer_consented(
            [parent.fields, *(c.fields for c in children)], None
        ),
    } | agent_fields(agent)
    if not answered:
        plan.add_abandoned(base | {"wait_seconds": parent.duration})
        return
    assert agent_leg is not None
    if recording and str(recording.get("status") or "").lower() in RECORDING_NOT_READY:
        plan.waiting.append(call_id)
        return
    found = (
        folder.with_stem(str(recording["sid"]))
        if recording
        else (None, "Twilio lists no recording for the call")
    )
    plan.add_answered(
        base | _timings(parent, agent_leg, agent_on_parent),
        found,
        settings.settle_seconds,
        parent.where,
    )


def _agent_channel(
    recorded_sid: str,
    parent: TwilioLeg,
    agent_leg: TwilioLeg | None,
    customer_leg: TwilioLeg | None,
) -> str:
    """The agent's channel: the first when the recording was made on their own leg, the
    second when it was made on the customer's (a leg that is neither: as on the parent)."""
    if agent_leg is not None and recorded_sid == agent_leg.sid:
        return "left"
    if customer_leg is not None and recorded_sid == customer_leg.sid:
        return "right"
    return "left" if agent_leg is parent else "right"


def _agent_child(children: list[TwilioLeg], agents: dict[str, AgentEntry]) -> TwilioLeg | None:
    """The child leg an agent took: a known agent's leg first, else any answered leg."""
    known = [c for c in children if _agent(c.party, agents) is not None]
    return next((c for c in known if c.answered), None) or next(
        (c for c in children if c.answered), known[0] if known else None
    )


def _agent(identity: str, agents: dict[str, AgentEntry]) -> AgentEntry | None:
    """An agent by Twilio identity as written, or its bare name (client:alice, sip:1001@…)."""
    sip = _SIP_USER.match(identity)
    bare = sip.group(1) if sip else identity.removeprefix("client:")
    return agents.get(identity) or agents.get(bare)


def _timings(parent: TwilioLeg, agent_leg: TwilioLeg, agent_on_parent: bool) -> dict[str, object]:
    if agent_on_parent:
        return {"handle_seconds": agent_leg.duration}
    rang = (agent_leg.end - agent_leg.start).total_seconds() if agent_leg.end else None
    return {
        "wait_seconds": max(0.0, (agent_leg.start - parent.start).total_seconds()),
        "ring_seconds": max(0.0, rang - agent_leg.duration) if rang is not None else None,
        "handle_seconds": agent_leg.duration,
    }
