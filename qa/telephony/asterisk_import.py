"""Turn Asterisk CDR legs into callqa calls: agent, direction, queue, timings, recording, consent.

FreePBX writes several CDR rows per call (IVR, queue, ring group legs) that share a linkedid; one
call is one group. The agent is the extension on the answering leg, mapped through the agent
table an admin keeps; consent comes from a rule the admin chooses and is never assumed.
"""

from __future__ import annotations

import csv
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from qa.errors import QAError
from qa.pipeline.manifest import ManifestRow
from qa.telephony.asterisk_cdr import CdrRecord
from qa.telephony.queue_log import QueueVisit
from qa.telephony.recording_legs import Leg, RecordingLegs, leg_of

# SIP/1001-0000002a, PJSIP/1001-00000a1b, IAX2/1001-123, Local/1001@from-queue-0001;2
_EXTENSION = re.compile(r"^(?:SIP|PJSIP|IAX2|DAHDI|Local|Agent)/([^-@/;]+)", re.IGNORECASE)
# MixMonitor's FreePBX naming: <type>-<dst>-<src>-<YYYYMMDD>-<HHMMSS>-<uniqueid>.<ext>
_MIXMONITOR = re.compile(r"-(\d{9,}\.\d+)\.(?:wav|WAV|gsm|mp3|ogg|opus|flac|wav49)$")
AUDIO_SUFFIXES = {".wav", ".mp3", ".ogg", ".opus", ".flac", ".gsm", ".wav49"}
NO_RECORDING = "-"


class AgentTableError(QAError):
    """The agent table cannot be read."""


@dataclass(frozen=True)
class AgentEntry:
    agent_id: str
    agent_name: str | None
    team: str | None
    recording_consent: bool


def read_agent_table(path: Path) -> dict[str, AgentEntry]:
    """extension → agent, from a CSV: extension, agent_id, agent_name, team, recording_consent."""
    if not path.is_file():
        raise AgentTableError(f"agent table not found: {path}")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        needed = {"extension", "agent_id", "recording_consent"}
        missing = needed - set(reader.fieldnames or ())
        if missing:
            raise AgentTableError(f"{path} lacks the column(s) {', '.join(sorted(missing))}")
        table = {}
        for row in reader:
            extension = (row.get("extension") or "").strip()
            if extension:
                table[extension] = AgentEntry(
                    agent_id=row["agent_id"].strip(),
                    agent_name=(row.get("agent_name") or "").strip() or None,
                    team=(row.get("team") or "").strip() or None,
                    recording_consent=_yes(row.get("recording_consent") or ""),
                )
    return table


def _yes(value: str) -> bool:
    return value.strip().lower() in {"1", "yes", "y", "true", "да", "بله"}


@dataclass(frozen=True)
class ConsentRule:
    """How the admin's phone system shows that the customer agreed to the recording.

    Any one of: a CDR column holding a value (e.g. userfield = consent), a queue whose
    announcement tells callers they are recorded, or an application's data on some leg
    (e.g. Playback(recording-notice)). With no rule configured, nobody has consented.
    """

    column: str | None = None
    value: str | None = None
    queues: frozenset[str] = frozenset()
    app_data: str | None = None

    @property
    def configured(self) -> bool:
        return bool((self.column and self.value) or self.queues or self.app_data)

    def customer_consented(self, legs: list[CdrRecord], queue: str | None) -> bool:
        if self.column and self.value:
            wanted = self.value.lower()
            if any(leg.fields.get(self.column, "").lower() == wanted for leg in legs):
                return True
        if queue and queue in self.queues:
            return True
        if self.app_data:
            needle = self.app_data.lower()
            return any(needle in f"{leg.lastapp}({leg.lastdata})".lower() for leg in legs)
        return False


@dataclass(frozen=True)
class ImportSettings:
    client: str
    recordings: Path
    agents: dict[str, AgentEntry]
    consent: ConsentRule
    agent_channel: str = "right"
    settle_seconds: float = 5.0
    # Calls recorded as two legs: the leg that carries the agent on inbound calls. MixMonitor
    # runs on the caller's channel there, so what it transmits to the caller is the agent;
    # outbound calls are recorded on the agent's own channel and take the other leg.
    agent_leg: Leg = "transmit"


@dataclass
class ImportPlan:
    """What an import will register: calls with a recording, abandoned calls, and problems."""

    # A recording is one file, or two legs to merge into one before it is registered.
    recorded: list[tuple[ManifestRow, Path | RecordingLegs]] = field(default_factory=list)
    metadata_only: list[ManifestRow] = field(default_factory=list)
    abandoned: list[ManifestRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # recordings still being written


def plan_import(
    records: Iterable[CdrRecord], visits: dict[str, QueueVisit], settings: ImportSettings
) -> ImportPlan:
    """Group legs into calls and decide, per call, what to register."""
    if not settings.consent.configured:
        raise QAError(
            "no consent rule: choose --consent-column/--consent-value, --consent-queue or "
            "--consent-app-data (consent is never assumed)"
        )
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
            f"CDR line {first.line}: extension {extension} is not in the agent table; "
            "the call is kept without an agent"
        )
    call_id = f"asterisk-{linkedid}"
    base: dict[str, object] = {
        "call_id": call_id,
        "client": settings.client,
        "started_at": first.start,
        "direction": direction,
        "queue": queue,
        "agent_id": agent.agent_id if agent else None,
        "agent_name": agent.agent_name if agent else None,
        "team": agent.team if agent else None,
        "agent_channel": settings.agent_channel,
        "customer_consent": settings.consent.customer_consented(legs, queue),
        "agent_consent": bool(agent and agent.recording_consent),
    }
    if not answered:
        waited = visit.wait_seconds if visit else max(leg.duration for leg in legs)
        row = ManifestRow.model_validate(
            base | {"audio_file": NO_RECORDING, "wait_seconds": waited}
        )
        plan.abandoned.append(row)
        return
    assert agent_leg is not None
    timing = {
        "ring_seconds": visit.ring_seconds if visit else agent_leg.duration - agent_leg.billsec,
        "wait_seconds": visit.wait_seconds if visit else None,
        "handle_seconds": agent_leg.billsec,
    }
    found, reason = recordings.find(legs)
    if found is None:
        plan.problems.append(f"CDR line {first.line}: {reason}; the call keeps its metadata only")
        plan.metadata_only.append(
            ManifestRow.model_validate(base | timing | {"audio_file": NO_RECORDING})
        )
        return
    source = found if isinstance(found, Path) else _agent_first(found, direction, settings)
    written = source.stat().st_mtime if isinstance(source, Path) else source.last_written
    if time.time() - written < settings.settle_seconds:
        plan.waiting.append(call_id)
        return
    name = source.name if isinstance(source, Path) else source.merged_name
    row = ManifestRow.model_validate(base | timing | {"audio_file": name})
    plan.recorded.append((row, source))


def _agent_first(legs: dict[Leg, Path], direction: str, settings: ImportSettings) -> RecordingLegs:
    agent_leg = settings.agent_leg
    if direction == "outbound":
        agent_leg = "receive" if agent_leg == "transmit" else "transmit"
    customer_leg: Leg = "receive" if agent_leg == "transmit" else "transmit"
    return RecordingLegs(agent=legs[agent_leg], customer=legs[customer_leg])


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
    one file, or its two legs (`-in`/`-out`, `-r`/`-t`), which are preferred to a mono mix.

    Only files inside the recordings folder are taken: a path that resolves elsewhere is a problem.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._by_name: dict[str, Path] = {}
        self._by_uniqueid: dict[str, str] = {}
        self._legs: dict[str, dict[Leg, Path]] = defaultdict(dict)
        if not self.root.is_dir():
            raise QAError(f"recordings folder not found: {root}")
        for path in self.root.rglob("*"):
            if path.suffix.lower() not in AUDIO_SUFFIXES or not path.is_file():
                continue
            split = leg_of(path)
            name = split[0] if split else path.name
            if split:
                self._legs[name].setdefault(split[1], path)
            else:
                self._by_name.setdefault(name, path)
            match = _MIXMONITOR.search(name)
            if match:
                self._by_uniqueid.setdefault(match.group(1), name)

    def find(self, legs: list[CdrRecord]) -> tuple[Path | dict[Leg, Path] | None, str]:
        named = next((leg.recordingfile for leg in legs if leg.recordingfile), None)
        if named:
            split = leg_of(Path(named))
            name = split[0] if split else Path(named).name
            if name not in self._by_name and name not in self._legs:
                return None, f"recording {Path(named).name} not found under {self.root}"
            return self._recording(name)
        for leg in legs:
            found = self._by_uniqueid.get(leg.uniqueid)
            if found is not None:
                return self._recording(found)
        return None, f"no recording for uniqueid {legs[0].uniqueid} under {self.root}"

    def _recording(self, name: str) -> tuple[Path | dict[Leg, Path] | None, str]:
        pair = self._legs.get(name, {})
        if len(pair) == 2:
            inside = {leg: self._inside(path) for leg, path in pair.items()}
            outside = next((reason for path, reason in inside.values() if path is None), None)
            if outside is not None:
                return None, outside
            return {leg: path for leg, (path, _) in inside.items() if path is not None}, ""
        if name in self._by_name:
            return self._inside(self._by_name[name])
        (leg, path), *_ = pair.items()
        return None, f"only the {leg} leg {path.name} of {name} was found"

    def _inside(self, path: Path) -> tuple[Path | None, str]:
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root):
            return None, f"recording {path.name} points outside {self.root}"
        return resolved, ""
