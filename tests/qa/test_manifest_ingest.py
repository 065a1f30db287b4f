"""Manifest rows: each bad row is reported with its line number while the others go on."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.pipeline.ingest import ingest_manifest, register_call
from qa.pipeline.manifest import COLUMNS, ManifestError, ManifestRow, read_manifest
from qa.settings import Settings
from qa.storage.db import session_scope
from qa.storage.models import Agent, Call, CallStatus, Client
from tests.qa.conftest import DEMO_DIR

# Calls without consent need no transcription, so these tests need no model.
GOOD = {
    "call_id": "c1",
    "audio_file": str(DEMO_DIR / "demo_ru_no_consent.ogg"),
    "agent_id": "A900",
    "agent_name": "New Agent",
    "client": "New Client",
    "team": "Night shift",
    "started_at": "2026-11-01T10:00:00",
    "direction": "inbound",
    "queue": "cards",
    "ring_seconds": "4",
    "wait_seconds": "10",
    "handle_seconds": "15",
    "customer_feedback": "",
    "customer_consent": "no",
    "agent_consent": "yes",
    "language": "RU",
    "agent_channel": "left",
}


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_bad_rows_are_reported_by_line_and_good_rows_are_stored(
    database_url: str, tmp_path: Path
) -> None:
    second = {**GOOD, "call_id": "c2", "audio_file": str(DEMO_DIR / "demo_fa_no_consent.ogg")}
    manifest = _write(
        tmp_path / "manifest.csv",
        [
            GOOD,  # line 2
            {**GOOD, "call_id": "bad-date", "started_at": "yesterday"},  # line 3
            {**GOOD, "call_id": "bad-ring", "ring_seconds": "-1"},  # line 4
            {**GOOD, "call_id": "no-file", "audio_file": "missing.ogg"},  # line 5
            {**GOOD},  # line 6: c1 again
            second,  # line 7
            {**GOOD, "call_id": "same-audio"},  # line 8: c1's recording under another id
        ],
    )
    report = ingest_manifest(database_url, manifest, Settings(home=tmp_path))
    problems = {p.line: (p.call_id, p.message) for p in report.problems}
    assert sorted(problems) == [3, 4, 5, 6, 8]
    assert "started_at" in problems[3][1]
    assert "ring_seconds" in problems[4][1] and "negative" in problems[4][1]
    assert "audio file not found" in problems[5][1]
    assert "repeats line 2" in problems[6][1]
    assert "already stored as call c1" in problems[8][1]
    assert [c.external_id for c in report.calls] == ["c1", "c2"]
    with session_scope(database_url) as session:
        calls = session.scalars(select(Call).order_by(Call.external_id)).all()
        assert [(c.external_id, c.status) for c in calls] == [
            ("c1", CallStatus.rejected_no_consent),
            ("c2", CallStatus.rejected_no_consent),
        ]
        assert calls[0].language == "ru" and calls[0].started_at.hour == 10
        assert session.scalar(select(Agent.name).where(Agent.external_id == "A900")) == "New Agent"


def test_unknown_clients_and_agents_can_be_refused(database_url: str, tmp_path: Path) -> None:
    manifest = _write(tmp_path / "manifest.csv", [GOOD])
    report = ingest_manifest(database_url, manifest, Settings(home=tmp_path), create_unknown=False)
    assert [(p.line, p.call_id) for p in report.problems] == [(2, "c1")]
    assert "unknown client 'New Client'" in report.problems[0].message
    with session_scope(database_url) as session:
        assert session.scalar(select(Client.id)) is None
        assert session.scalar(select(Call.id)) is None


def test_a_manifest_without_required_columns_is_refused_as_a_whole(tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text("call_id,audio_file\nc1,a.ogg\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="client, started_at, customer_consent"):
        read_manifest(path)


def test_an_upload_without_consent_is_deleted_and_one_with_consent_moved_in(
    database_url: str, tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path / "home")
    refused, accepted = tmp_path / "refused.ogg", tmp_path / "accepted.ogg"
    shutil.copyfile(DEMO_DIR / "demo_ru_no_consent.ogg", refused)
    shutil.copyfile(DEMO_DIR / "demo_en_rude.ogg", accepted)
    with session_scope(database_url) as session:
        no = register_call(
            session, ManifestRow.model_validate(GOOD), refused, settings, uploaded=True
        )
        yes = register_call(
            session,
            ManifestRow.model_validate({**GOOD, "call_id": "c2", "customer_consent": "yes"}),
            accepted,
            settings,
            uploaded=True,
        )
    assert no.status is CallStatus.rejected_no_consent and not refused.exists()
    assert yes.status is CallStatus.pending and not accepted.exists()
    with session_scope(database_url) as session:
        stored = session.get_one(Call, yes.call_id).audio_path
        assert (
            stored
            and Path(stored).is_file()
            and Path(stored).is_relative_to(settings.home.resolve())
        )
        assert session.get_one(Call, no.call_id).audio_path is None
    assert len(list(settings.audio_dir.rglob("*.ogg"))) == 1
