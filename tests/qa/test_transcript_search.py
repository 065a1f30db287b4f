"""Transcript search: full-text on SQLite (FTS5) and PostgreSQL (tsvector), within each
viewer's scope. Seed lines (tests/ui/seed.py): Sara's calls in Persian, Ivan's in Russian
(both Acme Bank), Gina's in English (Globex); every agent's calls share their five lines."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from qa.queries.transcript_search import SearchInvalid, search_transcripts
from qa.storage.db import session_scope
from qa.storage.models import Call
from tests.ui.seed import Seeded
from tests.ui.seed import viewer_named as viewer


@pytest.fixture
def data(seeded_database: Seeded) -> Seeded:
    return seeded_database


def hits(data: Seeded, username: str, query: str) -> list[tuple[str, str]]:
    with session_scope(data.url) as session:
        found = search_transcripts(session, viewer(data.url, username), query)
    return sorted((hit.external_id, hit.text) for hit in found)


def test_every_word_is_found_in_any_language_whatever_the_case(data: Seeded) -> None:
    assert hits(data, "admin", "THANK you") == sorted(
        (call, line)
        for call in ("gina-1", "gina-2")
        for line in (
            "Hello, thank you for calling Globex, this is Gina.",
            "It ships tomorrow. Thank you for calling.",
        )
    )
    assert hits(data, "reviewer", "calling tomorrow") == [
        ("gina-1", "It ships tomorrow. Thank you for calling."),
        ("gina-2", "It ships tomorrow. Thank you for calling."),
    ]
    russian = hits(data, "coach", "спасибо")
    assert {call for call, _line in russian} == {"ivan-1", "ivan-2", "ivan-3"}
    assert {line for _call, line in russian} == {
        "Хорошо, спасибо.",
        "Готово, оплата прошла. Спасибо за звонок.",
    }
    assert {line for _call, line in hits(data, "admin", "ممنون")} == {"ممنون."}
    assert hits(data, "admin", "refund") == []


def test_search_respects_what_each_viewer_may_see(data: Seeded) -> None:
    assert hits(data, "sara", "thank you") == []  # Gina's calls are not Sara's
    assert {call for call, _line in hits(data, "sara", "ممنون")} == {"sara-1", "sara-2", "sara-3"}
    assert hits(data, "globex", "спасибо") == []  # Acme Bank's calls
    assert {call for call, _line in hits(data, "globex", "thank")} == {"gina-1", "gina-2"}


def test_the_index_follows_deleted_calls_and_odd_queries_are_safe(data: Seeded) -> None:
    with session_scope(data.url) as session:
        session.execute(delete(Call).where(Call.external_id == "gina-1"))
    assert {call for call, _line in hits(data, "admin", "thank")} == {"gina-2"}
    # FTS syntax is not the user's: quotes, stars and brackets are dropped, words stay words.
    assert hits(data, "admin", 'thank" * (') == hits(data, "admin", "thank")
    assert hits(data, "admin", "thank OR nothing") == []
    with pytest.raises(SearchInvalid):
        hits(data, "admin", " ?! ")
