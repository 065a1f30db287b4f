"""Transcript search: full-text on SQLite (FTS5) and PostgreSQL (tsvector), within each
viewer's scope. Seed lines (tests/ui/seed.py): Sara's calls in Persian, Ivan's in Russian
(both Acme Bank), Gina's in English (Globex); every agent's calls share their five lines."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import delete, text

from qa.queries.transcript_search import SearchInvalid, search_transcripts
from qa.storage.db import session_scope
from qa.storage.migrate import alembic_config, upgrade_to_head
from qa.storage.models import Call, Transcript
from qa.storage.search_index import FTS_TABLE
from qa.storage.transcripts import save_transcript
from tests.ui.seed import Seeded
from tests.ui.seed import viewer_named as viewer
from transcription.transcript import CallMetrics, CallTranscript, Utterance


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


def _say(data: Seeded, external_id: str, *lines: str) -> None:
    """Give a call a transcript of its own (the seed's lines are the same for every call)."""
    transcript = CallTranscript(
        language="fa",
        language_probability=1.0,
        duration=10.0,
        channel_layout="stereo",
        model="test",
        metrics=CallMetrics(),
        utterances=tuple(
            Utterance("agent", float(i), float(i) + 1, line) for i, line in enumerate(lines)
        ),
    )
    with session_scope(data.url) as session:
        call_id = data.calls[external_id]
        session.execute(delete(Transcript).where(Transcript.call_id == call_id))
        save_transcript(session, call_id, transcript)


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("كارت شما مسدود شده", "کارت"),  # Arabic kaf stored, Persian kaf typed
        ("کارت شما مسدود شده", "كارت"),  # and the other way round
        ("مشتري گرامي", "مشتری"),  # Arabic yeh / Persian yeh
        ("مشتری گرامی", "مشتري"),
        ("می‌خواهم کمک کنم", "میخواهم"),  # zero-width non-joiner / joined
        ("میخواهم کمک کنم", "می‌خواهم"),
        ("می خواهم کمک کنم", "می‌خواهم"),  # written with a space
        ("شُكراً جَزيلاً", "شکرا"),  # Arabic diacritics and kaf
        ("Всё хорошо, спасибо", "все"),  # ё stored, е typed
        ("Все хорошо, спасибо", "ВСЁ"),
    ],
)
def test_spelling_variants_find_each_other(data: Seeded, stored: str, typed: str) -> None:
    _say(data, "sara-1", stored)
    assert [hit for hit in hits(data, "admin", typed) if hit[0] == "sara-1"] == [("sara-1", stored)]


def test_the_migration_reindexes_transcripts_stored_before_it(data: Seeded) -> None:
    """Downgraded below 0012 the index holds the raw text; upgrading fills search_text for every
    stored utterance and indexes it, so old transcripts are found by either spelling."""
    _say(data, "sara-1", "كارت مشتري", "Всё хорошо")
    command.downgrade(alembic_config(data.url), "0011")
    assert hits_raw(data, "مشتری") == []  # the raw index: Persian yeh does not find Arabic yeh
    upgrade_to_head(data.url)
    assert hits(data, "admin", "کارت مشتری") == [("sara-1", "كارت مشتري")]  # both words
    assert hits(data, "admin", "все") == [("sara-1", "Всё хорошо")]
    assert len(hits(data, "admin", "ممنون")) == 2  # sara-2 and sara-3: the seed's lines still found


def hits_raw(data: Seeded, word: str) -> list[int]:
    """Utterance ids the pre-0012 index (over the raw text) finds for one word."""
    with session_scope(data.url) as session:
        if session.get_bind().dialect.name == "sqlite":
            query = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :word"
        else:
            query = (
                "SELECT id FROM transcript_utterances "
                "WHERE to_tsvector('simple', text) @@ plainto_tsquery('simple', :word)"
            )
        return list(session.execute(text(query), {"word": f'"{word}"'}).scalars())
