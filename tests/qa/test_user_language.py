"""Each user's language: set by an admin (`user add --language`), changed by the user, audited.

The command line itself speaks the terminal's language.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.cli.demo_command import DEMO_DIR, DEMO_USERS
from qa.errors import AccessDenied, QAError
from qa.queries.users import change_language, viewer_of
from qa.storage.db import session_scope
from qa.storage.directory import create_user
from qa.storage.models import AuditEntry, Role, User
from tests.qa.conftest import run_cli


def _language(url: str, username: str) -> str:
    with session_scope(url) as session:
        return session.scalar(select(User.language).where(User.username == username)) or ""


def test_user_add_sets_the_language_and_refuses_an_unknown_one(
    tmp_path: Path, database_url: str
) -> None:
    def add(*args: str, lang: str = "C.UTF-8"):  # type: ignore[no-untyped-def]
        return run_cli(
            "user", "add", *args, "--password", "long-secret",
            home=tmp_path, database_url=database_url,
            extra_env={"LANG": lang, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""},
        )  # fmt: skip

    persian = add("pari", "--role", "coach", "--language", "fa")
    assert persian.returncode == 0, persian.stderr
    assert "added user pari (coach, fa)" in persian.stdout
    assert _language(database_url, "pari") == "fa"
    # Messages in the terminal's language: a Russian terminal gets Russian.
    russian = add("olga", "--role", "reviewer", "--language", "ru", lang="ru_RU.UTF-8")
    assert "добавлен пользователь olga (reviewer, ru)" in russian.stdout
    assert add("casey", "--role", "coach").returncode == 0
    assert _language(database_url, "casey") == "en"
    german = add("hans", "--role", "coach", "--language", "de", lang="ru_RU.UTF-8")
    assert german.returncode == 1
    assert "ошибка: unknown language 'de'; supported: fa, ru, en" in german.stderr
    assert _language(database_url, "hans") == ""


def test_a_user_changes_their_own_language_and_only_an_admin_changes_anothers(
    database_url: str,
) -> None:
    with session_scope(database_url) as session:
        admin = viewer_of(create_user(session, "ada", "long-secret", "admin"))
        coach = viewer_of(create_user(session, "carl", "long-secret", "coach"))
        other = viewer_of(create_user(session, "rita", "long-secret", "reviewer"))
    with session_scope(database_url) as session:
        changed = change_language(session, coach, coach.user_id, "ru")
    assert changed.language == "ru" and changed.user_id == coach.user_id
    with session_scope(database_url) as session, pytest.raises(AccessDenied):
        change_language(session, coach, other.user_id, "fa")
    with session_scope(database_url) as session:
        change_language(session, admin, other.user_id, "fa")
    with session_scope(database_url) as session, pytest.raises(QAError, match="supported"):
        change_language(session, admin, other.user_id, "xx")
    assert _language(database_url, "carl") == "ru"
    assert _language(database_url, "rita") == "fa"
    with session_scope(database_url) as session:
        entries = session.execute(
            select(AuditEntry.action, AuditEntry.actor_id).where(
                AuditEntry.action == "user.language"
            )
        ).all()
    assert sorted(entries) == sorted(
        [("user.language", coach.user_id), ("user.language", admin.user_id)]
    )


def test_the_demos_russian_and_persian_agents_read_the_app_in_their_calls_language() -> None:
    """`qa demo` adds Dmitry and Olga (Russian calls) and Sara (Persian calls) in their own
    language, and every other agent in the one language of their calls."""
    rows = list(csv.DictReader((DEMO_DIR / "manifest.csv").open(encoding="utf-8")))
    call_languages = {
        agent: {r["call_id"].split("_")[1] for r in rows if r["agent_id"] == agent}
        for agent in {r["agent_id"] for r in rows}
    }
    agents = {user.agent: user.language for user in DEMO_USERS if user.role is Role.agent}
    assert agents["A203"] == "ru" and call_languages["A203"] == {"ru"}
    assert agents["A201"] == "fa" and call_languages["A201"] == {"fa"}
    assert {agent: {language} for agent, language in agents.items()} == {
        agent: call_languages[agent] for agent in agents
    }
