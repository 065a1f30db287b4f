"""The demo calls through the whole pipeline (real audio, real model, real database)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from sqlalchemy import func, select

from qa.pipeline.audio_store import sha256_of, stored_path
from qa.pipeline.ingest import ingest_manifest
from qa.storage.db import session_scope
from qa.storage.models import (
    AuditEntry,
    Call,
    CallStatus,
    Evaluation,
    ScorecardVersion,
    Transcript,
    TranscriptUtterance,
)
from qa.storage.scorecard_store import active_versions, save_scorecard_version
from tests.qa.conftest import DEMO_DIR, DEMO_SUBSET, IngestedDemo, run_cli

CONSENTED = ("demo_en_polite_resolved", "demo_en_rude", "demo_en_card_number")
WITHOUT_CONSENT = ("demo_ru_no_consent", "demo_fa_no_consent")
CARD_DIGITS = "4539148803436467"


def _call(url: str, external_id: str) -> Call:
    with session_scope(url) as session:
        return session.scalars(select(Call).where(Call.external_id == external_id)).one()


def _evaluations(url: str, external_id: str) -> dict[str, Evaluation]:
    with session_scope(url) as session:
        rows = session.execute(
            select(ScorecardVersion.scorecard_key, Evaluation)
            .join(Evaluation.scorecard_version)
            .join(Evaluation.call)
            .where(Call.external_id == external_id)
        )
        return {key: evaluation for key, evaluation in rows}


def test_consented_calls_are_transcribed_scored_and_done(ingested_demo: IngestedDemo) -> None:
    url = ingested_demo.database_url
    for external_id in CONSENTED:
        call = _call(url, external_id)
        assert call.status is CallStatus.done, call.error
        assert call.attempts == 1
        assert call.duration and call.duration > 10
        assert Path(call.audio_path or "").is_file()
        assert set(_evaluations(url, external_id)) == {
            "compliance",
            "politeness",
            "resolution",
            "script",
        }


def test_good_call_passes_and_rude_call_fails_visibly(ingested_demo: IngestedDemo) -> None:
    url = ingested_demo.database_url
    polite = _evaluations(url, "demo_en_polite_resolved")
    assert all(e.passed for e in polite.values()), {k: e.score for k, e in polite.items()}
    rude = _evaluations(url, "demo_en_rude")
    assert not rude["politeness"].passed and rude["politeness"].critical_failed
    assert not rude["compliance"].passed  # 25 s of ringing is more than three rings


def test_calls_without_consent_keep_metadata_only(ingested_demo: IngestedDemo) -> None:
    url = ingested_demo.database_url
    for external_id in WITHOUT_CONSENT:
        call = _call(url, external_id)
        assert call.status is CallStatus.rejected_no_consent
        assert call.audio_path is None
        assert call.attempts == 0
        source = DEMO_DIR / f"{external_id}.ogg"
        assert source.is_file(), "a customer's own file is never deleted"
        audio_dir = ingested_demo.settings.audio_dir
        assert not stored_path(audio_dir, sha256_of(source), ".ogg").exists()
        with session_scope(url) as session:
            assert session.scalar(select(Transcript).where(Transcript.call_id == call.id)) is None
            assert not session.scalars(
                select(Evaluation).where(Evaluation.call_id == call.id)
            ).all()
            entry = session.scalars(
                select(AuditEntry).where(
                    AuditEntry.action == "call.rejected_no_consent",
                    AuditEntry.entity_id == str(call.id),
                )
            ).one()
        assert entry.details["external_id"] == external_id
        assert entry.details["missing_consent"] in (["agent"], ["customer"])


def _long_digit_runs(text: str) -> list[str]:
    """Runs of 12+ digits once the separators ASR puts between digit groups are removed."""
    return re.findall(r"\d{12,}", re.sub(r"(?<=\d)[ ,\-](?=\d)", "", text))


def test_spoken_card_number_is_masked_and_never_stored(ingested_demo: IngestedDemo) -> None:
    url = ingested_demo.database_url
    call = _call(url, "demo_en_card_number")
    with session_scope(url) as session:
        rows = session.execute(
            select(TranscriptUtterance.text, TranscriptUtterance.words)
            .join(Transcript)
            .where(Transcript.call_id == call.id)
        ).all()
        evidence = [
            item.get("text", "")
            for e in session.scalars(select(Evaluation).where(Evaluation.call_id == call.id))
            for v in e.verdicts
            for item in v.evidence
        ]
    texts = [text for text, _ in rows] + [w["word"] for _, words in rows for w in words] + evidence
    assert any("[CARD]" in text for text in texts)
    assert not [run for text in texts for run in _long_digit_runs(text)]
    assert CARD_DIGITS not in "".join(texts)
    compliance = _evaluations(url, "demo_en_card_number")["compliance"]
    assert compliance.critical_failed  # the agent read the card number back


def test_reingesting_the_same_manifest_adds_nothing(ingested_demo: IngestedDemo) -> None:
    url = ingested_demo.database_url

    def counts() -> tuple[int, int, int, int]:
        with session_scope(url) as session:
            return tuple(  # type: ignore[return-value]
                session.scalar(select(func.count()).select_from(model)) or 0
                for model in (Call, Transcript, Evaluation, AuditEntry)
            )

    before = counts()
    again = ingest_manifest(url, ingested_demo.manifest, ingested_demo.settings)
    assert not again.problems
    assert not again.to_process
    assert all(not c.new for c in again.calls) and len(again.calls) == len(DEMO_SUBSET)
    assert counts() == before


def test_rescore_with_a_stored_version_adds_one_evaluation_per_call_once(
    ingested_demo: IngestedDemo,
) -> None:
    url = ingested_demo.database_url
    with session_scope(url) as session:
        (active,) = active_versions(session, "script")
        document = yaml.safe_load(active.yaml_text)
        document["name"] = "Script (rescore test)"  # one string or a per-language map before
        edited = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        version = save_scorecard_version(session, edited).version
    assert version != active.version

    def rescore() -> str:
        result = run_cli(
            "rescore",
            "--scorecard",
            "script",
            "--version",
            version[:10],  # a unique prefix of the hash is enough
            "--from",
            "2026-10-01",
            home=ingested_demo.settings.home,
            database_url=url,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert f"{len(CONSENTED)} calls rescored, {len(CONSENTED)} new evaluations" in rescore()
    assert f"{len(CONSENTED)} calls rescored, 0 new evaluations" in rescore()
