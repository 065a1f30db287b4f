"""A real mono recording (two espeak-ng voices mixed to one channel) through the real pipeline:
its utterances get agent and customer, and a call whose roles are too uncertain lands in the
review queue with that reason instead of failing the agent-only criteria."""

from __future__ import annotations

import csv
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.pipeline import transcribe as transcribe_stage
from qa.pipeline.ingest import ingest_manifest
from qa.pipeline.rescore import rescore_calls, scorecards_for_rescore
from qa.pipeline.runner import run_calls
from qa.queries.agent_view import my_evaluations
from qa.review_sampling import ROLES_UNCERTAIN, queue_uncertain
from qa.settings import Settings
from qa.storage.bootstrap import initialize_database
from qa.storage.db import session_scope
from qa.storage.models import (
    AuditEntry,
    Call,
    CallStatus,
    CriterionVerdictRecord,
    Evaluation,
    QueueStatus,
    ReviewQueueItem,
    Transcript,
)
from tests.conftest import REPO_ROOT, fresh_database
from tests.qa.conftest import DEMO_DIR
from tests.ui.seed import seed, viewer_named
from transcription.options import TranscriptionOptions
from transcription.transcript import CallTranscript

MONO_CALL = REPO_ROOT / "data" / "test_calls" / "en_mono.wav"


@dataclass(frozen=True)
class MonoCalls:
    url: str
    ids: dict[str, int]


# What the model heard in MONO_CALL: it hears the recording once for the whole module, and every
# copy of the call is processed on the same words.
_HEARD: list[CallTranscript] = []


def _transcribe_once(path: Path, options: TranscriptionOptions) -> CallTranscript:
    if not _HEARD:
        _HEARD.append(_TRANSCRIBE(path, options))
    return _HEARD[0]


DEFAULT_THRESHOLD: float = Settings.model_fields["role_confidence_threshold"].default


_TRANSCRIBE = transcribe_stage.transcribe


def _process_mono(url: str, home: Path, thresholds: dict[str, float]) -> dict[str, int]:
    """The mono test call ingested once per name in `thresholds` (each copy padded a little so
    it is another recording) and processed with that role confidence threshold."""
    with (DEMO_DIR / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, template = list(reader.fieldnames or []), next(reader)
    with (home / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for pad, name in enumerate(thresholds):
            subprocess.run(
                ["sox", str(MONO_CALL), str(home / f"{name}.wav"), "pad", "0", f"{pad / 10}"],
                check=True,
            )
            writer.writerow({**template, "call_id": f"mono_{name}", "audio_file": f"{name}.wav"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transcribe_stage, "transcribe", _transcribe_once)
        initialize_database(url)
        report = ingest_manifest(url, home / "manifest.csv", Settings(home=home, workers=1))
        ids = {c.external_id.removeprefix("mono_"): c.call_id for c in report.calls}
        for name, threshold in thresholds.items():
            settings = Settings(home=home, workers=1, role_confidence_threshold=threshold)
            run_calls(url, [ids[name]], settings)
    return ids


@pytest.fixture(scope="module")
def mono_calls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MonoCalls]:
    """The mono test call processed once with the default threshold and once with a threshold
    no call reaches."""
    home = tmp_path_factory.mktemp("mono")
    with fresh_database("sqlite", home) as url:
        ids = _process_mono(url, home, {"trusted": DEFAULT_THRESHOLD, "doubtful": 1.0})
        yield MonoCalls(url, {f"mono_{name}": call_id for name, call_id in ids.items()})


def test_a_mono_recording_gets_agent_and_customer_per_utterance(mono_calls: MonoCalls) -> None:
    with session_scope(mono_calls.url) as session:
        call = session.get_one(Call, mono_calls.ids["mono_trusted"])
        assert call.status == CallStatus.done
        transcript = session.scalars(select(Transcript).where(Transcript.call_id == call.id)).one()
        assert transcript.channel_layout == "mono"
        threshold = DEFAULT_THRESHOLD
        assert transcript.role_confidence is not None and transcript.role_confidence >= threshold
        assert not transcript.roles_uncertain
        spoken = [(u.speaker, u.text.lower()) for u in transcript.utterances]
        assert spoken[0][0] == "agent" and "help" in spoken[0][1]
        assert any(s == "customer" and "balance" in t for s, t in spoken)
        assert all(u.speaker in ("agent", "customer") for u in transcript.utterances)
        assert set(transcript.metrics["speakers"]) == {"agent", "customer"}
        reasons = session.scalars(
            select(ReviewQueueItem.reason).where(ReviewQueueItem.call_id == call.id)
        ).all()
        assert ROLES_UNCERTAIN not in reasons


def test_uncertain_roles_send_the_call_to_review_and_fail_no_agent_criterion(
    mono_calls: MonoCalls,
) -> None:
    call_id = mono_calls.ids["mono_doubtful"]
    with session_scope(mono_calls.url) as session:
        assert session.get_one(Call, call_id).status == CallStatus.done
        transcript = session.scalars(select(Transcript).where(Transcript.call_id == call_id)).one()
        assert transcript.roles_uncertain
        reasons = session.scalars(
            select(ReviewQueueItem.reason).where(ReviewQueueItem.call_id == call_id)
        ).all()
        assert ROLES_UNCERTAIN in reasons
        verdicts = session.scalars(
            select(CriterionVerdictRecord)
            .join(Evaluation, Evaluation.id == CriterionVerdictRecord.evaluation_id)
            .where(Evaluation.call_id == call_id)
        ).all()
        uncertain = [v for v in verdicts if str(v.explanation).startswith("Roles uncertain")]
        assert uncertain, "the shipped scorecards have agent-only criteria"
        assert all(v.outcome == "na" for v in uncertain)


def test_the_agent_sees_a_roles_uncertain_evaluation_only_after_review(
    database_url: str, tmp_path: Path
) -> None:
    seeded = seed(database_url, tmp_path / "audio")
    call_id, evaluation_id = seeded.calls["ivan-1"], seeded.evaluations["ivan-1"]
    ivan = viewer_named(seeded.url, "ivan")
    with session_scope(seeded.url) as session:
        queue_uncertain(session, call_id, ROLES_UNCERTAIN)
    with session_scope(seeded.url) as session:
        assert evaluation_id not in {e.id for e in my_evaluations(session, ivan)}
        # A review closes the call's queue items (qa.queries.review._close_queue_items).
        item = session.scalars(
            select(ReviewQueueItem).where(ReviewQueueItem.call_id == call_id)
        ).one()
        item.status = QueueStatus.done
    with session_scope(seeded.url) as session:
        assert evaluation_id in {e.id for e in my_evaluations(session, ivan)}


def _stored_roles(url: str, call_id: int) -> tuple[list[str], float | None, bool]:
    with session_scope(url) as session:
        row = session.scalars(select(Transcript).where(Transcript.call_id == call_id)).one()
        return [u.speaker for u in row.utterances], row.role_confidence, row.roles_uncertain


def _automatic_evaluations(url: str, call_id: int) -> list[tuple[bool, bool]]:
    """(counts, any agent-only verdict answered 'roles uncertain') per automatic evaluation."""
    with session_scope(url) as session:
        rows = session.scalars(
            select(Evaluation)
            .where(Evaluation.call_id == call_id, Evaluation.kind == "automatic")
            .order_by(Evaluation.id)
        ).all()
        return [
            (e.counts, any(v.explanation.startswith("Roles uncertain") for v in e.verdicts))
            for e in rows
        ]


def _role_audits(url: str, call_id: int) -> list[dict[str, object]]:
    with session_scope(url) as session:
        entries = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "transcript.roles", AuditEntry.entity_id == str(call_id)
            )
        ).all()
        return [e.details for e in entries]


def test_a_rescore_decides_mono_roles_again_under_the_present_threshold_and_records_it(
    database_url: str, tmp_path: Path
) -> None:
    call_id = _process_mono(database_url, tmp_path, {"doubtful": 1.0})["doubtful"]
    speakers, confidence, uncertain = _stored_roles(database_url, call_id)
    first = _automatic_evaluations(database_url, call_id)
    assert uncertain and any(roles_uncertain for _, roles_uncertain in first)

    scorecards = scorecards_for_rescore(database_url)
    as_processed = Settings(home=tmp_path, role_confidence_threshold=1.0)
    unchanged = rescore_calls(database_url, [call_id], scorecards, None, as_processed)
    assert (unchanged.roles_changed, unchanged.evaluations_added) == (0, 0)

    settings = Settings(home=tmp_path, role_confidence_threshold=DEFAULT_THRESHOLD)  # lowered
    report = rescore_calls(database_url, [call_id], scorecards, None, settings)

    assert report.roles_changed == 1
    assert _stored_roles(database_url, call_id) == (speakers, confidence, False)
    evaluations = _automatic_evaluations(database_url, call_id)
    # Scored again on the new roles: the old evaluations stay as history, the new ones count.
    assert report.evaluations_added == len(first)
    assert evaluations[: len(first)] == [(False, r) for _, r in first]
    assert evaluations[len(first) :] == [(True, False)] * len(first)
    [audit] = _role_audits(database_url, call_id)
    assert audit["before"] == {  # type: ignore[comparison-overlap]
        "speakers": "".join(s[0] for s in speakers),
        "role_confidence": confidence,
        "roles_uncertain": True,
    }
    assert audit["threshold"] == DEFAULT_THRESHOLD
    again = rescore_calls(database_url, [call_id], scorecards, None, settings)
    assert (again.roles_changed, again.evaluations_added) == (0, 0)


def test_a_rescore_applies_the_centers_agent_phrases_changed_since_processing(
    database_url: str, tmp_path: Path
) -> None:
    call_id = _process_mono(database_url, tmp_path, {"trusted": DEFAULT_THRESHOLD})["trusted"]
    with session_scope(database_url) as session:
        row = session.scalars(select(Transcript).where(Transcript.call_id == call_id)).one()
        customer_words = {
            w["word"].strip().lower().strip(".,?!") for u in row.utterances
            if u.speaker == "customer" for w in u.words
        }  # fmt: skip
        talk = {s: m["talk_time"] for s, m in row.metrics["speakers"].items()}
    speakers, _, _ = _stored_roles(database_url, call_id)
    scorecards = scorecards_for_rescore(database_url)
    unchanged = rescore_calls(database_url, [call_id], scorecards, None, Settings(home=tmp_path))
    assert unchanged.roles_changed == 0
    # An admin's phrases that (wrongly) match what the caller says: the caller becomes the agent.
    phrases = [rf"\b{re.escape(word)}\b" for word in sorted(customer_words) if word]
    settings = Settings(home=tmp_path, role_agent_phrases=phrases)
    report = rescore_calls(database_url, [call_id], scorecards, None, settings)

    swapped = ["customer" if s == "agent" else "agent" for s in speakers]
    assert report.roles_changed == 1
    assert _stored_roles(database_url, call_id)[0] == swapped
    with session_scope(database_url) as session:
        row = session.scalars(select(Transcript).where(Transcript.call_id == call_id)).one()
        assert row.voice_separation is not None
        # The voice now called the agent brings its talk time along.
        assert row.metrics["speakers"]["agent"]["talk_time"] == talk["customer"]
        assert row.metrics["speakers"]["customer"]["talk_time"] == talk["agent"]
    [audit] = _role_audits(database_url, call_id)
    assert audit["agent_phrases"] == phrases


def test_roles_that_a_rescore_finds_uncertain_send_the_call_to_review(
    database_url: str, tmp_path: Path
) -> None:
    call_id = _process_mono(database_url, tmp_path, {"trusted": DEFAULT_THRESHOLD})["trusted"]
    stricter = Settings(home=tmp_path, role_confidence_threshold=1.0)
    scorecards = scorecards_for_rescore(database_url)
    assert rescore_calls(database_url, [call_id], scorecards, None, stricter).roles_changed == 1
    assert _stored_roles(database_url, call_id)[2]
    with session_scope(database_url) as session:
        reasons = session.scalars(
            select(ReviewQueueItem.reason).where(ReviewQueueItem.call_id == call_id)
        ).all()
    assert ROLES_UNCERTAIN in reasons
    assert any(roles_uncertain for counts, roles_uncertain in _automatic_evaluations(
        database_url, call_id) if counts)  # fmt: skip
