"""Manifest rows: each bad row is reported with its line number while the others go on."""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from qa.i18n import language
from qa.pipeline.ingest import ingest_manifest, register_call
from qa.pipeline.manifest import COLUMNS, ManifestError, ManifestRow, read_manifest
from qa.pipeline.recording_paths import RecordingOutsideFolder, resolve_recording
from qa.settings import Settings
from qa.storage.db import session_scope
from qa.storage.models import Agent, Call, CallStatus, Client
from tests.conftest import SQLITE_ONLY
from tests.qa.conftest import DEMO_DIR, Translations, run_cli

# Calls without consent need no transcription, so these tests need no model.
GOOD = {
    "call_id": "c1",
    "audio_file": "demo_ru_no_consent.ogg",
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
    """The manifest, with the demo recordings it names copied beside it (inside the folder)."""
    for row in rows:
        if "/" not in row["audio_file"] and (DEMO_DIR / row["audio_file"]).is_file():
            shutil.copyfile(DEMO_DIR / row["audio_file"], path.parent / row["audio_file"])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_bad_rows_are_reported_by_line_and_good_rows_are_stored(
    database_url: str, tmp_path: Path
) -> None:
    second = {**GOOD, "call_id": "c2", "audio_file": "demo_fa_no_consent.ogg"}
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


def _consented(call_id: str, audio_file: str, customer: str = "yes") -> dict[str, str]:
    return {**GOOD, "call_id": call_id, "audio_file": audio_file, "customer_consent": customer}


def test_a_file_named_on_the_command_line_takes_the_row_of_its_own_path_not_its_name(
    database_url: str, tmp_path: Path
) -> None:
    """day2/call.ogg (no customer consent) must never be stored under day1/call.ogg's row."""
    home, url = tmp_path, database_url
    batch = home / "batch"
    for day, source in (("day1", "demo_en_rude.ogg"), ("day2", "demo_ru_no_consent.ogg")):
        (batch / day).mkdir(parents=True)
        shutil.copyfile(DEMO_DIR / source, batch / day / "call.ogg")
    manifest = _write(
        batch / "manifest.csv",
        [_consented("day1-call", "day1/call.ogg"), _consented("day2-call", "day2/call.ogg", "no")],
    )
    result = run_cli(
        "ingest", str(batch / "day2" / "call.ogg"), "--manifest", str(manifest),
        home=home, database_url=url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with session_scope(url) as session:
        calls = session.execute(select(Call.external_id, Call.status, Call.audio_path)).all()
    assert calls == [("day2-call", CallStatus.rejected_no_consent, None)]
    assert not _stored_audio(home)


@SQLITE_ONLY
@pytest.mark.parametrize("kind", ["dotdot", "absolute", "symlink", "windows"])
def test_a_recording_outside_the_folder_is_refused_and_nothing_is_copied(
    database_url: str, tmp_path: Path, kind: str
) -> None:
    home, url = tmp_path, database_url
    batch = home / "batch"
    batch.mkdir()
    secret = home / "secret.ogg"
    shutil.copyfile(DEMO_DIR / "demo_en_rude.ogg", secret)
    audio_file = {
        "dotdot": "../secret.ogg",
        "absolute": str(secret),
        "symlink": "inside.ogg",
        "windows": "..\\secret.ogg",
    }[kind]
    (batch / "inside.ogg").symlink_to(secret)
    manifest = _write(batch / "manifest.csv", [_consented("stolen", audio_file)])
    result = run_cli("ingest", str(batch), home=home, database_url=url)
    assert result.returncode == 1
    assert "line 2 (stolen): audio_file" in result.stderr
    assert "outside" in result.stderr or "leaves the folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert manifest.is_file()
    with session_scope(url) as session:
        assert session.scalar(select(Call.id)) is None
    assert not _stored_audio(home)


def _stored_audio(home: Path) -> list[Path]:
    return list((home / "audio").rglob("*.*")) if (home / "audio").exists() else []


@given(
    st.lists(
        st.sampled_from(["..", ".", "a", "b", "/", "\\", "~", "%2e%2e", "C:"]),
        min_size=1,
        max_size=6,
    )
)
@settings(max_examples=200, deadline=None)
def test_any_manifest_path_resolves_inside_the_folder_or_is_refused(parts: list[str]) -> None:
    folder = Path(tempfile.gettempdir()) / "callqa-paths" / "batch"
    folder.mkdir(parents=True, exist_ok=True)
    audio_file = "/".join(parts).replace("//", "/")
    try:
        resolved = resolve_recording(folder, audio_file)
    except RecordingOutsideFolder:
        return
    assert resolved.is_relative_to(folder.resolve())


def test_row_problems_are_worded_in_the_readers_language(
    tmp_path: Path, russian_catalog: Callable[[Translations], None]
) -> None:
    """callqa's own checks and pydantic's common mistakes alike: a Russian admin reads Russian."""
    russian_catalog({
        "line {line} ({call}): {problem}": "строка {line} ({call}): {problem}",
        "{field}: {problem}": "{field} — {problem}",
        "Input should be a valid boolean": "нужно да или нет",
        "must not be negative": "не может быть отрицательным",
        "call_id repeats line {line}": "call_id повторяет строку {line}",
    })  # fmt: skip
    manifest = _write(
        tmp_path / "manifest.csv",
        [
            {**GOOD, "customer_consent": "maybe", "ring_seconds": "-1"},  # line 2
            {**GOOD, "call_id": "c2"},  # line 3
            {**GOOD, "call_id": "c2"},  # line 4
        ],
    )
    with language("ru"):
        problems = [str(p) for p in read_manifest(manifest).problems]
    assert problems == [
        "строка 2 (c1): customer_consent — нужно да или нет; "
        "ring_seconds — не может быть отрицательным",
        "строка 4 (c2): call_id повторяет строку 3",
    ]
