"""A real Celery worker takes calls from Redis and runs the same `process_call`."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus, Evaluation
from tests.conftest import REPO_ROOT
from tests.qa.conftest import run_cli, write_manifest

BROKER_URL = os.environ.get("CALLQA_TEST_BROKER_URL", "redis://127.0.0.1:6379/0")
# Redis db 9 for the integrity tests (issue 9), so no other worker sees their messages.
OWN_BROKER_URL = os.environ.get("CALLQA_TEST_FAULT_BROKER_URL", "redis://127.0.0.1:6379/9")


@pytest.fixture
def database_kind() -> str:
    """SQLite only: these are about the broker and the worker process; the `process_call` they
    run stores its rows on PostgreSQL too in test_pipeline_e2e."""
    return "sqlite"


@pytest.fixture
def celery_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A worker process on a queue of its own, so no other worker takes the test's calls."""
    try:
        redis.Redis.from_url(BROKER_URL).ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {BROKER_URL}")
    env = {
        "CALLQA_BROKER_URL": BROKER_URL,
        "CALLQA_CELERY_QUEUE": f"callqa-test-{uuid.uuid4().hex[:8]}",
    }
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "qa.worker", "worker", "--pool=solo"),
            *("--loglevel=warning", "--without-gossip", "--without-mingle"),
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "CALLQA_HOME": str(tmp_path / "worker"), **env},
    )
    try:
        yield env
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_ingest_with_celery_runs_calls_on_the_worker(
    database_url: str, tmp_path: Path, celery_env: dict[str, str]
) -> None:
    manifest = write_manifest(
        tmp_path / "manifest.csv", ("demo_en_missing_steps", "demo_fa_no_consent")
    )
    assert run_cli("init", home=tmp_path, database_url=database_url).returncode == 0
    result = run_cli(
        "ingest",
        str(tmp_path),
        "--manifest",
        str(manifest),
        "--celery",
        home=tmp_path,
        database_url=database_url,
        extra_env=celery_env,
    )
    assert result.returncode == 0, result.stderr
    assert "1 rejected without consent" in result.stdout and "1 done" in result.stdout
    with session_scope(database_url) as session:
        call = session.scalars(
            select(Call).where(Call.external_id == "demo_en_missing_steps")
        ).one()
        assert call.status is CallStatus.done
        evaluations = session.scalar(
            select(func.count()).select_from(Evaluation).where(Evaluation.call_id == call.id)
        )
    assert evaluations == 4


def test_an_unreachable_broker_is_a_clear_error(database_url: str, tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "manifest.csv", ("demo_en_missing_steps",))
    result = run_cli(
        "ingest",
        str(tmp_path),
        "--manifest",
        str(manifest),
        "--celery",
        home=tmp_path,
        database_url=database_url,
        extra_env={"CALLQA_BROKER_URL": "redis://127.0.0.1:1/0"},
    )
    assert result.returncode == 1
    assert "cannot reach the Celery broker" in result.stderr
    assert "Traceback" not in result.stderr


def test_waiting_with_no_live_worker_ends_with_a_clear_error_and_a_retry_hint(
    database_url: str, tmp_path: Path
) -> None:
    broker = redis.Redis.from_url(OWN_BROKER_URL)
    try:
        broker.ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {OWN_BROKER_URL}")
    queue = f"callqa-nobody-{uuid.uuid4().hex[:8]}"
    manifest = write_manifest(tmp_path / "manifest.csv", ("demo_en_missing_steps",))
    result = run_cli(
        "ingest",
        str(tmp_path),
        "--manifest",
        str(manifest),
        "--celery",
        home=tmp_path,
        database_url=database_url,
        extra_env={
            "CALLQA_BROKER_URL": OWN_BROKER_URL,
            "CALLQA_CELERY_QUEUE": queue,
            "CALLQA_CELERY_WAIT_SECONDS": "2",
        },
    )
    broker.delete(queue)
    assert result.returncode == 1
    assert "error: 1 call made no progress" in result.stderr
    assert "python -m qa retry --celery" in result.stderr and "Traceback" not in result.stderr
