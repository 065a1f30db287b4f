"""The local process pool: calls run in parallel worker processes that share only the database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from qa.pipeline.ingest import ingest_manifest
from qa.pipeline.runner import run_calls
from qa.settings import Settings
from qa.storage.bootstrap import initialize_database
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus
from tests.qa.conftest import write_manifest

CALLS = ("demo_en_missing_steps", "demo_ru_rude")


def test_a_pool_of_two_processes_finishes_every_call(tmp_path: Path) -> None:
    # SQLite only: the pool adds nothing database-specific, and it loads the model twice.
    url = f"sqlite:///{tmp_path / 'callqa.sqlite3'}"
    initialize_database(url)
    settings = Settings(home=tmp_path, workers=2)
    report = ingest_manifest(url, write_manifest(tmp_path / "manifest.csv", CALLS), settings)
    finished: list[int] = []

    outcomes = run_calls(
        url, report.to_process, settings, on_done=lambda call_id, _: finished.append(call_id)
    )

    assert outcomes == {CallStatus.done: 2}
    assert sorted(finished) == sorted(report.to_process)
    with session_scope(url) as session:
        calls = session.scalars(select(Call)).all()
        assert {(c.external_id, c.status, c.attempts) for c in calls} == {
            (name, CallStatus.done, 1) for name in CALLS
        }
