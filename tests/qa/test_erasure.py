"""Erasure and retention: an erased call leaves nothing in any table or file; purge keeps scores.

Through the real CLI (`python -m qa erase/purge`) on a real database (SQLite and PostgreSQL).
"""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.pipeline.ingest import ingest_manifest
from qa.pipeline.manifest import COLUMNS
from qa.queries.agent_view import raise_dispute
from qa.queries.review import ReviewSubmission, VerdictDecision, submit_review
from qa.settings import Settings
from qa.storage.db import session_scope
from qa.storage.models import (
    AuditEntry,
    Base,
    Call,
    CallStatus,
    CoachingSession,
    CriterionVerdictRecord,
    Evaluation,
    Transcript,
    TranscriptUtterance,
)
from tests.qa.conftest import DEMO_DIR, run_cli
from tests.ui.seed import Seeded, viewer_named


@pytest.fixture
def data(seeded_database: Seeded) -> Seeded:
    return seeded_database


def _everything(url: str) -> str:
    """Every row of every table, as text."""
    with session_scope(url) as session:
        tables = Base.metadata.sorted_tables
        return "\n".join(repr(row) for t in tables for row in session.execute(t.select()))


def _rows_pointing_at(url: str, column: str, ids: set[int]) -> list[str]:
    found = []
    with session_scope(url) as session:
        for table in Base.metadata.sorted_tables:
            if column in table.c:
                rows = session.execute(table.select().where(table.c[column].in_(ids))).all()
                found += [f"{table.name}: {row}" for row in rows]
    return found


def test_an_erased_call_leaves_nothing_in_any_table_or_file(data: Seeded, tmp_path: Path) -> None:
    url = data.url
    call_id, evaluation_id = data.calls["sara-1"], data.evaluations["sara-1"]
    with session_scope(url) as session:
        quote = session.scalars(
            select(TranscriptUtterance.text)
            .join(Transcript)
            .where(Transcript.call_id == call_id)
            .order_by(TranscriptUtterance.position)
        ).all()[1]
        audio = Path(session.get_one(Call, call_id).audio_path or "")
    assert audio.is_file()
    with session_scope(url) as session:
        dispute_id = raise_dispute(
            session, viewer_named(url, "sara"), evaluation_id, "greeting", "I did greet"
        )
    with session_scope(url) as session:
        decision = VerdictDecision("greeting", "pass", "greeting was there")
        submission = ReviewSubmission(
            call_id, {evaluation_id: (decision,)}, comment="checked sara-1"
        )
        submit_review(session, viewer_named(url, "reviewer"), submission)
        session.add(
            CoachingSession(
                agent_id=data.agents["sara"], coach_id=viewer_named(url, "coach").user_id,
                held_on=date(2026, 11, 20), notes=f"The customer said: {quote}. Talk about it.",
            )
        )  # fmt: skip
    with session_scope(url) as session:
        review_ids = set(
            session.scalars(select(Evaluation.id).where(Evaluation.call_id == call_id))
        )
    assert "sara-1" in _everything(url) and len(review_ids) == 2

    result = run_cli("erase", "--call", "sara-1", home=tmp_path, database_url=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1 call erased"
    assert "sara-1" not in result.stdout + result.stderr

    everything = _everything(url)
    assert "sara-1" not in everything and "I did greet" not in everything
    assert "greeting was there" not in everything
    assert _rows_pointing_at(url, "call_id", {call_id}) == []
    assert _rows_pointing_at(url, "evaluation_id", review_ids) == []
    assert _rows_pointing_at(url, "reviews_evaluation_id", review_ids) == []
    with session_scope(url) as session:
        about = session.execute(
            select(AuditEntry.entity_type, AuditEntry.entity_id).where(
                AuditEntry.entity_type.in_(["call", "evaluation", "dispute"])
            )
        ).all()
    erased_refs = {("call", str(call_id)), ("dispute", str(dispute_id))}
    erased_refs |= {("evaluation", str(i)) for i in review_ids}
    assert not erased_refs & set(about)
    assert not audio.exists()
    with session_scope(url) as session:
        notes = session.scalars(select(CoachingSession.notes)).one()
        erased = session.scalars(select(AuditEntry).where(AuditEntry.action == "call.erased")).one()
        assert session.scalar(select(Call.id).where(Call.external_id == "sara-2")) is not None
    assert quote not in notes and "[erased]" in notes
    assert erased.details == {"calls": 1, "reason": "erase --call"}


def _manifest(folder: Path, rows: list[dict[str, str]]) -> Path:
    for row in rows:
        shutil.copyfile(DEMO_DIR / row["source"], folder / row["audio_file"])
    path = folder / "manifest.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _row(call_id: str, source: str, customer: str, consent: str = "true") -> dict[str, str]:
    return {
        "call_id": call_id, "audio_file": f"{call_id}.ogg", "source": source, "client": "Acme",
        "started_at": "2026-11-01T10:00:00", "customer_consent": consent,
        "agent_consent": "true", "customer_id": customer, "direction": "inbound",
        "agent_channel": "left",
    }  # fmt: skip


def test_erase_by_customer_finds_their_calls_by_phone_in_any_format(
    database_url: str, tmp_path: Path
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    manifest = _manifest(
        batch,
        [
            _row("c-maria", "demo_en_rude.ogg", "+98 912 345 6789"),
            _row("c-other", "demo_en_missing_steps.ogg", "+98 912 000 0000"),
        ],
    )
    report = ingest_manifest(database_url, manifest, Settings(home=tmp_path))
    assert not report.problems
    assert "912 345" not in _everything(database_url)  # only a keyed hash is stored
    result = run_cli("erase", "--customer", "09123456789", home=tmp_path, database_url=database_url)
    assert result.returncode == 0, result.stderr
    with session_scope(database_url) as session:
        assert session.scalars(select(Call.external_id)).all() == ["c-other"]
    assert len(list((tmp_path / "audio").rglob("*.ogg"))) == 1


def test_reingesting_a_call_with_consent_withdrawn_erases_it(
    database_url: str, tmp_path: Path
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    given = _row("c-1", "demo_en_rude.ogg", "")
    ingest_manifest(database_url, _manifest(batch, [given]), Settings(home=tmp_path))
    assert len(list((tmp_path / "audio").rglob("*.ogg"))) == 1
    _manifest(batch, [{**given, "customer_consent": "false"}])
    result = run_cli("ingest", str(batch), home=tmp_path, database_url=database_url)
    assert result.returncode == 0, result.stderr
    assert "already stored" not in result.stdout.replace("0 already stored", "")
    assert "1 erased (consent withdrawn)" in result.stdout
    with session_scope(database_url) as session:
        call = session.scalars(select(Call)).one()
        assert (call.status, call.audio_path) == (CallStatus.rejected_no_consent, None)
        assert session.scalar(select(AuditEntry.id).where(AuditEntry.action == "call.erased"))
    assert not list((tmp_path / "audio").rglob("*.ogg"))


def test_purge_deletes_audio_and_transcripts_past_retention_and_keeps_scores(
    data: Seeded, tmp_path: Path
) -> None:
    url = data.url
    with session_scope(url) as session:
        files = [Path(p) for p in session.scalars(select(Call.audio_path)) if p]
        scores_before = sorted(session.scalars(select(Evaluation.score)))
    assert files and all(f.is_file() for f in files)
    env = {"CALLQA_RETAIN_AUDIO_DAYS": "1", "CALLQA_RETAIN_TRANSCRIPT_DAYS": "1"}
    result = run_cli("purge", home=tmp_path, database_url=url, extra_env=env)
    assert result.returncode == 0, result.stderr
    assert "8 recordings and 8 transcripts past retention deleted" in result.stdout
    assert not any(f.exists() for f in files)
    with session_scope(url) as session:
        assert session.scalar(select(Transcript.id)) is None
        assert session.scalar(select(TranscriptUtterance.id)) is None
        assert set(session.scalars(select(Call.audio_path))) == {None}
        evidence = [e for v in session.scalars(select(CriterionVerdictRecord)) for e in v.evidence]
        assert evidence and all(e["text"] == "" for e in evidence)
        assert sorted(session.scalars(select(Evaluation.score))) == scores_before
    again = run_cli("purge", home=tmp_path, database_url=url, extra_env=env)
    assert "0 recordings and 0 transcripts" in again.stdout


def test_redact_prints_one_masked_line_per_line(tmp_path: Path) -> None:
    lines = ["my card is 4530i1488034364667", "", "price 250 dollars", "شماره ۰۹۱۲۳۴۵۶۷۸۹"]
    result = run_cli(
        "redact", "--language", "fa", home=tmp_path, database_url="",  # it reads no database
        stdin="\n".join(lines) + "\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "my card is [CARD]",
        "",
        "price 250 dollars",
        "شماره [PHONE]",
    ]


def test_an_erasure_drops_the_apps_cached_answers_at_once(
    data: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages read through a short-lived cache; an erased call must not be served from it."""
    from qa.erasure import erase_calls
    from qa.settings import get_settings
    from qa.ui.session import cached

    monkeypatch.setenv("CALLQA_HOME", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", data.url)
    get_settings.cache_clear()
    try:

        def external_ids(session: Session) -> list[str]:
            return sorted(session.scalars(select(Call.external_id)))

        listed = cached(external_ids)
        assert "sara-1" in listed()
        with session_scope(data.url) as session:
            call_id = session.scalar(select(Call.id).where(Call.external_id == "sara-1"))
            erase_calls(session, [call_id], reason="test")
        assert "sara-1" not in listed()
    finally:
        get_settings.cache_clear()
