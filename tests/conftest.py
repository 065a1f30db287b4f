"""Shared fixtures: a migrated database of each supported kind, fresh for every test.

Each test gets its own database, copied from one migrated (or seeded) once per test session:
migrating and seeding cost 0.5-2 s per test on SQLite and 2-6 s on PostgreSQL; a copy is
sqlite3's backup of a small file, or PostgreSQL's `CREATE DATABASE ... TEMPLATE`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, text, update
from sqlalchemy.engine import make_url

from qa.storage.db import session_scope
from qa.storage.migrate import upgrade_to_head
from qa.storage.models import Call
from tests.ui.seed import Seeded, seed

POSTGRES_ADMIN_URL = os.environ.get(
    "CALLQA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@cache
def _postgres_available() -> bool:
    try:
        with create_engine(POSTGRES_ADMIN_URL).connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    if not _postgres_available():
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}")
    return POSTGRES_ADMIN_URL


def _create_postgres_database(admin_url: str, template: str | None = None) -> str:
    """A new database (empty, or a copy of `template`); returns its name."""
    name = f"callqa_test_{uuid.uuid4().hex[:12]}"
    copy_of = f' TEMPLATE "{template}"' if template else ""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{copy_of}'))
    finally:
        admin.dispose()
    return name


def _drop_postgres_database(admin_url: str, name: str) -> None:
    from qa.storage.db import session_factory

    session_factory.cache_clear()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _postgres_url(admin_url: str, name: str) -> str:
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _fresh_postgres_database(admin_url: str, template: str | None = None) -> Iterator[str]:
    name = _create_postgres_database(admin_url, template)
    try:
        yield _postgres_url(admin_url, name)
    finally:
        _drop_postgres_database(admin_url, name)


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """A URL of a new, empty database: a SQLite file in `folder`, or a PostgreSQL database."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'callqa.sqlite3'}"
        return
    if not _postgres_available():
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}")
    yield from _fresh_postgres_database(POSTGRES_ADMIN_URL)


def _release(url: str) -> None:
    """Close the pooled connections the app's session factory holds to `url`: PostgreSQL
    copies no database that has sessions, and a SQLite copy must see every committed page."""
    from qa.storage.db import session_factory

    session_factory(url).kw["bind"].dispose()
    session_factory.cache_clear()


class DatabaseTemplates:
    """Databases prepared once per test session (and pytest-xdist worker), copied per test.

    A template is built by `prepare(url)` on a new empty database the first time a test asks
    for it; every test then gets a copy of its own, so no test sees another's writes.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._built: dict[tuple[str, str], str] = {}  # (kind, name) -> SQLite path or PG name
        self.prepared: dict[tuple[str, str], object] = {}  # what each `prepare` returned

    def _template(self, kind: str, name: str, prepare: Callable[[str], object]) -> str:
        if (kind, name) not in self._built:
            if kind == "sqlite":
                path = self.folder / f"{name}.sqlite3"
                url = f"sqlite:///{path}"
                self.prepared[kind, name] = prepare(url)
                _release(url)
                self._built[kind, name] = str(path)
            else:
                database = _create_postgres_database(POSTGRES_ADMIN_URL)
                self._built[kind, name] = database
                url = _postgres_url(POSTGRES_ADMIN_URL, database)
                self.prepared[kind, name] = prepare(url)
                _release(url)
        return self._built[kind, name]

    @contextmanager
    def copy(
        self,
        kind: str,
        folder: Path,
        name: str = "migrated",
        prepare: Callable[[str], object] = upgrade_to_head,
    ) -> Iterator[str]:
        """A URL of a new database in `folder` (SQLite) holding what `prepare` put in the
        template `name`."""
        if kind != "sqlite" and not _postgres_available():
            pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}")
        template = self._template(kind, name, prepare)
        folder.mkdir(parents=True, exist_ok=True)
        if kind == "sqlite":
            path = folder / "callqa.sqlite3"
            source, target = sqlite3.connect(template), sqlite3.connect(path)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
            yield f"sqlite:///{path}"
            return
        yield from _fresh_postgres_database(POSTGRES_ADMIN_URL, template)

    def drop(self) -> None:
        for (kind, _name), database in self._built.items():
            if kind != "sqlite":
                _drop_postgres_database(POSTGRES_ADMIN_URL, database)


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseTemplates]:
    templates = DatabaseTemplates(tmp_path_factory.mktemp("templates"))
    yield templates
    templates.drop()


DATABASE_KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
# For a test in a folder or module that keeps to SQLite, where the database does matter.
BOTH_DATABASES = pytest.mark.parametrize("database_kind", DATABASE_KINDS)
# For a test about files, processes or messages, where which database stores the rows does not.
SQLITE_ONLY = pytest.mark.parametrize("database_kind", ["sqlite"])


@pytest.fixture(params=DATABASE_KINDS)
def database_kind(request: pytest.FixtureRequest) -> str:
    """Each test that uses a database runs on SQLite and on PostgreSQL."""
    return str(request.param)


@pytest.fixture
def empty_database_url(database_kind: str, tmp_path: Path) -> Iterator[str]:
    """A URL of a database with no tables yet, on SQLite or PostgreSQL."""
    with fresh_database(database_kind, tmp_path) as url:
        yield url


@pytest.fixture
def database_url(
    database_kind: str, tmp_path: Path, database_templates: DatabaseTemplates
) -> Iterator[str]:
    """A URL of a database migrated to the newest schema (a copy of the session's template)."""
    with database_templates.copy(database_kind, tmp_path) as url:
        yield url


def _seeded_template(templates: DatabaseTemplates, kind: str) -> Callable[[str], Seeded]:
    def prepare(url: str) -> Seeded:
        upgrade_to_head(url)
        return seed(url, templates.folder / f"seeded-{kind}-audio")

    return prepare


@pytest.fixture
def seeded_database(
    database_kind: str, tmp_path: Path, database_templates: DatabaseTemplates
) -> Iterator[Seeded]:
    """The data set of `tests/ui/seed.py` in a database (and audio folder) of this test's own.

    Seeded once per session and database kind, then copied: the recordings into this test's
    folder, and the calls' audio paths pointed at them.
    """
    prepare = _seeded_template(database_templates, database_kind)
    folder = tmp_path / "seeded"
    with database_templates.copy(database_kind, folder, "seeded", prepare) as url:
        template = database_templates.prepared[database_kind, "seeded"]
        assert isinstance(template, Seeded)
        audio_dir = folder / "audio"
        shutil.copytree(template.audio_dir, audio_dir)
        with session_scope(url) as session:
            session.execute(
                update(Call).values(
                    audio_path=func.replace(
                        Call.audio_path, str(template.audio_dir), str(audio_dir)
                    )
                )
            )
        yield replace(deepcopy(template), url=url, audio_dir=audio_dir)


@pytest.fixture(scope="session")
def harper_valley_dir() -> Path:
    folder = SHARED_DATA / "harper-valley"
    if not folder.is_dir():
        pytest.skip(
            f"Harper Valley recordings not found at {folder} (shared/ is not beside the repo)"
        )
    return folder
