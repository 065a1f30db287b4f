"""The pipeline stores each processed call's agent politeness beside its evaluations."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.pipeline import process
from qa.pipeline.ingest import ingest_manifest
from qa.pipeline.process import process_call
from qa.settings import Settings
from qa.storage.db import session_scope
from qa.storage.models import CallPoliteness, CallStatus
from scorecards.learned import shipped_classifier
from tests.qa.synthetic_calls import make_calls
from tests.scorecards.calls import call


def test_a_processed_call_stores_its_agents_politeness_with_the_model_version(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(home=tmp_path)
    (call_id,) = ingest_manifest(
        database_url, make_calls(tmp_path / "calls", 1), settings
    ).to_process
    said = call(
        "en",
        [
            ("agent", 0.0, 3.0, "Good morning, thank you for calling, how may I help you?"),
            ("customer", 3.5, 6.0, "My card does not work."),
            ("agent", 6.5, 9.0, "I'm sorry to hear that, could you please read me the number?"),
        ],
    )
    monkeypatch.setattr(process.transcribe_stage, "transcribe", lambda *_: said)
    assert process_call(database_url, call_id, settings) is CallStatus.done
    with session_scope(database_url) as session:
        stored = session.get_one(CallPoliteness, call_id)
        assert stored.model == shipped_classifier("politeness").label
        assert stored.utterances == 2
        assert stored.lowest_position in (0, 2)
        assert 0.0 <= stored.lowest <= stored.mean <= 1.0
