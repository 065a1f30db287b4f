"""A real mono recording (two espeak-ng voices mixed to one channel) through the real pipeline:
its utterances get agent and customer, and a call whose roles are too uncertain lands in the
review queue with that reason instead of failing the agent-only criteria."""

from __future__ import annotations

import csv
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.pipeline import transcribe as transcribe_stage
from qa.pipeline.ingest import ingest_manifest
from qa.pipeline.runner import run_calls
from qa.queries.agent_view import my_evaluations
from qa.review_sampling import ROLES_UNCERTAIN, queue_uncertain
from qa.settings import Settings
from qa.storage.bootstrap import initialize_database
from qa.storage.db import session_scope
from qa.storage.models import (
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


@pytest.fixture(scope="module")
def mono_calls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MonoCalls]:
    """The mono test call ingested twice (the second copy padded so it is another recording),
    processed once with the default threshold and once with a threshold no call reaches.
    The model hears the recording once: the second call is processed on the same words."""
    home = tmp_path_factory.mktemp("mono")
    shutil.copyfile(MONO_CALL, home / "trusted.wav")
    subprocess.run(
        ["sox", str(MONO_CALL), str(home / "doubtful.wav"), "pad", "0", "0.1"], check=True
    )
    with (DEMO_DIR / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, template = list(reader.fieldnames or []), next(reader)
    with (home / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for name in ("trusted", "doubtful"):
            writer.writerow({**template, "call_id": f"mono_{name}", "audio_file": f"{name}.wav"})
    heard: list[CallTranscript] = []
    transcribe = transcribe_stage.transcribe

    def transcribe_once(path: Path, options: TranscriptionOptions) -> CallTranscript:
        if not heard:
            heard.append(transcribe(path, options))
        return heard[0]

    with fresh_database("sqlite", home) as url, pytest.MonkeyPatch.context() as patch:
        patch.setattr(transcribe_stage, "transcribe", transcribe_once)
        initialize_database(url)
        settings = Settings(home=home, workers=1)
        report = ingest_manifest(url, home / "manifest.csv", settings)
        ids = {c.external_id: c.call_id for c in report.calls}
        run_calls(url, [ids["mono_trusted"]], settings)
        doubtful = Settings(home=home, workers=1, role_confidence_threshold=1.0)
        run_calls(url, [ids["mono_doubtful"]], doubtful)
        yield MonoCalls(url, ids)


def test_a_mono_recording_gets_agent_and_customer_per_utterance(mono_calls: MonoCalls) -> None:
    with session_scope(mono_calls.url) as session:
        call = session.get_one(Call, mono_calls.ids["mono_trusted"])
        assert call.status == CallStatus.done
        transcript = session.scalars(select(Transcript).where(Transcript.call_id == call.id)).one()
        assert transcript.channel_layout == "mono"
        threshold = Settings.model_fields["role_confidence_threshold"].default
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
        uncertain = [v for v in verdicts if v.explanation.startswith("Roles uncertain")]
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
