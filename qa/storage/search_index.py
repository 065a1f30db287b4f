"""The full-text index of transcript text, one per database kind, outside the ORM models.

SQLite: an FTS5 table over transcript_utterances.text (external content, so the text is stored
once) kept current by triggers. PostgreSQL: a GIN index on to_tsvector('simple', text), used by
queries that spell the same expression. 'simple' and unicode61 neither stem nor drop stop
words, which suits Persian, Russian and English alike.

Caution: a SQLite batch migration that rebuilds transcript_utterances drops these triggers;
such a migration must call `create_search_index` again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

FTS_TABLE = "transcript_search"
PG_INDEX = "ix_transcript_utterances_text_search"
PG_VECTOR = "to_tsvector('simple', transcript_utterances.text)"

_SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(text, content='transcript_utterances', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON transcript_utterances BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON transcript_utterances BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF text ON transcript_utterances BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)


def create_search_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for statement in _SQLITE_CREATE:
            connection.exec_driver_sql(statement)
    else:
        connection.exec_driver_sql(
            f"CREATE INDEX {PG_INDEX} ON transcript_utterances USING gin "
            "(to_tsvector('simple', text))"
        )


def drop_search_index(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for suffix in ("ai", "ad", "au"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    else:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {PG_INDEX}")


def managed_by_models(
    item: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's include_object: the search index is not a model, so autogenerate skips it."""
    if type_ == "table" and name is not None and name.startswith(FTS_TABLE):
        return False
    return not (type_ == "index" and name == PG_INDEX)
