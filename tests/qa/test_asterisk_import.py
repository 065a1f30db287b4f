"""Asterisk/FreePBX/Issabel imports: CDRs as the PBX writes them become calls; consent is never
assumed."""

# ruff: noqa: E501  (CDR fixture rows are kept exactly as a PBX writes them, one call a line)

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, select, text

from qa.errors import QAError
from qa.i18n import language
from qa.queries.access import Viewer
from qa.queries.dashboard import abandonment_rate
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus, Role
from qa.telephony.asterisk_cdr import read_cdr_database, read_cdr_file
from qa.telephony.asterisk_import import plan_import
from qa.telephony.queue_log import read_queue_log
from qa.telephony.registration import ConsentRule, ImportSettings, read_agent_table
from tests.qa.conftest import DEMO_DIR, Translations, run_cli

TEHRAN = ZoneInfo("Asia/Tehran")
# cdr-csv rows in Asterisk's fixed column order (no header): an answered queue call recorded by
# MixMonitor, a caller who hung up while ringing, an answered call whose recording is missing,
# a row with the wrong number of columns and one with a duration that is not a number.
MASTER_CSV = """\
"","09121234567","500","ext-queues","Caller <09121234567>","PJSIP/trunk-00000001","PJSIP/1001-00000002","Queue","sales,t,,,300","2026-11-20 10:00:00","2026-11-20 10:00:12","2026-11-20 10:03:12",192,180,"ANSWERED","DOCUMENTATION","1763622000.11","consent=yes"
"","09351112233","500","ext-queues","Other <09351112233>","PJSIP/trunk-00000003","","Queue","sales,t,,,300","2026-11-20 10:05:00","","2026-11-20 10:05:40",40,0,"NO ANSWER","DOCUMENTATION","1763622300.12",""
"","09127654321","500","ext-queues","Third <09127654321>","PJSIP/trunk-00000004","SIP/1002-00000005","Queue","support,t,,,300","2026-11-20 11:00:00","2026-11-20 11:00:05","2026-11-20 11:02:05",125,120,"ANSWERED","DOCUMENTATION","1763625600.13","consent=yes"
"","1","2","ctx","clid","PJSIP/x","","Dial","","2026-11-20 12:00:00"
"","0912","500","ext-queues","c","PJSIP/trunk-9","PJSIP/1001-9","Queue","sales","2026-11-20 12:00:00","","2026-11-20 12:00:10",ten,0,"ANSWERED","DOCUMENTATION","1763629200.14",""
"""
AGENTS_CSV = """\
extension,agent_id,agent_name,team,recording_consent
1001,A101,Anna Smith,Cards,yes
1002,A102,Mark Jones,Cards,no
"""
RECORDING = "q-500-09121234567-20261120-100000-1763622000.11.ogg"


@pytest.fixture
def pbx(tmp_path: Path) -> Path:
    """A PBX's files: Master.csv, the agent table, and monitor/YYYY/MM/DD recordings."""
    (tmp_path / "Master.csv").write_text(MASTER_CSV, encoding="utf-8")
    (tmp_path / "agents.csv").write_text(AGENTS_CSV, encoding="utf-8")
    day = tmp_path / "monitor" / "2026" / "11" / "20"
    day.mkdir(parents=True)
    recording = day / RECORDING
    shutil.copy(DEMO_DIR / "demo_en_polite_resolved.ogg", recording)
    _age(recording)
    return tmp_path


def _age(path: Path, seconds: float = 600) -> None:
    """Make a file look finished: its last write long ago."""
    past = time.time() - seconds
    os.utime(path, (past, past))


def _settings(pbx: Path, consent: ConsentRule | None = None) -> ImportSettings:
    return ImportSettings(
        client="Harper Valley Bank",
        recordings=pbx / "monitor",
        agents=read_agent_table(pbx / "agents.csv"),
        consent=consent or ConsentRule(column="userfield", value="consent=yes"),
    )


def test_cdr_csv_rows_become_calls_with_agent_queue_timings_and_consent(pbx: Path) -> None:
    batch = read_cdr_file(pbx / "Master.csv", TEHRAN)
    assert [p.line for p in batch.problems] == [4, 5]
    assert "columns" in str(batch.problems[0]) and "duration" in str(batch.problems[1])

    plan = plan_import(batch.records, {}, _settings(pbx))

    [(row, source)] = plan.recorded
    assert source.name == RECORDING
    assert row.agent_id == "A101" and row.team == "Cards" and row.queue == "sales"
    assert row.direction == "inbound" and row.agent_channel == "right"
    assert row.started_at == datetime(2026, 11, 20, 10, 0, tzinfo=TEHRAN)
    assert (row.ring_seconds, row.handle_seconds) == (12, 180)
    assert row.customer_consent and row.agent_consent
    [abandoned] = plan.abandoned
    assert abandoned.agent_id is None and abandoned.wait_seconds == 40
    [missing] = plan.metadata_only
    assert missing.agent_id == "A102" and not missing.agent_consent
    assert any("not found" in p or "no recording" in p for p in plan.problems)


def test_consent_is_never_assumed(pbx: Path) -> None:
    batch = read_cdr_file(pbx / "Master.csv", UTC)
    with pytest.raises(QAError, match="consent is never assumed"):
        plan_import(batch.records, {}, _settings(pbx, ConsentRule()))
    by_queue = plan_import(batch.records, {}, _settings(pbx, ConsentRule(queues=frozenset({"x"}))))
    assert not by_queue.recorded[0][0].customer_consent
    by_app = plan_import(batch.records, {}, _settings(pbx, ConsentRule(app_data="sales,t")))
    assert by_app.recorded[0][0].customer_consent


def test_recordings_still_being_written_or_outside_the_folder_are_not_taken(
    pbx: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    recording = next((pbx / "monitor").rglob(RECORDING))
    os.utime(recording)  # written to just now
    plan = plan_import(read_cdr_file(pbx / "Master.csv", UTC).records, {}, _settings(pbx))
    assert plan.waiting == ["asterisk-1763622000.11"] and not plan.recorded

    outside = tmp_path_factory.mktemp("elsewhere") / "secret.ogg"
    shutil.copy(recording, outside)
    recording.unlink()
    recording.symlink_to(outside)
    plan = plan_import(read_cdr_file(pbx / "Master.csv", UTC).records, {}, _settings(pbx))
    assert not plan.recorded and any("outside" in p for p in plan.problems)


FREEPBX_CSV = """\
calldate,clid,src,dst,dcontext,channel,dstchannel,lastapp,lastdata,duration,billsec,disposition,amaflags,accountcode,uniqueid,userfield,did,recordingfile,cnum,cnam,outbound_cnum,outbound_cnam,dst_cnam,linkedid,peeraccount,sequence
2026-11-21 09:00:00,"A <0912>",0912,700,from-did-direct,PJSIP/trunk-1,,Playback,recording-notice,4,4,ANSWERED,3,,1763701200.1,,700,,0912,A,,,,1763701200.1,,1
2026-11-21 09:00:04,"A <0912>",0912,1001,from-internal,PJSIP/trunk-1,PJSIP/1001-2,Dial,PJSIP/1001,90,80,ANSWERED,3,,1763701204.2,,700,in-700-0912-20261121-090004-1763701204.2.ogg,0912,A,,,,1763701200.1,,2
"""


def test_freepbx_export_groups_legs_by_linkedid_and_uses_recordingfile(pbx: Path) -> None:
    (pbx / "cdr.csv").write_text(FREEPBX_CSV, encoding="utf-8")
    target = pbx / "monitor" / "2026" / "11" / "21"
    target.mkdir(parents=True)
    shutil.copy(
        DEMO_DIR / "demo_en_rude.ogg", target / "in-700-0912-20261121-090004-1763701204.2.ogg"
    )
    _age(target / "in-700-0912-20261121-090004-1763701204.2.ogg")
    batch = read_cdr_file(pbx / "cdr.csv", UTC)
    assert not batch.problems
    plan = plan_import(batch.records, {}, _settings(pbx, ConsentRule(app_data="recording-notice")))
    [(row, source)] = plan.recorded
    assert row.call_id == "asterisk-1763701200.1" and row.agent_id == "A101"
    assert row.customer_consent and (row.ring_seconds, row.handle_seconds) == (10, 80)
    assert source.parent == target


def test_queue_log_gives_wait_and_ring_and_marks_callers_who_gave_up(pbx: Path) -> None:
    (pbx / "queue_log").write_text(
        "1763622000|1763622000.11|sales|PJSIP/1001|ENTERQUEUE||09121234567|1\n"
        "1763622012|1763622000.11|sales|PJSIP/1001|CONNECT|9|1763622009.20|3\n"
        "1763622300|1763622300.12|sales|NONE|ABANDON|1|1|37\n"
        "garbage line\n",
        encoding="utf-8",
    )
    visits = read_queue_log(pbx / "queue_log")
    plan = plan_import(read_cdr_file(pbx / "Master.csv", UTC).records, visits, _settings(pbx))
    row = plan.recorded[0][0]
    assert (row.wait_seconds, row.ring_seconds) == (9, 3)
    assert plan.abandoned[0].wait_seconds == 37


def test_cdr_database_table_is_read_like_the_export(pbx: Path) -> None:
    url = f"sqlite:///{pbx / 'asteriskcdrdb.sqlite3'}"
    engine = create_engine(url)
    header = FREEPBX_CSV.splitlines()[0].split(",")
    with engine.begin() as connection:
        connection.execute(text(f"CREATE TABLE cdr ({', '.join(h + ' TEXT' for h in header)})"))
        connection.execute(
            text(f"INSERT INTO cdr VALUES ({', '.join(':' + h for h in header)})"),
            dict.fromkeys(header, "")
            | {
                "calldate": "2026-11-21 09:00:04",
                "channel": "PJSIP/trunk-1",
                "dstchannel": "PJSIP/1001-2",
                "duration": "90",
                "billsec": "80",
                "disposition": "ANSWERED",
                "uniqueid": "1763701204.2",
            },
        )
    engine.dispose()
    batch = read_cdr_database(url, UTC)
    assert [r.uniqueid for r in batch.records] == ["1763701204.2"]
    assert batch.records[0].start == datetime(2026, 11, 21, 9, 0, 4, tzinfo=UTC)


def test_import_command_processes_consented_calls_and_counts_abandonment(
    pbx: Path, database_url: str
) -> None:
    args = (
        "import", "asterisk", "--cdr", str(pbx / "Master.csv"), "--recordings",
        str(pbx / "monitor"), "--agents", str(pbx / "agents.csv"), "--client",
        "Harper Valley Bank", "--timezone", "Asia/Tehran", "--consent-column", "userfield",
        "--consent-value", "consent=yes",
    )  # fmt: skip
    first = run_cli(*args, home=pbx, database_url=database_url)
    assert first.returncode == 1, first.stderr  # the malformed rows are reported
    assert "Traceback" not in first.stderr
    assert "CDR line 4" in first.stderr and "CDR line 5" in first.stderr
    assert "3 new calls" in first.stdout and "1 done" in first.stdout
    with session_scope(database_url) as session:
        calls = {c.external_id: c for c in session.scalars(select(Call))}
        assert calls["asterisk-1763622000.11"].status is CallStatus.done
        assert calls["asterisk-1763622300.12"].status is CallStatus.abandoned
        assert calls["asterisk-1763622300.12"].audio_path is None
        assert calls["asterisk-1763625600.13"].status is CallStatus.no_recording
        admin = Viewer(user_id=0, username="admin", role=Role.admin)
        assert abandonment_rate(session, EvaluationFilter(), admin) == pytest.approx(1 / 3)

    again = run_cli(*args, home=pbx, database_url=database_url)
    assert "0 new calls" in again.stdout


def test_a_malformed_cdr_row_is_reported_in_the_readers_language(
    tmp_path: Path, russian_catalog: Callable[[Translations], None]
) -> None:
    """A row problem is worded when the row is read, in the language of whoever reads it."""
    russian_catalog({
        "CDR line {line}: {problem}": "строка CDR {line}: {problem}",
        "{field} {value} is not a number of seconds": "{field} {value} — не число секунд",
        ("{width} column; cdr-csv rows have 16, 17, 18 or 21",
         "{width} columns; cdr-csv rows have 16, 17, 18 or 21"): (
            "{width} столбец; в строках cdr-csv их 16, 17, 18 или 21",
            "{width} столбца; в строках cdr-csv их 16, 17, 18 или 21",
            "{width} столбцов; в строках cdr-csv их 16, 17, 18 или 21",
        ),
    })  # fmt: skip
    header = tmp_path / "Header.csv"
    header.write_text("uniqueid,start,duration,billsec,disposition\n"
                      "1.1,2026-11-20 10:00:00,abc,10,ANSWERED\n", encoding="utf-8")  # fmt: skip
    headerless = tmp_path / "Master.csv"
    headerless.write_text('"a","b","c"\n', encoding="utf-8")
    with language("ru"):
        problems = [str(p) for p in read_cdr_file(header, UTC).problems]
        problems += [str(p) for p in read_cdr_file(headerless, UTC).problems]
    assert problems == [
        "строка CDR 2: duration 'abc' — не число секунд",
        "строка CDR 1: 3 столбца; в строках cdr-csv их 16, 17, 18 или 21",
    ]
    with language("en"):
        assert str(read_cdr_file(header, UTC).problems[0]) == (
            "CDR line 2: duration 'abc' is not a number of seconds"
        )
