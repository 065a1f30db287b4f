"""Two `qa ingest` of one folder at once on PostgreSQL: both finish, each call is done once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qa.storage.bootstrap import initialize_database
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus, Evaluation, Transcript
from tests.conftest import REPO_ROOT, fresh_database
from tests.qa.synthetic_calls import make_calls


@pytest.fixture
def postgres_database_url(tmp_path: Path) -> Iterator[str]:
    with fresh_database("postgresql", tmp_path) as url:
        yield url


@pytest.mark.postgres
def test_two_ingests_racing_both_finish_and_store_each_call_once(
    postgres_database_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "calls"
    make_calls(folder, 4)
    initialize_database(postgres_database_url)
    env = {
        **os.environ,
        "CALLQA_HOME": str(tmp_path / "home"),
        "DATABASE_URL": postgres_database_url,
    }
    ingests = [
        subprocess.Popen(
            [sys.executable, "-m", "qa", "ingest", str(folder)],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in ingests]
    for code, stdout, stderr in results:
        assert code == 0, stderr
        assert "init" not in stderr and "Traceback" not in stderr
        # Each reports the calls it registered as still to do; none failed.
        assert "failed" not in stdout and "error:" not in stderr, (stdout, stderr)
    with session_scope(postgres_database_url) as session:
        calls = session.scalars(select(Call)).all()
        assert len(calls) == 4 and {c.status for c in calls} == {CallStatus.done}
        assert sum(c.attempts for c in calls) == 4, "each call processed once"
        assert session.scalar(select(func.count()).select_from(Transcript)) == 4
        counted = session.scalar(
            select(func.count()).select_from(Evaluation).where(Evaluation.counts)
        )
        per_call = session.scalar(
            select(func.count(func.distinct(Evaluation.scorecard_version_id)))
        )
        assert counted == 4 * per_call
