"""Amazon Connect imports: contact trace records as Kinesis Firehose delivers them become calls,
the agent on the right channel of Connect's 8 kHz stereo recordings."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus, Transcript
from qa.telephony.connect_import import plan_connect_import
from qa.telephony.json_records import read_json_records
from qa.telephony.registration import ConsentRule, ImportSettings, read_agent_table
from tests.qa.conftest import DEMO_DIR, run_cli
from tests.qa.phone_exports import write_agents, write_tones, write_wav

ANSWERED = "1b7a3f52-0d4e-4b8e-9a55-2f7c11e0a001"
ABANDONED = "1b7a3f52-0d4e-4b8e-9a55-2f7c11e0a002"
SELF_SERVICE = "1b7a3f52-0d4e-4b8e-9a55-2f7c11e0a003"
DELETED = "1b7a3f52-0d4e-4b8e-9a55-2f7c11e0a004"
RENAMED = "1b7a3f52-0d4e-4b8e-9a55-2f7c11e0a005"
WRITING = "1b7a3f52-0d4e-4b8e-9a55-2f7c11e0a006"
PREFIX = "connect-recordings/connect/bank/CallRecordings/2026/11/20"


def _ctr(contact_id: str, agent: str | None, queue: bool = True, **fields: object) -> dict:
    """One CTR in the 2017-03-10 record format, trimmed to what a real one always carries."""
    return {
        "AWSAccountId": "123456789012",
        "AWSContactTraceRecordFormatVersion": "2017-03-10",
        "Agent": None if agent is None else {
            "ARN": "arn:aws:connect:eu-central-1:123456789012:instance/i/agent/a",
            "Username": agent, "ConnectedToAgentTimestamp": "2026-11-20T10:00:41Z",
            "AgentInteractionDuration": 150, "AfterContactWorkDuration": 20,
            "CustomerHoldDuration": 0, "NumberOfHolds": 0,
            "RoutingProfile": {"ARN": "arn:…", "Name": "Basic Routing Profile"},
        },
        "AgentConnectionAttempts": 1 if agent else 0,
        "Attributes": {"recording_consent": "yes"},
        "Channel": "VOICE",
        "ContactId": contact_id,
        "CustomerEndpoint": {"Address": "+4915112345678", "Type": "TELEPHONE_NUMBER"},
        "InitiationMethod": "INBOUND",
        "InitiationTimestamp": "2026-11-20T10:00:00Z",
        "ConnectedToSystemTimestamp": "2026-11-20T10:00:01Z",
        "DisconnectTimestamp": "2026-11-20T10:03:11Z",
        "Queue": None if not queue else {
            "ARN": "arn:…", "Name": "Billing", "EnqueueTimestamp": "2026-11-20T10:00:05Z",
            "DequeueTimestamp": "2026-11-20T10:00:35Z", "Duration": 30,
        },
        "Recording": None if agent is None else {
            "Location": f"{PREFIX}/{contact_id}_20261120T10:00_UTC.wav",
            "Status": "AVAILABLE", "Type": "AUDIO", "DeletionReason": None,
        },
        "SystemEndpoint": {"Address": "+498001234567", "Type": "TELEPHONE_NUMBER"},
    } | fields  # fmt: skip


def _firehose(records: list[dict], broken_line: str) -> str:
    """Firehose writes records back to back with no separator; one line here was cut short."""
    return (
        "".join(json.dumps(r) for r in records[:3])
        + "\n"
        + broken_line
        + "\n"
        + "".join(json.dumps(r) for r in records[3:])
    )


@pytest.fixture
def export(tmp_path: Path) -> Path:
    records = [
        _ctr(ANSWERED, "jdoe"),
        _ctr(
            ABANDONED,
            None,
            Queue={"Name": "Billing", "Duration": 48, "EnqueueTimestamp": "2026-11-20T11:00:05Z"},
        ),  # fmt: skip
        _ctr(SELF_SERVICE, None, queue=False),
        _ctr(
            DELETED,
            "jdoe",
            Recording={
                "Location": f"{PREFIX}/x.wav",
                "Status": "DELETED",
                "DeletionReason": "retention policy",
            },
        ),  # fmt: skip
        _ctr(
            RENAMED,
            "jdoe",
            Recording=None,
            Recordings=[{"Location": "", "MediaStreamType": "AUDIO", "Status": "AVAILABLE"}],
        ),  # fmt: skip
        _ctr(WRITING, "mallory"),
        _ctr("chat-1", "jdoe", Channel="CHAT"),
        {"AWSAccountId": "123456789012", "Channel": "VOICE", "Agent": None},
    ]
    (tmp_path / "ctr.json").write_text(
        _firehose(records, '{"ContactId": "1b7a3f52-cut", "Agent": {"Username": "jd'),
        encoding="utf-8",
    )
    write_agents(tmp_path)
    folder = tmp_path / "recordings"
    write_tones(folder / "2026/11/20" / f"{ANSWERED}_20261120T10:00_UTC.wav")
    write_tones(folder / "2026/11/20" / f"{RENAMED}_20261120T10:10_UTC.wav")
    os.utime(write_tones(folder / f"{WRITING}_20261120T10:00_UTC.wav"))  # still arriving
    return tmp_path


def _settings(folder: Path, consent: ConsentRule | None = None) -> ImportSettings:
    return ImportSettings(
        client="Bank",
        recordings=folder / "recordings",
        agents=read_agent_table(folder / "agents.csv"),
        consent=consent or ConsentRule(column="recording_consent", value="yes"),
    )


def test_contact_trace_records_become_calls_with_queue_timings_and_the_agent_on_the_right(
    export: Path,
) -> None:
    parsed = read_json_records(export / "ctr.json")
    assert len(parsed.records) == 8 and "line 2: not JSON" in parsed.problems[0]
    plan = plan_connect_import(parsed.records, _settings(export))

    recorded = {row.call_id: (row, source) for row, source in plan.recorded}
    assert set(recorded) == {f"connect-{ANSWERED}", f"connect-{RENAMED}"}
    row, source = recorded[f"connect-{ANSWERED}"]
    assert source.name.startswith(ANSWERED)
    assert row.agent_id == "A3" and row.queue == "Billing" and row.agent_channel == "right"
    assert (row.wait_seconds, row.ring_seconds, row.handle_seconds) == (30, 6, 150)
    assert row.customer_consent and row.agent_consent and row.direction == "inbound"

    [abandoned] = plan.abandoned  # the IVR-only contact is neither a call nor an abandonment
    assert abandoned.call_id == f"connect-{ABANDONED}" and abandoned.wait_seconds == 48
    [deleted] = plan.metadata_only
    assert deleted.call_id == f"connect-{DELETED}"
    assert plan.waiting == [f"connect-{WRITING}"]
    problems = "\n".join(plan.problems)
    assert "retention policy" in problems and "ContactId is missing" in problems
    assert "mallory is not in the agent table" in problems


def test_consent_comes_from_the_admins_rule(export: Path) -> None:
    records = read_json_records(export / "ctr.json").records
    by_queue = plan_connect_import(records, _settings(export, ConsentRule(queues=frozenset({"x"}))))
    assert not any(row.customer_consent for row, _ in by_queue.recorded)
    by_queue = plan_connect_import(
        records, _settings(export, ConsentRule(queues=frozenset({"Billing"})))
    )
    assert all(row.customer_consent for row, _ in by_queue.recorded)


def test_import_connect_transcribes_an_8khz_stereo_call_with_the_agent_on_the_right(
    tmp_path: Path, database_url: str
) -> None:
    """End to end where audio matters: a real call re-recorded as Connect writes it."""
    from transcription.audio import decode_audio

    demo = decode_audio(DEMO_DIR / "demo_en_polite_resolved.ogg", 120).samples  # agent left
    connect_layout = demo[::-1, ::2]  # customer left, agent right, 16 kHz → 8 kHz
    write_wav(
        tmp_path / "recordings" / f"{ANSWERED}_20261120T10:00_UTC.wav",
        np.ascontiguousarray(connect_layout),
        8000,
    )
    (tmp_path / "ctr.json").write_text(json.dumps([_ctr(ANSWERED, "jdoe")]), encoding="utf-8")
    write_agents(tmp_path)
    result = run_cli(
        *("import", "connect", "--ctr", str(tmp_path / "ctr.json")),
        *("--recordings", str(tmp_path / "recordings"), "--agents", str(tmp_path / "agents.csv")),
        *("--client", "Harper Valley Bank", "--consent-attribute", "recording_consent"),
        *("--consent-value", "yes"),
        home=tmp_path,
        database_url=database_url,
    )
    assert result.returncode == 0, result.stderr
    assert "1 new call:" in result.stdout and "1 done" in result.stdout
    with session_scope(database_url) as session:
        call = session.scalars(select(Call)).one()
        assert call.status is CallStatus.done and call.agent_channel == "right"
        transcript = session.scalars(select(Transcript)).one()
        agent_text = " ".join(u.text for u in transcript.utterances if u.speaker == "agent")
        customer_text = " ".join(u.text for u in transcript.utterances if u.speaker == "customer")
    # The agent greets and closes; the customer's words stay on the customer's side (8 kHz
    # costs the bank's name, which the small model hears as something else).
    assert "thank you for calling" in agent_text.lower()
    assert "card" in customer_text.lower()
    assert "thank you for calling" not in customer_text.lower()
