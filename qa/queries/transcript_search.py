"""Full-text search over transcripts, limited to the calls the viewer may see.

SQLite matches through the FTS5 table, PostgreSQL through the GIN-indexed tsvector (see
qa.storage.search_index); both find utterances holding every word of the query, in any
order, whole words, case-insensitively, whatever the spelling variant (ي/ی, ك/ک, ё/е, diacritics,
zero-width non-joiners). The text searched is the stored, redacted text, so
personal data that was masked cannot be found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select, text
from sqlalchemy.orm import Session

from qa.errors import QAError
from qa.i18n import _
from qa.queries.access import Viewer, scope_calls
from qa.storage.models import Agent, Call, Transcript, TranscriptUtterance
from qa.storage.search_index import FTS_TABLE, PG_VECTOR, searchable

MAX_HITS = 100


class SearchInvalid(QAError):
    """A query with nothing to search for."""


@dataclass(frozen=True)
class TranscriptHit:
    call_id: int
    external_id: str
    started_at: datetime
    agent: str | None
    language: str | None
    speaker: str
    start: float
    text: str


def search_words(query: str) -> list[str]:
    """The words of a query, normalised as the index is; punctuation and FTS operators are not
    the user's to use."""
    return searchable(query).split()


def _matches(session: Session, words: list[str]) -> ColumnElement[bool]:
    if session.get_bind().dialect.name == "sqlite":
        phrase = " ".join(f'"{word}"' for word in words)
        return TranscriptUtterance.id.in_(
            text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :phrase").bindparams(
                phrase=phrase
            )
        )
    # Spelled as the index is, with the configuration inline, so PostgreSQL uses the index.
    return text(f"{PG_VECTOR} @@ plainto_tsquery('simple', :words)").bindparams(  # type: ignore[return-value]
        words=" ".join(words)
    )


def search_transcripts(
    session: Session, viewer: Viewer, query: str, limit: int = MAX_HITS
) -> list[TranscriptHit]:
    """Utterances containing every word of `query`, newest calls first, within the scope."""
    words = search_words(query)
    if not words:
        raise SearchInvalid(_("Type a word to search for."))
    statement = (
        select(
            Call.id,
            Call.external_id,
            Call.started_at,
            Agent.name,
            Call.language,
            TranscriptUtterance.speaker,
            TranscriptUtterance.start,
            TranscriptUtterance.text,
        )
        .join(Transcript, Transcript.id == TranscriptUtterance.transcript_id)
        .join(Call, Call.id == Transcript.call_id)
        .outerjoin(Agent, Agent.id == Call.agent_id)
        .where(_matches(session, words))
        .order_by(Call.started_at.desc(), Call.id, TranscriptUtterance.position)
        .limit(limit)
    )
    return [TranscriptHit(*row) for row in session.execute(scope_calls(statement, viewer))]
