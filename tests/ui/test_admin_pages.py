"""The admin pages: scorecard versions (view, validate, try, save, activate) and call uploads."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import FileUploader

from qa.storage.db import session_scope
from qa.storage.models import AuditEntry, Call, CallStatus, ScorecardVersion
from qa.storage.scorecard_store import sync_shipped_scorecards
from tests.ui.seed import Seeded, write_tone

PageAs = Callable[[str, str], AppTest]


@pytest.fixture
def with_shipped_scorecards(seeded: Seeded) -> Seeded:
    with session_scope(seeded.url) as session:
        sync_shipped_scorecards(session)
    return seeded


def _open_scorecard(page_as: PageAs, key: str) -> AppTest:
    at = page_as("scorecards_admin", "admin").run()
    assert not at.exception and not at.error
    scorecard = next(s for s in at.selectbox if s.label == "Scorecard")
    scorecard.select(key).run()
    return at


def _versions(url: str, key: str) -> list[tuple[str, bool]]:
    with session_scope(url) as session:
        rows = session.scalars(
            select(ScorecardVersion).where(ScorecardVersion.scorecard_key == key)
        )
        return [(row.name, row.active) for row in rows]


def test_admin_reads_the_yaml_of_the_active_version(
    page_as: PageAs, with_shipped_scorecards: Seeded
) -> None:
    at = _open_scorecard(page_as, "compliance")
    assert any("id: compliance" in code.value for code in at.code)
    assert any("scores new calls" in s.value for s in at.success)


def test_an_invalid_edit_shows_its_problem_inline_and_cannot_be_saved(
    page_as: PageAs, with_shipped_scorecards: Seeded
) -> None:
    at = _open_scorecard(page_as, "compliance")
    editor = at.text_area[0]
    editor.input(str(editor.value).replace("weight:", "wieght:", 1)).run()
    assert not at.error, "an edit alone is not checked (large scorecards made typing slow)"
    assert any("press Check" in c.value for c in at.caption)
    next(b for b in at.button if b.label == "Check").click().run()
    assert len(at.error) == 1 and "Extra inputs are not permitted" in at.error[0].value
    assert "wieght" in at.error[0].value
    next(b for b in at.button if b.label == "Save as new version").click().run()
    assert len(at.error) == 1 and not any("Saved version" in s.value for s in at.success)
    assert len(_versions(with_shipped_scorecards.url, "compliance")) == 1


def test_a_valid_edit_is_tried_on_a_call_saved_inactive_then_activated(
    page_as: PageAs, with_shipped_scorecards: Seeded
) -> None:
    url = with_shipped_scorecards.url
    at = _open_scorecard(page_as, "compliance")
    editor = at.text_area[0]
    # The shipped name is a map by language; its English text is the one stored as the name.
    edited = str(editor.value).replace("en: Compliance", "en: Edited Compliance", 1)
    editor.input(edited).run()
    assert not at.error
    next(b for b in at.button if b.label == "Try it").click().run()
    assert any("Trial score" in m.value and "(not saved)" in m.value for m in at.markdown)
    assert len(_versions(url, "compliance")) == 1  # trying writes nothing
    next(b for b in at.button if b.label == "Save as new version").click().run()
    assert any("Saved version" in s.value for s in at.success)
    versions = _versions(url, "compliance")
    assert len(versions) == 2 and sorted(active for _, active in versions) == [False, True]
    new_name = next(name for name, active in versions if not active)
    assert new_name.startswith("Edited")
    # The new version shows at once, picked, without leaving the page.
    assert len(at.dataframe[0].value) == 2
    version = next(s for s in at.selectbox if s.label == "Version")
    assert "active" not in version.format_func(version.value)  # type: ignore[attr-defined]
    next(b for b in at.button if b.label == "Activate this version").click().run()
    assert dict(_versions(url, "compliance"))[new_name] is True
    # Activation offers to rescore stored calls; old evaluations stay.
    next(b for b in at.button if b.label == "Rescore").click().run()
    assert not at.error and not at.exception
    calls = len(with_shipped_scorecards.calls)
    assert f"{calls} calls rescored, {calls} new evaluations." in [s.value for s in at.success]
    with session_scope(url) as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    assert "scorecard.save" in actions and "scorecard.activate" in actions


@pytest.mark.parametrize("page", ["scorecards_admin", "calls_admin"])
@pytest.mark.parametrize("username", ["reviewer", "coach", "sara", "globex"])
def test_admin_pages_are_refused_to_other_roles(page_as: PageAs, page: str, username: str) -> None:
    at = page_as(page, username).run()
    assert [e.value for e in at.error] == ["this needs one of the roles: admin"]
    assert not at.dataframe and not at.code


def test_calls_page_lists_every_call_with_its_status(page_as: PageAs, seeded: Seeded) -> None:
    at = page_as("calls_admin", "admin").run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert set(table["Call"]) == set(seeded.calls)
    assert set(table["Status"]) == {"done"}


def _fill_form(
    at: AppTest, call_id: str, recording: bytes, consent: tuple[str, str] | None
) -> None:
    uploader = next(
        u for u in at.get("file_uploader") if isinstance(u, FileUploader) and u.label == "Recording"
    )
    uploader.set_value((f"{call_id}.wav", recording, "audio/wav"))
    next(t for t in at.text_input if t.label == "Call id").input(call_id)
    next(t for t in at.text_input if t.label == "Client").input("Acme Bank")
    next(t for t in at.text_input if t.label == "Agent id (optional)").input("sara")
    if consent is not None:
        radios = [r for r in at.radio if "consented" in r.label]
        radios[0].set_value(consent[0])
        radios[1].set_value(consent[1])
    at.button(key="FormSubmitter:call_upload-Upload and process").click().run()


def _call(url: str, external_id: str) -> Call | None:
    with session_scope(url) as session:
        call = session.scalar(select(Call).where(Call.external_id == external_id))
        if call is not None:
            session.expunge(call)
        return call


def test_the_upload_form_requires_both_consent_answers(
    page_as: PageAs, seeded: Seeded, tmp_path: Path
) -> None:
    at = page_as("calls_admin", "admin").run()
    tone = write_tone(tmp_path / "tone.wav", seconds=1).read_bytes()
    _fill_form(at, "upload-1", tone, consent=None)
    assert [e.value for e in at.error] == [
        "Both consent questions must be answered before a call is stored."
    ]
    assert _call(seeded.url, "upload-1") is None


def test_an_upload_without_customer_consent_keeps_only_metadata(
    page_as: PageAs, seeded: Seeded, tmp_path: Path
) -> None:
    at = page_as("calls_admin", "admin").run()
    tone = write_tone(tmp_path / "tone.wav", seconds=1).read_bytes()
    _fill_form(at, "upload-2", tone, consent=("No", "Yes"))
    assert any("no consent" in w.value for w in at.warning)
    call = _call(seeded.url, "upload-2")
    assert call is not None and call.status is CallStatus.rejected_no_consent
    assert call.audio_path is None
    table = at.dataframe[0].value
    assert "rejected: no consent" in set(table[table["Call"] == "upload-2"]["Status"])


def test_a_broken_recording_is_refused_with_its_error_and_not_stored(
    page_as: PageAs, with_shipped_scorecards: Seeded
) -> None:
    seeded = with_shipped_scorecards
    at = page_as("calls_admin", "admin").run()
    _fill_form(at, "upload-3", b"this is not audio at all", consent=("Yes", "Yes"))
    assert any("refused and not stored" in e.value for e in at.error), [e.value for e in at.error]
    call = _call(seeded.url, "upload-3")
    assert call is not None and call.status is CallStatus.needs_admin and call.attempts == 0
    assert call.audio_path is None and call.error and "not an audio format" in call.error
    table = at.dataframe[0].value
    assert table[table["Call"] == "upload-3"]["Error"].item() == call.error
    # Retrying cannot help an unusable recording: it is not offered.
    at = page_as("calls_admin", "admin").run()
    assert not any(b.label == "Retry failed calls" for b in at.button)


MANIFEST = """\
call_id,audio_file,client,agent_id,started_at,customer_consent,agent_consent
m-broken,broken.wav,Acme Bank,ivan,2026-11-20T10:00:00+00:00,true,true
m-no-consent,quiet.wav,Acme Bank,ivan,2026-11-20T11:00:00+00:00,true,false
m-missing,not-uploaded.wav,Acme Bank,ivan,2026-11-20T12:00:00+00:00,true,true
m-bad-date,quiet.wav,Acme Bank,ivan,yesterday,true,true
"""


def test_a_manifest_upload_registers_rows_reports_problems_and_processes(
    page_as: PageAs, with_shipped_scorecards: Seeded, tmp_path: Path
) -> None:
    seeded = with_shipped_scorecards
    at = page_as("calls_admin", "admin").run()
    uploads = [u for u in at.get("file_uploader") if isinstance(u, FileUploader)]
    manifest = next(u for u in uploads if u.label == "Manifest (CSV)")
    recordings = next(u for u in uploads if u.label == "Recordings")
    manifest.set_value(("calls.csv", MANIFEST.encode(), "text/csv"))
    quiet = write_tone(tmp_path / "quiet.wav", seconds=1).read_bytes()
    recordings.set_value(
        [("broken.wav", b"not audio", "audio/wav"), ("quiet.wav", quiet, "audio/wav")]
    )
    at.button(key="FormSubmitter:manifest_upload-Upload and process").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("line 4 (m-missing)" in e and "audio file not found" in e for e in errors), errors
    assert any("line 5 (m-bad-date)" in e and "started_at" in e for e in errors), errors
    assert any("m-no-consent" in w.value for w in at.warning)
    # Refused when registered (not audio), so it is neither stored nor processed.
    assert any("(m-broken): recording refused" in e for e in errors), errors
    broken, refused = _call(seeded.url, "m-broken"), _call(seeded.url, "m-no-consent")
    assert broken is not None and broken.status is CallStatus.needs_admin
    assert broken.audio_path is None
    assert refused is not None and refused.status is CallStatus.rejected_no_consent
    assert _call(seeded.url, "m-missing") is None
    uploads_dir = Path(os.environ["CALLQA_HOME"]) / "uploads"
    assert not any(uploads_dir.rglob("*.wav"))  # nothing left behind in the upload folder


def test_the_next_upload_asks_both_consent_questions_afresh(
    page_as: PageAs, seeded: Seeded, tmp_path: Path
) -> None:
    """The answers given for one call never carry over to the next recording."""
    at = page_as("calls_admin", "admin").run()
    first = write_tone(tmp_path / "first.wav", seconds=1).read_bytes()
    _fill_form(at, "upload-first", first, consent=("No", "Yes"))
    assert _call(seeded.url, "upload-first") is not None
    second = write_tone(tmp_path / "second.wav", seconds=2).read_bytes()
    _fill_form(at, "upload-second", second, consent=None)
    assert "Both consent questions must be answered before a call is stored." in [
        e.value for e in at.error
    ]
    assert _call(seeded.url, "upload-second") is None


def test_a_manifest_upload_cannot_reach_files_outside_the_upload(
    page_as: PageAs, seeded: Seeded, tmp_path: Path
) -> None:
    at = page_as("calls_admin", "admin").run()
    uploads = [u for u in at.get("file_uploader") if isinstance(u, FileUploader)]
    rows = (
        "call_id,audio_file,client,started_at,customer_consent,agent_consent\n"
        "m-db,../../callqa.sqlite3,Acme Bank,2026-11-20T10:00:00+00:00,true,true\n"
        f"m-abs,{tmp_path / 'quiet.wav'},Acme Bank,2026-11-20T10:00:00+00:00,true,true\n"
    )
    write_tone(tmp_path / "quiet.wav", seconds=1)
    next(u for u in uploads if u.label == "Manifest (CSV)").set_value(
        ("calls.csv", rows.encode(), "text/csv")
    )
    next(u for u in uploads if u.label == "Recordings").set_value(
        [("quiet.wav", (tmp_path / "quiet.wav").read_bytes(), "audio/wav")]
    )
    at.button(key="FormSubmitter:manifest_upload-Upload and process").click().run()
    errors = [e.value for e in at.error]
    assert any("line 2 (m-db)" in e and "leaves the folder" in e for e in errors), errors
    assert any("line 3 (m-abs)" in e and "absolute path" in e for e in errors), errors
    assert _call(seeded.url, "m-db") is None and _call(seeded.url, "m-abs") is None
