"""Genesys Cloud imports: a recording bulk export (audio with `_metadata.json` beside it, one
folder per conversation) becomes calls with agent, queue and timings."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from qa.errors import QAError
from qa.telephony.genesys_import import plan_genesys_import
from qa.telephony.registration import ConsentRule, ImportSettings, read_agent_table
from tests.qa.conftest import run_cli
from tests.qa.phone_exports import write_agents, write_tones

DAY = "org-1/year=2026/month=11/day=20/hour=10"


def _metadata(conversation: str, recording: str, agent: str | None = "u-1", **fields: object):
    participants: list[dict] = [
        {"purpose": "customer", "ani": "tel:+74951234567", "direction": "inbound",
         "attributes": {"recording_notice": "played"}},
        {"purpose": "acd", "queueName": "Support", "connectedTime": "2026-11-20T10:00:05.000Z",
         "endTime": "2026-11-20T10:00:25.000Z"},
    ]  # fmt: skip
    if agent:
        participants.append(
            {
                "purpose": "agent",
                "userId": agent,
                "name": "Una Kim",
                "queueName": "Support",
                "alertingTime": "2026-11-20T10:00:25.000Z",
                "connectedTime": "2026-11-20T10:00:29.000Z",
                "endTime": "2026-11-20T10:02:29.000Z",
            }  # fmt: skip
        )
    return {
        "conversationId": conversation, "recordingId": recording, "mediaType": "Call",
        "provider": "edge", "direction": "inbound", "fileState": "AVAILABLE",
        "conversationStartTime": "2026-11-20T10:00:00.000Z",
        "conversationEndTime": "2026-11-20T10:02:30.000Z", "participants": participants,
    } | fields  # fmt: skip


def _write(export: Path, conversation: str, recording: str, metadata: object) -> Path:
    folder = export / DAY / f"conversation_id={conversation}"
    folder.mkdir(parents=True, exist_ok=True)
    text = metadata if isinstance(metadata, str) else json.dumps(metadata)
    (folder / f"{recording}_metadata.json").write_text(text, encoding="utf-8")
    return folder / f"{recording}.wav"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    root = tmp_path / "export"
    write_tones(_write(root, "c-answered", "r-1", _metadata("c-answered", "r-1")))
    write_tones(_write(root, "c-transfer", "r-2", _metadata("c-transfer", "r-2", "u-9")))
    _write(root, "c-uploading", "r-3", _metadata("c-uploading", "r-3", fileState="UPLOADING"))
    _write(root, "c-archived", "r-4", _metadata("c-archived", "r-4", fileState="ARCHIVED"))
    _write(root, "c-abandoned", "r-5", _metadata("c-abandoned", "r-5", agent=None))
    _write(root, "c-broken", "r-6", '{"conversationId": "c-broken", "participants": [')
    os.utime(write_tones(_write(root, "c-new", "r-7", _metadata("c-new", "r-7"))))  # arriving
    _write(root, "c-missing", "r-8", _metadata("c-missing", "r-8"))  # audio never exported
    write_agents(tmp_path)
    return tmp_path


def _settings(tmp_path: Path, consent: ConsentRule | None = None) -> ImportSettings:
    return ImportSettings(
        client="Bank",
        recordings=tmp_path / "export",
        agents=read_agent_table(tmp_path / "agents.csv"),
        consent=consent or ConsentRule(column="recording_notice", value="played"),
    )


def test_recording_export_becomes_calls_with_agent_queue_and_timings(export: Path) -> None:
    plan = plan_genesys_import(_settings(export))
    recorded = {row.call_id: row for row, _ in plan.recorded}
    assert set(recorded) == {"genesys-c-answered-r-1", "genesys-c-transfer-r-2"}
    row = recorded["genesys-c-answered-r-1"]
    assert row.agent_id == "A4" and row.queue == "Support" and row.agent_channel == "right"
    assert (row.wait_seconds, row.ring_seconds, row.handle_seconds) == (20, 4, 120)
    assert row.customer_consent and row.agent_consent and row.customer_id == "tel:+74951234567"
    assert recorded["genesys-c-transfer-r-2"].agent_id is None  # u-9 is not in the table

    assert [r.call_id for r in plan.abandoned] == ["genesys-c-abandoned-r-5"]
    assert sorted(r.call_id for r in plan.metadata_only) == [
        "genesys-c-archived-r-4",
        "genesys-c-missing-r-8",
    ]
    assert sorted(plan.waiting) == ["genesys-c-new-r-7", "genesys-c-uploading-r-3"]
    problems = "\n".join(plan.problems)
    assert "r-6_metadata.json line 1: not JSON" in problems
    assert "u-9 is not in the agent table" in problems and "archived" in problems


def test_consent_is_never_assumed_and_follows_the_rule(export: Path) -> None:
    with pytest.raises(QAError, match="consent is never assumed"):
        plan_genesys_import(_settings(export, ConsentRule()))
    other = plan_genesys_import(
        _settings(export, ConsentRule(column="recording_notice", value="x"))
    )
    assert not any(row.customer_consent for row, _ in other.recorded)


def test_import_genesys_command_reports_problems_and_registers_once(
    export: Path, database_url: str
) -> None:
    args = (
        "import", "genesys", "--export", str(export / "export"), "--agents",
        str(export / "agents.csv"), "--client", "Bank", "--consent-attribute",
        "recording_notice", "--consent-value", "not-played",  # nobody consented: nothing to process
        "--settle-seconds", "120",  # r-7 is still arriving however slowly the command starts
    )  # fmt: skip
    first = run_cli(*args, home=export, database_url=database_url)
    assert first.returncode == 1 and "Traceback" not in first.stderr
    assert "r-6_metadata.json line 1: not JSON" in first.stderr
    assert "genesys-c-new-r-7: recording still being written" in first.stderr
    assert "5 new calls: 2 recorded, 1 abandoned, 2 without a recording" in first.stdout
    os.utime(next(export.rglob("r-7.wav")))  # still being written at the next import
    again = run_cli(*args, home=export, database_url=database_url)
    assert "0 new calls" in again.stdout
