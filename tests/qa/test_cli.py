"""The CLI as a user runs it: `python -m qa ...` in a subprocess, messages and exit codes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus, Role, User
from tests.conftest import SQLITE_ONLY
from tests.qa.conftest import run_cli, write_manifest

NO_CONSENT = ("demo_ru_no_consent", "demo_fa_no_consent")


@pytest.fixture
def cli_home(tmp_path: Path, empty_database_url: str) -> tuple[Path, str]:
    """A home folder and a database that `init` has set up."""
    result = run_cli("init", home=tmp_path, database_url=empty_database_url)
    assert result.returncode == 0, result.stderr
    assert "database ready" in result.stdout
    return tmp_path, empty_database_url


def _no_traceback(result: object) -> None:
    assert "Traceback" not in getattr(result, "stderr", "")


def test_every_command_has_help() -> None:
    for command in (["init"], ["user", "add"], ["ingest"], ["retry"], ["rescore"], ["demo"]):
        result = run_cli(*command, "--help", home=Path("/nonexistent"), database_url="")
        assert result.returncode == 0, (command, result.stderr)
        assert "Usage" in result.stdout


def test_commands_refuse_a_database_that_is_not_initialised(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    result = run_cli("retry", home=tmp_path, database_url=url)
    assert result.returncode == 1
    assert "run `python -m qa init` first" in result.stderr
    _no_traceback(result)


def test_user_add_links_agents_and_reports_mistakes(cli_home: tuple[Path, str]) -> None:
    home, url = cli_home
    manifest = write_manifest(home / "manifest.csv", NO_CONSENT)
    assert (
        run_cli(
            "ingest", str(home), "--manifest", str(manifest), home=home, database_url=url
        ).returncode
        == 0
    )
    added = run_cli(
        "user",
        "add",
        "olga",
        "--role",
        "agent",
        "--agent",
        "A103",
        "--password",
        "long-secret",
        home=home,
        database_url=url,
    )
    assert added.returncode == 0, added.stderr
    prompted = run_cli(
        "user",
        "add",
        "casey",
        "--role",
        "coach",
        home=home,
        database_url=url,
        stdin="long-secret\nlong-secret\n",
    )
    assert prompted.returncode == 0, prompted.stderr
    assert "long-secret" not in prompted.stdout
    unknown = run_cli(
        "user",
        "add",
        "ghost",
        "--role",
        "agent",
        "--agent",
        "NOPE",
        "--password",
        "long-secret",
        home=home,
        database_url=url,
    )
    assert unknown.returncode == 1 and "no agent with id 'NOPE'" in unknown.stderr
    short = run_cli(
        "user", "add", "bob", "--role", "coach", "--password", "short", home=home, database_url=url
    )
    assert short.returncode == 1 and "at least 8 characters" in short.stderr
    for result in (unknown, short):
        _no_traceback(result)
    with session_scope(url) as session:
        users = session.execute(
            select(User.username, User.role, User.agent_id).order_by(User.id)
        ).all()
    assert [(name, role) for name, role, _ in users] == [
        ("olga", Role.agent),
        ("casey", Role.coach),
    ]
    assert users[0].agent_id is not None and users[1].agent_id is None


def test_ingest_reports_row_errors_with_line_numbers_and_goes_on(
    cli_home: tuple[Path, str],
) -> None:
    home, url = cli_home
    manifest = write_manifest(home / "manifest.csv", NO_CONSENT)
    with manifest.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows.insert(1, {**rows[0], "call_id": "broken", "customer_consent": "maybe"})
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    files = [str(home / row["audio_file"]) for row in rows]
    result = run_cli("ingest", *files, "--manifest", str(manifest), home=home, database_url=url)
    assert result.returncode == 1
    assert "line 3 (broken): customer_consent" in result.stderr
    assert "2 rejected without consent, 1 row error;" in result.stdout
    _no_traceback(result)
    with session_scope(url) as session:
        statuses = set(session.scalars(select(Call.status)))
    assert statuses == {CallStatus.rejected_no_consent}

    missing = run_cli("ingest", str(home / "nowhere"), home=home, database_url=url)
    assert missing.returncode == 1 and "not found" in missing.stderr
    _no_traceback(missing)


@SQLITE_ONLY  # about the words of a message, not where its rows are stored
def test_ingest_speaks_a_russian_terminals_language(cli_home: tuple[Path, str]) -> None:
    """Its messages are wrapped for gettext: a Russian terminal reads them in Russian."""
    home, url = cli_home
    manifest = write_manifest(home / "manifest.csv", NO_CONSENT)
    with manifest.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["customer_consent"] = "maybe"
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    russian = {"LANGUAGE": "ru", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
    result = run_cli("ingest", str(home), home=home, database_url=url, extra_env=russian)
    assert result.returncode == 1
    assert "\nошибка: строка 2 (demo_ru_no_consent)" in result.stderr
    assert "error:" not in result.stderr
    _no_traceback(result)


def test_rescore_and_demo_explain_what_is_wrong(cli_home: tuple[Path, str]) -> None:
    home, url = cli_home
    no_scorecard = run_cli("rescore", "--version", "x", home=home, database_url=url)
    assert no_scorecard.returncode == 1 and "--scorecard" in no_scorecard.stderr
    unknown = run_cli(
        "rescore", "--scorecard", "script", "--version", "x", home=home, database_url=url
    )
    assert unknown.returncode == 1 and "has no version 'x'" in unknown.stderr
    nothing = run_cli("rescore", home=home, database_url=url)
    assert nothing.returncode == 0 and "0 calls rescored, 0 new evaluations" in nothing.stdout
    run_cli(
        "user",
        "add",
        "boss",
        "--role",
        "admin",
        "--password",
        "long-secret",
        home=home,
        database_url=url,
    )
    demo = run_cli("demo", home=home, database_url=url)
    assert demo.returncode == 1 and "already has 0 calls and 1 user;" in demo.stderr
    for result in (no_scorecard, unknown, demo):
        _no_traceback(result)
