"""Shared fixtures: a migrated database of each supported kind, fresh for every test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from qa.storage.migrate import upgrade_to_head

POSTGRES_ADMIN_URL = os.environ.get(
    "CALLQA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


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


def _fresh_postgres_database(admin_url: str) -> Iterator[str]:
    name = f"callqa_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        from qa.storage.db import session_factory

        session_factory.cache_clear()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """A URL of a new, empty database: a SQLite file in `folder`, or a PostgreSQL database."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'callqa.sqlite3'}"
        return
    if not _postgres_available():
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}")
    yield from _fresh_postgres_database(POSTGRES_ADMIN_URL)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of a database with no tables yet, on SQLite or PostgreSQL."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """A URL of a database migrated to the newest schema."""
    upgrade_to_head(empty_database_url)
    return empty_database_url


@pytest.fixture(scope="session")
def harper_valley_dir() -> Path:
    folder = SHARED_DATA / "harper-valley"
    if not folder.is_dir():
        pytest.skip(
            f"Harper Valley recordings not found at {folder} (shared/ is not beside the repo)"
        )
    return folder
