"""A database that `init` never set up: processing still scores, and the CLI explains failures."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import func, select

from qa.pipeline.ingest import ingest_manifest
from qa.pipeline.runner import run_calls
from qa.storage.db import session_scope
from qa.storage.migrate import alembic_config
from qa.storage.models import CallStatus, Evaluation, ScorecardVersion
from qa.storage.scorecard_store import deactivate_scorecard, scorecards_for_new_calls
from tests.qa.conftest import run_cli, settings_for, write_manifest


def test_processing_on_a_migrated_only_database_scores_with_the_shipped_scorecards(
    database_url: str, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path)
    manifest = write_manifest(tmp_path / "manifest.csv", ("demo_en_polite_resolved",))
    report = ingest_manifest(database_url, manifest, settings)

    assert run_calls(database_url, report.to_process, settings) == {CallStatus.done: 1}

    with session_scope(database_url) as session:
        scored = session.scalars(
            select(ScorecardVersion.scorecard_key)
            .join(Evaluation, Evaluation.scorecard_version_id == ScorecardVersion.id)
            .where(Evaluation.call_id == report.to_process[0], Evaluation.counts.is_(True))
        ).all()
    assert sorted(scored) == ["compliance", "politeness", "resolution", "script"]


def test_scorecards_an_admin_deactivated_stay_off(database_url: str) -> None:
    with session_scope(database_url) as session:
        keys = [s.scorecard.id for s in scorecards_for_new_calls(session)]
        for key in keys:
            deactivate_scorecard(session, key)
    with session_scope(database_url) as session:
        assert scorecards_for_new_calls(session) == []
        assert session.scalar(select(func.count()).select_from(ScorecardVersion)) == len(keys)


def test_a_database_error_mid_command_is_a_message_with_what_to_do(
    empty_database_url: str, tmp_path: Path
) -> None:
    # Stamped as migrated but without tables: the readiness check passes, the query fails.
    command.stamp(alembic_config(empty_database_url), "head")

    result = run_cli(
        "export", "--from", "2026-11-01", "--to", "2026-11-30",
        home=tmp_path, database_url=empty_database_url,
    )  # fmt: skip

    assert result.returncode == 1
    assert result.stderr.startswith("error: database error: ")
    assert "DATABASE_URL" in result.stderr
    assert "python -m qa init" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_server_is_a_message_with_what_to_do(tmp_path: Path) -> None:
    result = run_cli(
        "retry", home=tmp_path, database_url="postgresql+psycopg://postgres@127.0.0.1:1/callqa"
    )

    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot open the database ")
    assert "check DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
