"""Asterisk/FreePBX CDRs become calls with agent, queue, times, outcome and consent by rule."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from qa.queries.access import Viewer
from qa.queries.call_answering import call_answering
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.settings import Settings
from qa.storage.db import session_scope
from qa.storage.models import Agent, Call, CallStatus, Role
from qa.telephony.asterisk_import import AsteriskSource, import_cdr, read_agent_map
from qa.telephony.cdr import CDR_CSV_COLUMNS, read_cdr_csv, read_cdr_database
from qa.telephony.consent_rule import ConsentRule
from tests.conftest import REPO_ROOT

ADMIN = Viewer(user_id=1, username="admin", role=Role.admin)


def _row(uniqueid: str, **values: str) -> dict[str, str]:
    row = {
        "accountcode": "",
        "src": "09121234567",
        "dst": "200",
        "dcontext": "ext-queues",
        "clid": '"Customer" <09121234567>',
        "channel": "PJSIP/trunk-00000001",
        "dstchannel": "PJSIP/201-00000002",
        "lastapp": "Queue",
        "lastdata": "200,t,,,300",
        "start": "2026-11-02 09:00:00",
        "answer": "2026-11-02 09:00:12",
        "end": "2026-11-02 09:03:12",
        "duration": "192",
        "billsec": "180",
        "disposition": "ANSWERED",
        "amaflags": "DOCUMENTATION",
        "uniqueid": uniqueid,
        "userfield": "consent=yes",
    }
    row.update(values)
    return row


def _silence(path: Path, seconds: float = 1.0, age: float = 3600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        # Each file differs (a recording is recognised by its content hash).
        tag = path.name.encode()
        out.writeframes(b"\0\0" * int(8000 * seconds) + tag + b"\0" * (len(tag) % 2))
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


@pytest.fixture
def pbx(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Master.csv in cdr-csv order, a monitor folder in MixMonitor's layout, an agent table."""
    monitor = tmp_path / "monitor"
    day = monitor / "2026" / "11" / "02"
    _silence(day / "q-200-09121234567-20261102-090000-1762074000.1.wav")
    _silence(day / "q-200-09120000002-20261102-091000-1762074600.5.wav")
    _silence(day / "q-200-09120000003-20261102-092000-1762075200.9.wav", age=0)
    rows = [
        _row("1762074000.1"),
        _row("1762074600.5", src="09120000002", userfield=""),  # no consent
        _row(  # abandoned in the queue after 40 s
            "1762074700.6",
            dstchannel="",
            answer="",
            billsec="0",
            duration="40",
            disposition="NO ANSWER",
        ),
        _row("1762074800.7", dstchannel="PJSIP/202-00000009"),  # recording missing
        _row("1762075200.9"),  # recording still being written
        _row(  # a direct (non-queue) call answered after 4 s at extension 202
            "1762075300.10",
            lastapp="Dial",
            lastdata="PJSIP/202",
            dcontext="from-trunk",
            dstchannel="PJSIP/202-0000000a",
            duration="64",
            billsec="60",
            userfield="",
        ),
        _row("1762075400.11", disposition="WHATEVER"),
    ]
    master = tmp_path / "Master.csv"
    with master.open("w", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        for row in rows:
            writer.writerow([row[c] for c in CDR_CSV_COLUMNS])
        writer.writerow(["", "1", "2"])  # truncated line
    agents = tmp_path / "agents.csv"
    agents.write_text("extension,agent_id,agent_name,team\n201,A201,Sara Ahmadi,Cards\n")
    return master, monitor, agents


def _import(url: str, master: Path, monitor: Path, agents: Path, home: Path, **rule: object):
    source = AsteriskSource(
        client="Bank",
        recordings=monitor,
        consent=ConsentRule(column="userfield", **rule),  # type: ignore[arg-type]
        agents=read_agent_map(agents),
    )
    return import_cdr(url, read_cdr_csv(master), source, Settings(home=home))


def _calls(url: str) -> dict[str, Call]:
    with session_scope(url) as session:
        calls = session.scalars(select(Call)).all()
        session.expunge_all()
    return {c.external_id: c for c in calls}


def test_master_csv_calls_get_agent_queue_times_outcome_and_consent_from_the_rule(
    database_url: str, pbx: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    master, monitor, agents = pbx
    report = _import(database_url, master, monitor, agents, tmp_path / "home")
    problems = {str(p) for p in report.problems}
    assert any("1762074800.7" in p and "recording not found" in p for p in problems)
    assert any("1762075200.9" in p and "still being written" in p for p in problems)
    assert any("WHATEVER" in p for p in problems)
    assert any("line 8" in p and "columns" in p for p in problems)
    assert len(problems) == 4
    calls = _calls(database_url)
    assert set(calls) == {"1762074000.1", "1762074600.5", "1762074700.6", "1762075300.10"}

    consented = calls["1762074000.1"]
    assert consented.status is CallStatus.pending and consented.audio_path
    assert (consented.direction, consented.queue, consented.answered) == ("inbound", "200", True)
    assert (consented.wait_seconds, consented.ring_seconds, consented.handle_seconds) == (
        12.0,
        None,
        180.0,
    )
    with session_scope(database_url) as session:
        agent = session.get(Agent, consented.agent_id)
        assert agent is not None and (agent.external_id, agent.name) == ("A201", "Sara Ahmadi")

    no_consent = calls["1762074600.5"]
    assert no_consent.status is CallStatus.rejected_no_consent and no_consent.audio_path is None
    abandoned = calls["1762074700.6"]
    assert (abandoned.status, abandoned.answered) == (CallStatus.no_recording, False)
    assert abandoned.wait_seconds == 40.0 and abandoned.agent_id is None
    direct = calls["1762075300.10"]
    assert (direct.ring_seconds, direct.queue, direct.status) == (
        4.0,
        None,
        CallStatus.rejected_no_consent,
    )
    # Only the consented recording was copied into storage.
    assert len(list((tmp_path / "home" / "audio").rglob("*.wav"))) == 1

    # A later run, once the recording settled, adds it and nothing twice.
    settled = time.time() - 3600
    for path in monitor.rglob("*1762075200.9.wav"):
        os.utime(path, (settled, settled))
    again = _import(database_url, master, monitor, agents, tmp_path / "home")
    assert [c.external_id for c in again.calls if c.new] == ["1762075200.9"]


def test_no_consent_rule_means_metadata_only(
    database_url: str, pbx: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    master, monitor, _agents = pbx
    source = AsteriskSource(client="Bank", recordings=monitor, consent=ConsentRule())
    report = import_cdr(database_url, read_cdr_csv(master), source, Settings(home=tmp_path))
    assert report.to_process == []
    assert not (tmp_path / "audio").exists()
    assert all(c.audio_path is None for c in _calls(database_url).values())


def test_a_queue_rule_gives_consent_to_that_queue_only(
    database_url: str, pbx: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    master, monitor, agents = pbx
    source = AsteriskSource(
        client="Bank", recordings=monitor, consent=ConsentRule(queues=frozenset({"200"}))
    )
    import_cdr(database_url, read_cdr_csv(master), source, Settings(home=tmp_path))
    calls = _calls(database_url)
    assert calls["1762074600.5"].status is CallStatus.pending  # queue 200: announced
    assert calls["1762075300.10"].status is CallStatus.rejected_no_consent  # direct call


def test_abandonment_rate_and_three_rings_count_every_offered_call(
    database_url: str, pbx: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    master, monitor, agents = pbx
    _import(database_url, master, monitor, agents, tmp_path / "home")
    with session_scope(database_url) as session:
        answering = call_answering(session, ADMIN, EvaluationFilter())
    # Four calls: queue wait 12 s, queue wait 12 s, abandoned after 40 s, direct ring 4 s.
    assert (answering.offered, answering.abandoned) == (4, 1)
    assert answering.abandonment_rate == pytest.approx(0.25)
    assert answering.answered_within_three_rings == pytest.approx(0.75)


def test_freepbx_export_with_header_and_its_database_find_recordingfile(tmp_path: Path) -> None:
    monitor = tmp_path / "monitor"
    _silence(monitor / "2026/11/02/exten-201-09121-20261102-090000-1762074000.1.wav")
    header = [
        "calldate",
        "clid",
        "src",
        "dst",
        "dcontext",
        "channel",
        "dstchannel",
        "lastapp",
        "lastdata",
        "duration",
        "billsec",
        "disposition",
        "amaflags",
        "accountcode",
        "uniqueid",
        "userfield",
        "did",
        "recordingfile",
    ]
    values = [
        "2026-11-02 09:00:00",
        "",
        "09121",
        "201",
        "from-internal",
        "PJSIP/201-01",
        "PJSIP/trunk-02",
        "Dial",
        "PJSIP/trunk/09121",
        "70",
        "65",
        "ANSWERED",
        "3",
        "",
        "1762074000.1",
        "",
        "",
        "exten-201-09121-20261102-090000-1762074000.1.wav",
    ]
    export = tmp_path / "cdr.csv"
    with export.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, values])
    database = f"sqlite:///{tmp_path / 'asteriskcdrdb.sqlite3'}"
    engine = create_engine(database)
    with engine.begin() as connection:
        connection.execute(text(f"CREATE TABLE cdr ({', '.join(f'{h} TEXT' for h in header)})"))
        connection.execute(
            text(f"INSERT INTO cdr VALUES ({', '.join(':' + h for h in header)})"),
            dict(zip(header, values, strict=True)),
        )
    engine.dispose()
    for parsed in (read_cdr_csv(export), read_cdr_database(database)):
        assert parsed.problems == []
        [(_, record)] = parsed.records
        assert (record.direction, record.agent_extension, record.billsec) == ("outbound", "201", 65)
        assert record.recordingfile.endswith("1762074000.1.wav")


def test_cli_imports_and_exits_non_zero_on_bad_rows(
    database_url: str, pbx: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    master, monitor, agents = pbx
    env = {**os.environ, "DATABASE_URL": database_url, "CALLQA_HOME": str(tmp_path / "h")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "qa",
            "import",
            "asterisk",
            "--cdr",
            str(master),
            "--recordings",
            str(monitor),
            "--client",
            "Bank",
            "--agents",
            str(agents),
            "--consent-column",
            "userfield",
            "--register-only",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "recording not found" in result.stderr
    assert (
        "4 new call(s), 1 without a recording, 2 without consent, 4 row error(s)" in result.stdout
    )
