"""Bring a database to a usable state, and refuse clearly to work on one that is not."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from qa.errors import QAError
from qa.i18n import _
from qa.storage.db import make_engine, session_scope
from qa.storage.migrate import alembic_config, upgrade_to_head
from qa.storage.scorecard_store import sync_shipped_scorecards


class DatabaseNotReady(QAError):
    """The database cannot be reached, or is not at the schema this code expects."""


def initialize_database(database_url: str) -> int:
    """Migrate with Alembic and sync the shipped scorecards; returns new scorecard versions."""
    try:
        upgrade_to_head(database_url)
    except SQLAlchemyError as error:
        raise DatabaseNotReady(
            _("cannot migrate {url}: {problem}; check DATABASE_URL").format(
                url=printable_url(database_url), problem=database_problem(error)
            )
        ) from error
    with session_scope(database_url) as session:
        return len(sync_shipped_scorecards(session))


def ensure_database_ready(database_url: str) -> None:
    """Fail with an instruction, not a traceback, when `init` has not been run."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as error:
        raise DatabaseNotReady(
            _(
                "cannot open the database {url}: {problem}; check DATABASE_URL and that the "
                "database server is running"
            ).format(url=printable_url(database_url), problem=database_problem(error))
        ) from error
    finally:
        engine.dispose()
    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    if current is None:
        raise DatabaseNotReady(
            _("the database {url} is empty: run `python -m qa init` first").format(
                url=printable_url(database_url)
            )
        )
    if current != head:
        raise DatabaseNotReady(
            _(
                "the database is at schema {current}, this version needs {head}: "
                "run `python -m qa init` to migrate it"
            ).format(current=current, head=head)
        )


def database_problem(error: SQLAlchemyError) -> str:
    """The driver's own first line (what went wrong), without SQLAlchemy's SQL and links."""
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def printable_url(database_url: str) -> str:
    """The URL without its password, fit to print."""
    return make_url(database_url).render_as_string(hide_password=True)
