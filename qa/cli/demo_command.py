"""`demo`: a fresh database with the demo calls and one user per role, ready to sign in."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import func, select

from qa.cli.demo_calibration import add_demo_calibration
from qa.cli.errors import exits_cleanly
from qa.cli.pipeline_commands import outcome_summary, process_with_progress
from qa.demo_activity import add_demo_activity
from qa.errors import QAError
from qa.i18n import _, ngettext
from qa.locale_format import join
from qa.pipeline.ingest import ingest_manifest
from qa.settings import get_settings
from qa.storage.bootstrap import initialize_database, printable_url
from qa.storage.db import session_scope
from qa.storage.directory import create_user
from qa.storage.models import Call, Role, User

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    display_name: str
    agent: str | None = None
    client: str | None = None
    language: str = "en"


DEMO_USERS = (
    DemoUser("admin", Role.admin, "Demo admin"),
    DemoUser("lead", Role.lead, "Lena Lead"),
    DemoUser("reviewer", Role.reviewer, "Quinn Reviewer"),
    DemoUser("coach", Role.coach, "Casey Coach"),
    DemoUser("anna", Role.agent, "Anna Smith", agent="A101"),
    DemoUser("mark", Role.agent, "Mark Lee", agent="A102"),
    # The Russian and Persian agents read the app in their own language.
    DemoUser("dmitry", Role.agent, "Dmitry Sokolov", agent="A203", language="ru"),
    DemoUser("olga", Role.agent, "Olga Ivanova", agent="A103", language="ru"),
    DemoUser("sara", Role.agent, "Sara Ahmadi", agent="A201", language="fa"),
    DemoUser("hvb-viewer", Role.client_viewer, "Harper Valley Bank", client="Harper Valley Bank"),
)


@exits_cleanly
def demo(
    folder: Annotated[
        Path, typer.Option("--folder", help="Demo recordings with their manifest.csv.")
    ] = DEMO_DIR,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Processes that transcribe in parallel.")
    ] = None,
) -> None:
    """Load the demo calls into a new, empty database, add a user for every role and some
    reviews, a dispute and a coaching session, so every page has something to show.

    Point CALLQA_HOME (or DATABASE_URL) at a fresh location first. The generated passwords
    are printed once and not stored anywhere in clear.
    """
    settings = get_settings()
    url = settings.resolved_database_url
    initialize_database(url)
    _ensure_empty(url)
    report = ingest_manifest(url, folder / "manifest.csv", settings, audio_root=folder)
    if report.problems:
        raise QAError(
            _("the demo manifest has errors: {problems}").format(
                problems="; ".join(map(str, report.problems))
            )
        )
    typer.echo(
        ngettext(
            "processing {count} demo call (a minute or two)...",
            "processing {count} demo calls (a minute or two)...",
            len(report.to_process),
        ).format(count=len(report.to_process))
    )
    outcomes = process_with_progress(
        url, report.to_process, settings, workers, celery=False, label=_("demo calls")
    )
    passwords = add_demo_users(url)
    with session_scope(url) as session:
        add_demo_activity(session)
    add_demo_calibration(url)
    rejected = ngettext(
        "{count} rejected without consent", "{count} rejected without consent", len(report.rejected)
    ).format(count=len(report.rejected))
    typer.echo(
        _("demo database: {url}; {outcomes}").format(
            url=printable_url(url), outcomes=join([outcome_summary(outcomes), rejected])
        )
    )
    typer.echo(_("Demo users (passwords are shown only now):"))
    for user in DEMO_USERS:
        typer.echo(
            f"  {user.username:<12} {user.role.value:<14} {user.language:<3} "
            f"{passwords[user.username]}"
        )


def _ensure_empty(url: str) -> None:
    with session_scope(url) as session:
        calls = session.scalar(select(func.count()).select_from(Call)) or 0
        users = session.scalar(select(func.count()).select_from(User)) or 0
    if calls or users:
        raise QAError(
            _(
                "the database {url} already has {calls} and {users}; "
                "set CALLQA_HOME or DATABASE_URL to a new location for the demo"
            ).format(
                url=printable_url(url),
                calls=ngettext("{count} call", "{count} calls", calls).format(count=calls),
                users=ngettext("{count} user", "{count} users", users).format(count=users),
            )
        )


def add_demo_users(url: str) -> dict[str, str]:
    passwords = {user.username: secrets.token_urlsafe(9) for user in DEMO_USERS}
    with session_scope(url) as session:
        for user in DEMO_USERS:
            create_user(
                session,
                user.username,
                passwords[user.username],
                user.role,
                agent_external_id=user.agent,
                client_name=user.client,
                display_name=user.display_name,
                language=user.language,
            )
    return passwords


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
