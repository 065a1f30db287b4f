"""Alembic owns the schema: migrations run up from empty, and the models match them exactly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from qa.storage.bootstrap import DatabaseNotReady, ensure_database_ready
from qa.storage.db import make_engine
from qa.storage.migrate import alembic_config, upgrade_to_head
from qa.storage.models import Base
from qa.storage.search_index import managed_by_models


def test_migrations_run_up_from_empty_and_match_the_models(empty_database_url: str) -> None:
    with pytest.raises(DatabaseNotReady, match="run `python -m qa init`"):
        ensure_database_ready(empty_database_url)
    upgrade_to_head(empty_database_url)
    upgrade_to_head(empty_database_url)  # running again is harmless
    ensure_database_ready(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": managed_by_models}
            )
            head = ScriptDirectory.from_config(
                alembic_config(empty_database_url)
            ).get_current_head()
            assert context.get_current_revision() == head
            assert set(Base.metadata.tables) <= set(inspect(connection).get_table_names())
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
