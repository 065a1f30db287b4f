"""Asterisk/FreePBX/Issabel CDRs become calls: recording, agent, queue, times, outcome, consent.

Each CDR row is its own transaction, as with the manifest: a bad row, a missing recording or
one still being written is reported and the rest go on; a re-run picks those up again.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from qa.errors import QAError
from qa.pipeline.ingest import RegisteredCall, register_call, register_without_audio
from qa.pipeline.manifest import ManifestRow
from qa.settings import Settings
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus
from qa.telephony.cdr import CdrProblem, CdrRecord, ParsedCdr
from qa.telephony.consent_rule import ConsentRule
from qa.telephony.recordings import (
    SETTLE_SECONDS,
    RecordingIndex,
    RecordingStillWritten,
    ensure_settled,
)


@dataclass(frozen=True)
class AgentEntry:
    agent_id: str
    agent_name: str | None
    team: str | None


def read_agent_map(path: Path) -> dict[str, AgentEntry]:
    """The admin's table `extension,agent_id,agent_name,team`: which person sits at which phone."""
    if not path.is_file():
        raise QAError(f"agent table not found: {path}")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"extension", "agent_id"} <= set(reader.fieldnames):
            raise QAError(f"{path} needs the columns extension, agent_id (agent_name, team)")
        return {
            row["extension"].strip(): AgentEntry(
                row["agent_id"].strip(),
                (row.get("agent_name") or "").strip() or None,
                (row.get("team") or "").strip() or None,
            )
            for row in reader
            if row.get("extension") and row.get("agent_id")
        }


@dataclass
class AsteriskImportReport:
    calls: list[RegisteredCall] = field(default_factory=list)
    problems: list[CdrProblem] = field(default_factory=list)

    @property
    def to_process(self) -> list[int]:
        return [c.call_id for c in self.calls if c.needs_processing]

    def count(self, status: CallStatus) -> int:
        return sum(1 for c in self.calls if c.status is status)


@dataclass(frozen=True)
class AsteriskSource:
    """What the admin told the importer about this PBX."""

    client: str
    recordings: Path
    consent: ConsentRule
    agents: dict[str, AgentEntry] = field(default_factory=dict)
    settle_seconds: float = SETTLE_SECONDS


def import_cdr(
    database_url: str, parsed: ParsedCdr, source: AsteriskSource, settings: Settings
) -> AsteriskImportReport:
    report = AsteriskImportReport(problems=list(parsed.problems))
    index = RecordingIndex.scan(source.recordings)
    for line, record in parsed.records:
        try:
            report.calls.append(_import_one(database_url, record, index, source, settings))
        except (QAError, OSError, RecordingStillWritten) as error:
            report.problems.append(CdrProblem(line, f"{record.uniqueid}: {error}"))
    return report


def _import_one(
    database_url: str,
    record: CdrRecord,
    index: RecordingIndex,
    source: AsteriskSource,
    settings: Settings,
) -> RegisteredCall:
    consent = source.consent.given(record)
    recording = index.find(record.recordingfile, record.uniqueid) if record.answered else None
    if record.answered and consent and recording is None:
        raise QAError("recording not found (recordingfile or MixMonitor name with the uniqueid)")
    row = _manifest_row(record, source, consent, recording)
    with session_scope(database_url) as session:
        if recording is None:
            status = (
                CallStatus.no_recording if not record.answered else CallStatus.rejected_no_consent
            )
            registered = register_without_audio(session, row, status)
        else:
            ensure_settled(recording, source.settle_seconds)
            registered = register_call(session, row, recording, settings)
        call = session.get(Call, registered.call_id)
        if call is not None and call.answered is None:
            call.answered = record.answered
    return registered


def _manifest_row(
    record: CdrRecord, source: AsteriskSource, consent: bool, recording: Path | None
) -> ManifestRow:
    extension = record.agent_extension
    agent = source.agents.get(extension) if extension else None
    waited = max(record.duration - record.billsec, 0.0) if record.answered else record.duration
    queued = record.queue is not None
    return ManifestRow(
        call_id=record.uniqueid,
        audio_file=str(recording) if recording else "-",
        client=source.client,
        started_at=record.started_at,
        customer_consent=consent,
        agent_consent=consent,
        agent_id=agent.agent_id if agent else None,
        agent_name=agent.agent_name if agent else None,
        team=agent.team if agent else None,
        direction=record.direction,
        queue=record.queue,
        # Before the answer a queued caller waits; a direct call rings at the agent's phone.
        ring_seconds=None if queued else waited,
        wait_seconds=waited if queued else None,
        handle_seconds=record.billsec if record.answered else None,
    )
