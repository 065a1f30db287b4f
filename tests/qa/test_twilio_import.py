"""Twilio imports: Call and Recording resources as the REST API returns them become calls; the
agent's channel follows which leg is theirs; consent comes from the admin's rule."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.errors import QAError
from qa.settings import Settings
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus
from qa.telephony.json_records import read_json_records
from qa.telephony.registration import (
    ConsentRule,
    ImportSettings,
    read_agent_table,
    register_plan,
)
from qa.telephony.twilio_import import plan_twilio_import
from tests.qa.conftest import run_cli
from tests.qa.phone_exports import write_agents, write_tones

NUMBER = "+18005550100"  # the contact center's Twilio number; its greeting announces recording


def _leg(sid: str, start: str, end: str | None, duration: int, **fields: object) -> dict:
    return {
        "sid": sid, "account_sid": "AC0", "parent_call_sid": None, "from": "+15550001111",
        "to": NUMBER, "direction": "inbound", "status": "completed",
        "start_time": f"Fri, 20 Nov 2026 {start} +0000",
        "end_time": f"Fri, 20 Nov 2026 {end} +0000" if end else None,
        "duration": str(duration), "price": "-0.0085", "price_unit": "USD",
        "uri": f"/2010-04-01/Accounts/AC0/Calls/{sid}.json",
    } | fields  # fmt: skip


# A page of GET /2010-04-01/Accounts/{sid}/Calls.json: an inbound call an agent took, a
# click-to-call that rang the agent first, a caller who gave up, a call whose recording Twilio
# is still processing, one whose recording was never downloaded, one still in progress, a
# malformed row and a child leg whose parent is not in the page.
CALLS_PAGE = {
    "calls": [
        _leg("CA001", "10:00:00", "10:03:20", 200),
        _leg("CA002", "10:00:30", "10:03:20", 160, parent_call_sid="CA001",
             direction="outbound-dial", **{"from": NUMBER, "to": "client:alice"}),
        _leg("CA003", "11:00:00", "11:05:00", 300, direction="outbound-api",
             **{"from": NUMBER, "to": "client:bob"}),
        _leg("CA004", "11:00:10", "11:05:00", 280, parent_call_sid="CA003",
             direction="outbound-dial", **{"from": NUMBER, "to": "+15550002222"}),
        _leg("CA005", "12:00:00", "12:00:45", 45, **{"from": "+15550003333"}),
        _leg("CA006", "13:00:00", "13:02:00", 120),
        _leg("CA007", "13:00:20", "13:02:00", 95, parent_call_sid="CA006",
             direction="outbound-dial", to="sip:alice@bank.sip.twilio.com"),
        _leg("CA008", "14:00:00", "14:02:00", 120),
        _leg("CA009", "14:00:20", "14:02:00", 95, parent_call_sid="CA008",
             direction="outbound-dial", to="client:alice"),
        _leg("CA010", "15:00:00", None, 0, status="in-progress"),
        {"sid": "CA011", "start_time": "yesterday", "status": "completed"},
        _leg("CA012", "16:00:00", "16:01:00", 50, parent_call_sid="CA999",
             direction="outbound-dial"),
    ],
    "page": 0, "page_size": 50, "next_page_uri": None,
}  # fmt: skip


def _recording(sid: str, call_sid: str | None, channels: int = 2, status: str = "completed"):
    return {
        "sid": sid, "call_sid": call_sid, "channels": channels, "status": status,
        "source": "DialVerb", "duration": "160", "track": "both",
        "media_url": f"https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/{sid}",
    }  # fmt: skip


RECORDINGS_PAGE = {
    "recordings": [
        _recording("RE001", "CA001"),
        _recording("RE003", "CA003"),
        _recording("RE006", "CA006", status="processing"),
        _recording("RE008", "CA008"),
        {"sid": "RE999", "channels": 1},
    ]
}


@pytest.fixture
def export(tmp_path: Path) -> Path:
    (tmp_path / "calls.json").write_text(json.dumps(CALLS_PAGE), encoding="utf-8")
    # The recordings list one object a line, as a script paging the API writes it.
    (tmp_path / "recordings.json").write_text(
        "\n".join(json.dumps(r) for r in RECORDINGS_PAGE["recordings"]), encoding="utf-8"
    )
    write_agents(tmp_path)
    write_tones(tmp_path / "recordings" / "RE001.wav")
    write_tones(tmp_path / "recordings" / "RE003.wav")
    return tmp_path


def _plan(export: Path, consent: ConsentRule | None = None):  # noqa: ANN202
    settings = ImportSettings(
        client="Bank",
        recordings=export / "recordings",
        agents=read_agent_table(export / "agents.csv"),
        consent=consent or ConsentRule(column="to", value=NUMBER),
    )
    calls = read_json_records(export / "calls.json", ("calls",))
    recordings = read_json_records(export / "recordings.json", ("recordings",))
    return plan_twilio_import(calls.records, recordings.records, settings)


def test_the_agents_channel_follows_the_leg_they_are_on(export: Path) -> None:
    plan = _plan(export)
    recorded = {row.call_id: row for row, _ in plan.recorded}
    assert set(recorded) == {"twilio-CA001", "twilio-CA003"}

    inbound = recorded["twilio-CA001"]  # the customer's call is the parent leg: channel one
    assert inbound.agent_id == "A1" and inbound.direction == "inbound"
    assert inbound.agent_channel == "right"
    assert inbound.started_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert (inbound.wait_seconds, inbound.ring_seconds, inbound.handle_seconds) == (30, 10, 160)
    assert inbound.customer_consent and inbound.agent_consent
    assert inbound.customer_id == "+15550001111"

    click_to_call = recorded["twilio-CA003"]  # the API rang the agent first: they are channel one
    assert click_to_call.agent_id == "A2" and click_to_call.direction == "outbound"
    assert click_to_call.agent_channel == "left" and click_to_call.handle_seconds == 300
    assert click_to_call.customer_id == "+15550002222"
    assert not click_to_call.customer_consent  # this call never passed the announcing number


def test_abandoned_missing_unfinished_and_malformed_calls(export: Path) -> None:
    plan = _plan(export)
    [abandoned] = plan.abandoned
    assert abandoned.call_id == "twilio-CA005" and abandoned.wait_seconds == 45
    [missing] = plan.metadata_only
    assert missing.call_id == "twilio-CA008" and missing.agent_id == "A1"
    assert sorted(plan.waiting) == ["twilio-CA006", "twilio-CA010"]
    problems = "\n".join(plan.problems)
    assert "record 11" in problems and "yesterday" in problems
    assert "parent call CA999 is not in the file" in problems
    assert "RE008" in problems and "needs sid and call_sid" in problems


def test_a_recording_still_being_downloaded_waits(export: Path) -> None:
    os.utime(export / "recordings" / "RE001.wav")  # written to just now
    plan = _plan(export)
    assert "twilio-CA001" in plan.waiting
    assert "twilio-CA001" not in {row.call_id for row, _ in plan.recorded}


def test_consent_is_never_assumed(export: Path) -> None:
    with pytest.raises(QAError, match="consent is never assumed"):
        _plan(export, ConsentRule())


def test_registering_keeps_metadata_only_without_consent_and_adds_nothing_twice(
    export: Path, database_url: str
) -> None:
    broken = export / "recordings" / "RE008.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVE not really a recording")
    os.utime(broken, (0, 0))
    settings = Settings(home=export / "home")
    report = register_plan(database_url, _plan(export), settings)
    assert report.new == 4 and len(report.to_process) == 1
    # A recording that cannot be read is reported to whoever imports, not only stored.
    assert any(p.startswith("twilio-CA008: recording refused") for p in report.problems)
    with session_scope(database_url) as session:
        calls = {c.external_id: c for c in session.scalars(select(Call))}
        assert calls["twilio-CA001"].status is CallStatus.pending
        assert calls["twilio-CA001"].agent_channel == "right"
        assert calls["twilio-CA005"].status is CallStatus.abandoned
        assert calls["twilio-CA008"].status is CallStatus.needs_admin
        # No customer consent: metadata only, the recording is never stored.
        assert calls["twilio-CA003"].status is CallStatus.rejected_no_consent
        assert calls["twilio-CA003"].audio_path is None
    assert register_plan(database_url, _plan(export), settings).new == 0


def test_import_twilio_command_reads_the_api_pages(export: Path, database_url: str) -> None:
    result = run_cli(
        *("import", "twilio", "--calls", str(export / "calls.json"), "--recording-list"),
        *(str(export / "recordings.json"), "--recordings", str(export / "recordings")),
        *("--agents", str(export / "agents.csv"), "--client", "Bank"),
        *("--consent-column", "to", "--consent-value", "+10000000000"),  # nobody consented
        home=export,
        database_url=database_url,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "parent call CA999 is not in the file" in result.stderr
    assert "4 new calls: 2 recorded, 1 abandoned, 1 without a recording" in result.stdout


# Recordings started through the Recordings API on a child leg (POST /Calls/{child}/Recordings,
# as a Flex plugin or an agent's "record" button does): the recording's call_sid is the child,
# and the leg it was made on is its first channel.
CHILD_LEG_CALLS = [
    # A customer's inbound call; the agent's dialled leg was recorded.
    _leg("CA101", "10:00:00", "10:03:20", 200),
    _leg("CA102", "10:00:30", "10:03:20", 160, parent_call_sid="CA101",
         direction="outbound-dial", **{"from": NUMBER, "to": "client:alice"}),
    # A click-to-call that rang the agent first; the customer's dialled leg was recorded.
    _leg("CA103", "11:00:00", "11:05:00", 300, direction="outbound-api",
         **{"from": NUMBER, "to": "client:bob"}),
    _leg("CA104", "11:00:10", "11:05:00", 280, parent_call_sid="CA103",
         direction="outbound-dial", **{"from": NUMBER, "to": "+15550002222"}),
]  # fmt: skip
CHILD_LEG_RECORDINGS = [
    _recording("RE102", "CA102") | {"source": "StartCallRecordingAPI"},
    _recording("RE104", "CA104") | {"source": "StartCallRecordingAPI"},
]


def test_a_recording_made_on_a_child_leg_has_that_legs_party_on_channel_one(
    tmp_path: Path, database_url: str
) -> None:
    write_agents(tmp_path)
    for recording in CHILD_LEG_RECORDINGS:
        write_tones(tmp_path / "recordings" / f"{recording['sid']}.wav")
    settings = ImportSettings(
        client="Bank",
        recordings=tmp_path / "recordings",
        agents=read_agent_table(tmp_path / "agents.csv"),
        consent=ConsentRule(column="from", value=NUMBER),
    )
    plan = plan_twilio_import(
        [(f"record {n}", leg) for n, leg in enumerate(CHILD_LEG_CALLS, 1)],
        [(f"record {n}", rec) for n, rec in enumerate(CHILD_LEG_RECORDINGS, 1)],
        settings,
    )
    recorded = {row.call_id: (row.agent_id, row.agent_channel) for row, _ in plan.recorded}
    assert recorded == {
        "twilio-CA101": ("A1", "left"),  # recorded on alice's own leg
        "twilio-CA103": ("A2", "right"),  # recorded on the customer's leg
    }
    register_plan(database_url, plan, Settings(home=tmp_path / "home"))
    with session_scope(database_url) as session:
        stored = {c.external_id: c.agent_channel for c in session.scalars(select(Call))}
    assert stored == {"twilio-CA101": "left", "twilio-CA103": "right"}
