"""The full-text index of transcript text, one per database kind, outside the ORM models.

What is indexed is `search_text`, the utterance text as `scorecards.normalize` writes it
(Arabic ي/ك as Persian ی/ک, diacritics and zero-width non-joiners dropped or joined, ё as е,
lower case); a query goes through the same `searchable` before it is matched, so either
spelling finds the other on both databases.

SQLite: an FTS5 table over transcript_utterances.search_text (external content, so the text is
stored once) kept current by triggers. PostgreSQL: a GIN index on to_tsvector('simple',
search_text), used by queries that spell the same expression. 'simple' and unicode61 neither stem
nor drop stop words, which suits Persian, Russian and English alike.

Caution: a SQLite batch migration that rebuilds transcript_utterances drops these triggers;
such a migration must call `create_search_index` again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from scorecards.normalize import normalize

FTS_TABLE = "transcript_search"
PG_INDEX = "ix_transcript_utterances_text_search"
INDEXED_COLUMN = "search_text"
PG_VECTOR = f"to_tsvector('simple', transcript_utterances.{INDEXED_COLUMN})"


def searchable(text: str) -> str:
    """Text as the index holds it and as queries are matched: the one normalisation rule."""
    return normalize(text)


def _sqlite_create(column: str) -> tuple[str, ...]:
    return (
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({column}, "
        "content='transcript_utterances', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON transcript_utterances BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON transcript_utterances BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {column}) "
        f"VALUES ('delete', old.id, old.{column}); END",
        f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF {column} ON transcript_utterances BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {column}) "
        f"VALUES ('delete', old.id, old.{column}); "
        f"INSERT INTO {FTS_TABLE}(rowid, {column}) VALUES (new.id, new.{column}); END",
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
    )


def create_search_index(connection: Connection, column: str = INDEXED_COLUMN) -> None:
    """The index over `column` (migrations before 0012 indexed the raw `text`)."""
    if connection.dialect.name == "sqlite":
        for statement in _sqlite_create(column):
            connection.exec_driver_sql(statement)
    else:
        connection.exec_driver_sql(
            f"CREATE INDEX {PG_INDEX} ON transcript_utterances USING gin "
            f"(to_tsvector('simple', {column}))"
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
