"""A crash or kill between stages leaves the database consistent and the call retryable."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qa.pipeline import process
from qa.pipeline.ingest import ingest_manifest
from qa.pipeline.process import process_call
from qa.pipeline.runner import retryable_calls
from qa.storage.bootstrap import initialize_database
from qa.storage.db import session_scope
from qa.storage.models import AuditEntry, Call, CallStatus, Evaluation, Transcript
from tests.conftest import REPO_ROOT
from tests.qa.conftest import run_cli, settings_for, write_manifest

CALL = "demo_en_missing_steps"


def _registered_call(database_url: str, home: Path) -> int:
    initialize_database(database_url)
    manifest = write_manifest(home / "manifest.csv", (CALL,))
    report = ingest_manifest(database_url, manifest, settings_for(home))
    (call_id,) = report.to_process
    return call_id


def _state(database_url: str, call_id: int) -> tuple[Call, int, int]:
    with session_scope(database_url) as session:
        call = session.get_one(Call, call_id)
        transcripts = session.scalar(
            select(func.count()).select_from(Transcript).where(Transcript.call_id == call_id)
        )
        evaluations = session.scalar(
            select(func.count()).select_from(Evaluation).where(Evaluation.call_id == call_id)
        )
        return call, transcripts or 0, evaluations or 0


def test_failure_while_storing_leaves_nothing_half_written_and_cli_retry_finishes(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    call_id = _registered_call(database_url, tmp_path)

    def disk_full(*_args: object, **_kwargs: object) -> int:
        raise OSError("disk full")

    # The transcript is already added to the session when storing evaluations fails.
    monkeypatch.setattr(process, "store_automatic_evaluations", disk_full)
    assert process_call(database_url, call_id, settings_for(tmp_path)) is CallStatus.failed
    call, transcripts, evaluations = _state(database_url, call_id)
    assert (call.status, call.error) == (CallStatus.failed, "OSError: disk full")
    assert (transcripts, evaluations) == (0, 0)
    with session_scope(database_url) as session:
        assert session.scalar(
            select(AuditEntry.id).where(
                AuditEntry.action == "call.failed", AuditEntry.entity_id == str(call_id)
            )
        )

    result = run_cli("retry", home=tmp_path, database_url=database_url)
    assert result.returncode == 0, result.stderr
    assert "1 call retried" in result.stdout
    call, transcripts, evaluations = _state(database_url, call_id)
    assert (call.status, call.error, call.attempts) == (CallStatus.done, None, 2)
    assert (transcripts, evaluations) == (1, 4)


def test_killed_worker_leaves_the_call_restartable(database_url: str, tmp_path: Path) -> None:
    call_id = _registered_call(database_url, tmp_path)
    code = (
        "import sys; from pathlib import Path; from qa.settings import Settings; "
        "from qa.pipeline.process import process_call; "
        "process_call(sys.argv[1], int(sys.argv[2]), Settings(home=Path(sys.argv[3])))"
    )
    worker = subprocess.Popen(
        [sys.executable, "-c", code, database_url, str(call_id), str(tmp_path)],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    try:
        deadline = time.monotonic() + 120
        while _state(database_url, call_id)[0].status is CallStatus.pending:
            assert time.monotonic() < deadline and worker.poll() is None
            time.sleep(0.05)
    finally:
        worker.kill()
        worker.wait()

    call, transcripts, evaluations = _state(database_url, call_id)
    assert call.status is CallStatus.transcribing, "killed mid-way, before anything was stored"
    assert (transcripts, evaluations) == (0, 0)
    # Its worker is gone (its pid is dead), so it is retryable at once: no 30-minute wait.
    assert retryable_calls(database_url) == [call_id]
    retried = run_cli("retry", home=tmp_path, database_url=database_url)
    assert retried.returncode == 0, retried.stderr
    assert "1 call retried; 1 done" in retried.stdout
    call, transcripts, evaluations = _state(database_url, call_id)
    assert (call.status, call.attempts, transcripts, evaluations) == (CallStatus.done, 2, 1, 4)
    # Processing a finished call again changes nothing.
    assert process_call(database_url, call_id, settings_for(tmp_path)) is CallStatus.done
    assert _state(database_url, call_id)[1:] == (1, 4)
