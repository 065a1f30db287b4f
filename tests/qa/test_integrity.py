"""The database keeps the pipeline honest: zone-correct times, one counted evaluation, live
holders, an attempt limit, and unusable recordings never stored."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from qa.pipeline import process
from qa.pipeline.ingest import ingest_manifest
from qa.pipeline.process import process_call
from qa.pipeline.runner import retryable_calls
from qa.settings import Settings
from qa.storage.db import session_scope
from qa.storage.models import AuditEntry, Base, Call, CallStatus
from qa.storage.models import Evaluation as EvaluationRow
from qa.storage.types import UTCDateTime
from tests.qa.synthetic_calls import make_calls
from tests.qa.test_counted_evaluations import _call, _evaluation, _version


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        ("2026-11-20T12:00:00+03:30", "2026-11-20 08:30:00"),
        ("2026-11-20T12:00:00+03:00", "2026-11-20 09:00:00"),
        ("2026-11-20T12:00:00-05:00", "2026-11-20 17:00:00"),
    ],
)
def test_a_time_with_a_zone_is_stored_as_utc_and_reads_back_as_the_same_instant(
    database_url: str, written: str, utc: str
) -> None:
    started = datetime.fromisoformat(written)
    with session_scope(database_url) as session:
        call_id = _call(session, "zoned")
        session.execute(update(Call).where(Call.id == call_id).values(started_at=started))
    with session_scope(database_url) as session:
        stored = session.get_one(Call, call_id).started_at
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET TIME ZONE 'UTC'"))  # how the text of a timestamptz reads
        raw = session.scalar(text("SELECT CAST(started_at AS TEXT) FROM calls"))
        # A filter written in UTC finds it by the instant, not by the wall time.
        found = session.scalar(select(Call.id).where(Call.started_at == started.astimezone(UTC)))
    assert stored == started and stored.tzinfo == UTC and found == call_id
    assert str(stored.replace(tzinfo=None)) == utc
    assert raw is not None and raw.startswith(utc)


def test_every_stored_time_uses_the_utc_type() -> None:
    naive_types = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if column.type.python_type is datetime and not isinstance(column.type, UTCDateTime)
    ]
    assert naive_types == []


def test_recount_moves_the_flag_without_tripping_the_index(database_url: str) -> None:
    from qa.storage.evaluations import save_evaluation

    with session_scope(database_url) as session:
        version_id = _version(session, "v1")
        call_id = _call(session, "c1")
        for score in (70.0, 80.0, 90.0):  # each new human review takes the flag over
            save_evaluation(session, call_id, version_id, _evaluation(score), "human")
    with session_scope(database_url) as session:
        counted = session.scalars(
            select(EvaluationRow.score).where(EvaluationRow.counts.is_(True))
        ).all()
    assert counted == [90.0]


def _in_flight(database_url: str, call_id: int, worker: str, beat: datetime) -> None:
    with session_scope(database_url) as session:
        session.execute(
            update(Call)
            .where(Call.id == call_id)
            .values(status=CallStatus.transcribing, worker_id=worker, heartbeat_at=beat, attempts=1)
        )


def test_a_call_is_retryable_once_its_worker_is_gone_not_after_a_fixed_wait(
    database_url: str,
) -> None:
    with session_scope(database_url) as session:
        remote, local_dead, live = (_call(session, f"c{n}") for n in range(3))
    now = datetime.now(UTC)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    _in_flight(database_url, remote, "elsewhere:1", now - timedelta(minutes=2))
    _in_flight(database_url, local_dead, f"{socket.gethostname()}:{dead}", now)
    _in_flight(database_url, live, "elsewhere:2", now)
    assert retryable_calls(database_url) == [remote, local_dead]
    settings = Settings(stale_seconds=600)
    # A worker on another machine whose heartbeat is fresh keeps its call.
    assert process_call(database_url, live, settings) is CallStatus.transcribing


def test_retries_stop_at_the_attempt_limit_and_the_call_needs_an_admin(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(home=tmp_path, max_attempts=2)
    report = ingest_manifest(database_url, make_calls(tmp_path / "calls", 1), settings)
    (call_id,) = report.to_process

    def crash(*_args: object) -> None:
        raise RuntimeError("model server unreachable")

    monkeypatch.setattr(process.transcribe_stage, "transcribe", crash)
    assert process_call(database_url, call_id, settings) is CallStatus.failed
    assert retryable_calls(database_url) == [call_id]
    assert process_call(database_url, call_id, settings) is CallStatus.needs_admin
    assert retryable_calls(database_url) == []
    assert process_call(database_url, call_id, settings) is CallStatus.needs_admin
    with session_scope(database_url) as session:
        call = session.get_one(Call, call_id)
        assert call.attempts == 2 and "model server unreachable" in (call.error or "")


def test_unusable_recordings_are_refused_at_ingest_and_never_stored(
    database_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "calls"
    manifest = make_calls(folder, 2)
    (folder / "syn_001.wav").write_bytes(b"RIFF\x00\x00not audio at all" * 100)
    # 8 s calls against a 5-second limit: refused by the header, before any copy.
    settings = Settings(home=tmp_path / "home", max_audio_hours=5 / 3600)
    report = ingest_manifest(database_url, manifest, settings)
    assert report.to_process == []
    assert [p.call_id for p in report.problems] == ["syn_000", "syn_001"]
    assert "longer than the limit" in report.problems[0].message
    assert "not an audio format" in report.problems[1].message
    assert not settings.audio_dir.exists() or not any(settings.audio_dir.rglob("*.wav"))
    with session_scope(database_url) as session:
        calls = session.scalars(select(Call).order_by(Call.id)).all()
        assert [(c.status, c.audio_path) for c in calls] == [(CallStatus.needs_admin, None)] * 2


def test_a_recording_found_unusable_while_decoding_is_removed_and_not_retried(
    database_url: str, tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path / "home")
    report = ingest_manifest(database_url, make_calls(tmp_path / "calls", 1), settings)
    (call_id,) = report.to_process
    with session_scope(database_url) as session:
        stored = Path(session.get_one(Call, call_id).audio_path or "")
    data = stored.read_bytes()
    stored.write_bytes(data[: len(data) // 3])  # the header still promises all of it
    assert process_call(database_url, call_id, settings) is CallStatus.needs_admin
    assert not stored.exists()
    with session_scope(database_url) as session:
        call = session.get_one(Call, call_id)
        assert call.audio_path is None and "truncated" in (call.error or "")
    assert retryable_calls(database_url) == []


def test_a_refused_recordings_reason_masks_the_callers_number_in_its_file_name(
    database_url: str, tmp_path: Path
) -> None:
    """Phone systems name recordings after the caller (MixMonitor: q-500-<number>-...)."""
    folder = tmp_path / "calls"
    manifest = make_calls(folder, 1)
    named = folder / "q-500-09121234567-20261120-100000-1763622000.11.wav"
    (folder / "syn_000.wav").rename(named)
    manifest.write_text(manifest.read_text().replace("syn_000.wav", named.name))
    named.write_bytes(b"RIFF\x00\x00not audio at all" * 100)
    report = ingest_manifest(database_url, manifest, Settings(home=tmp_path / "home"))
    assert report.problems and "09121234567" not in report.problems[0].message
    with session_scope(database_url) as session:
        stored = session.scalars(select(Call.error)).one() or ""
        audit = " ".join(str(e.details) for e in session.scalars(select(AuditEntry)))
    assert stored and "09121234567" not in stored and "09121234567" not in audit
