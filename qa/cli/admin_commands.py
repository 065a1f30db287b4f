"""`init` and `user add`: set up the database and the people who sign in."""

from __future__ import annotations

from typing import Annotated

import typer

from languages import SOURCE_LANGUAGE
from languages import codes as language_codes
from qa.cli.errors import exits_cleanly
from qa.i18n import _, ngettext
from qa.settings import get_settings
from qa.storage.bootstrap import ensure_database_ready, initialize_database, printable_url
from qa.storage.db import session_scope
from qa.storage.directory import create_user
from qa.storage.models import Role

user_app = typer.Typer(help="Manage the people who sign in.", no_args_is_help=True)


@exits_cleanly
def init() -> None:
    """Create the database or migrate it to the newest schema, and store the shipped scorecards.

    The database is DATABASE_URL, or SQLite at $CALLQA_HOME/callqa.sqlite3. Safe to run again.
    """
    url = get_settings().resolved_database_url
    added = initialize_database(url)
    message = ngettext(
        "database ready: {url} ({count} new scorecard version)",
        "database ready: {url} ({count} new scorecard versions)",
        added,
    )
    typer.echo(message.format(url=printable_url(url), count=added))


@exits_cleanly
def add_user(
    username: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: Annotated[Role, typer.Option("--role", help="What the user may see and do.")],
    agent: Annotated[
        str | None,
        typer.Option("--agent", help="Agent id this user is (required for role 'agent')."),
    ] = None,
    client: Annotated[
        str | None,
        typer.Option("--client", help="Client whose calls a client viewer sees."),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Display name (default: username).")
    ] = None,
    password: Annotated[
        str | None,
        typer.Option("--password", help="Password (asked for, hidden, when not given)."),
    ] = None,
    language: Annotated[
        str,
        typer.Option(
            "--language",
            help=f"Interface language: {', '.join(language_codes())}.",
            show_default=True,
        ),
    ] = SOURCE_LANGUAGE,
) -> None:
    """Add a user with a role; agents are linked to their agent id, client viewers to a client."""
    url = get_settings().resolved_database_url
    ensure_database_ready(url)
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with session_scope(url) as session:
        user = create_user(
            session,
            username,
            password,
            role,
            agent_external_id=agent,
            client_name=client,
            display_name=name,
            language=language,
        )
        typer.echo(
            _("added user {username} ({role}, {language})").format(
                username=user.username, role=user.role.value, language=user.language
            )
        )


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    user_app.command("add")(add_user)
    app.add_typer(user_app, name="user")
