"""A real Celery worker takes a call from Redis and runs the same `process_call`."""

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

from qa.pipeline.ingest import ingest_manifest
from qa.storage.bootstrap import initialize_database
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus, Evaluation
from tests.conftest import REPO_ROOT
from tests.qa.conftest import settings_for, write_manifest

BROKER_URL = os.environ.get("CALLQA_TEST_BROKER_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def celery_queue(tmp_path: Path) -> Iterator[str]:
    """A worker process on a queue of its own, so no other worker takes the test's task."""
    try:
        redis.Redis.from_url(BROKER_URL).ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {BROKER_URL}")
    queue = f"callqa-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CALLQA_HOME": str(tmp_path), "CALLQA_BROKER_URL": BROKER_URL}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "qa.worker",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=warning",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=REPO_ROOT,
        env=env,
    )
    try:
        yield queue
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_worker_processes_a_call_sent_through_redis(
    database_url: str, tmp_path: Path, celery_queue: str
) -> None:
    from qa.worker import app, process_call_task

    app.conf.update(broker_url=BROKER_URL, result_backend=BROKER_URL)
    initialize_database(database_url)
    manifest = write_manifest(tmp_path / "manifest.csv", ("demo_en_missing_steps",))
    (call_id,) = ingest_manifest(database_url, manifest, settings_for(tmp_path)).to_process

    result = process_call_task.apply_async((database_url, call_id), queue=celery_queue)
    assert result.get(timeout=240) == CallStatus.done.value
    with session_scope(database_url) as session:
        assert session.get_one(Call, call_id).status is CallStatus.done
        evaluations = session.scalar(
            select(func.count()).select_from(Evaluation).where(Evaluation.call_id == call_id)
        )
    assert evaluations == 4
