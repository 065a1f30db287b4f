"""Calls (admin): upload recordings with a manifest or a form, watch processing, retry failures.

Consent is never assumed: the form makes the admin answer both consent questions for every
call afresh (answers never carry over to the next upload), and a call without both is kept as
metadata only (its upload deleted). Processing runs here with a
progress bar; a failed call shows its error and can be processed again.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time
from pathlib import Path

import pandas as pd
import streamlit as st
from pydantic import ValidationError
from streamlit.runtime.uploaded_file_manager import UploadedFile

from qa.i18n import _
from qa.pipeline.ingest import IngestReport, RegisteredCall
from qa.pipeline.manifest import COLUMNS, ManifestRow
from qa.queries.access import Viewer
from qa.queries.calls import (
    CallListing,
    ingest_uploaded_manifest,
    process_calls,
    processing_status,
    register_uploaded_call,
)
from qa.settings import get_settings
from qa.storage.models import CallStatus
from qa.ui.components.time import date_input_format, format_datetime
from qa.ui.session import cached, current_viewer, database_url, db_session, invalidate

AUDIO_TYPES = ["wav", "mp3", "flac", "ogg", "m4a", "opus"]
RETRIED_KEY = "calls_admin_retried"
CONSENT_ROUND_KEY = "calls_admin_consent_round"
load_status = cached(processing_status)


def render() -> None:
    viewer = current_viewer()
    st.title("Calls")
    if retried := st.session_state.pop(RETRIED_KEY, None):
        st.info(f"Retry finished: {retried}")
    manifest_tab, form_tab = st.tabs(["Upload with a manifest", "Upload one call"])
    with manifest_tab:
        _manifest_upload(viewer)
    with form_tab:
        _form_upload(viewer)
    _status(viewer, load_status(viewer))


@contextmanager
def _upload_folder() -> Iterator[Path]:
    """A private folder for this upload; what ingest did not move into storage is removed."""
    folder = get_settings().home / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _save(upload: UploadedFile, folder: Path) -> Path:
    path = folder / Path(upload.name).name
    path.write_bytes(upload.getvalue())
    return path


def _manifest_upload(viewer: Viewer) -> None:
    st.caption(
        "A CSV manifest with the columns " + ", ".join(f"`{c}`" for c in COLUMNS)
        + "; `audio_file` names one of the recordings uploaded with it."
    )  # fmt: skip
    with st.form("manifest_upload", clear_on_submit=True):
        manifest = st.file_uploader("Manifest (CSV)", type=["csv"])
        recordings = st.file_uploader("Recordings", type=AUDIO_TYPES, accept_multiple_files=True)
        submitted = st.form_submit_button("Upload and process", type="primary")
    if not submitted:
        return
    if manifest is None or not recordings:
        st.error("Choose a manifest and the recordings it lists.")
        return
    with _upload_folder() as folder:
        for recording in recordings:
            _save(recording, folder)
        report = ingest_uploaded_manifest(
            viewer, database_url(), _save(manifest, folder), folder, get_settings()
        )
    invalidate()
    _report(report)
    _process(viewer, report.to_process)


def _report(report: IngestReport) -> None:
    new = [c for c in report.calls if c.new]
    st.success(f"{len(new)} new call(s) registered, {len(report.calls) - len(new)} already stored.")
    for call in report.rejected:
        st.warning(f"{call.external_id}: no consent from both parties; only its metadata is kept.")
    for problem in report.problems:
        where = f"line {problem.line}" if problem.line else "upload"
        st.error(f"{where} ({problem.call_id or 'no call id'}): {problem.message}")


def _form_upload(viewer: Viewer) -> None:
    with st.form("call_upload", clear_on_submit=False):
        recording = st.file_uploader("Recording", type=AUDIO_TYPES)
        left, right = st.columns(2)
        call_id = left.text_input("Call id", placeholder="e.g. acme-2026-000123")
        client = right.text_input("Client")
        agent_id = left.text_input("Agent id (optional)")
        agent_name = right.text_input("Agent name (optional)")
        team = left.text_input("Team (optional)")
        language = right.selectbox("Language", ["auto-detect", *get_settings().languages])
        day = left.date_input("Call date", format=date_input_format())
        at = right.time_input("Call time (UTC)", value=time(9, 0))
        yes_no = ["Yes", "No"]
        # Keyed by the upload's round, so each new call's consent questions start unanswered.
        round_ = st.session_state.get(CONSENT_ROUND_KEY, 0)
        customer = left.radio(
            _("Customer consented to recording analysis"),
            yes_no,
            index=None,
            key=f"consent_customer_{round_}",
        )
        agent = right.radio(
            _("Agent consented to recording analysis"), yes_no, index=None,
            key=f"consent_agent_{round_}",
        )  # fmt: skip
        submitted = st.form_submit_button("Upload and process", type="primary")
    if not submitted:
        return
    if recording is None:
        st.error("Choose the recording to upload.")
        return
    if customer is None or agent is None:
        st.error("Both consent questions must be answered before a call is stored.")
        return
    try:
        row = ManifestRow(
            call_id=call_id, audio_file=recording.name, client=client,
            started_at=datetime.combine(day, at, tzinfo=UTC),
            customer_consent=customer == "Yes", agent_consent=agent == "Yes",
            agent_id=agent_id, agent_name=agent_name, team=team,
            language=None if language == "auto-detect" else language,
        )  # fmt: skip
    except ValidationError as invalid:
        st.error("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in invalid.errors()))
        return
    # This call's answers are spent: the next upload must be answered afresh, never inherit them.
    st.session_state[CONSENT_ROUND_KEY] = round_ + 1
    with _upload_folder() as folder, db_session() as session:
        registered = register_uploaded_call(
            session, viewer, row, _save(recording, folder), get_settings()
        )
    invalidate()
    _registered(registered)
    if registered.needs_processing:
        _process(viewer, [registered.call_id])


def _registered(call: RegisteredCall) -> None:
    if not call.new:
        st.info(f"{call.external_id} was already stored ({call.status.value}).")
    elif call.status is CallStatus.rejected_no_consent:
        st.warning(f"{call.external_id}: no consent from both parties; the recording was deleted.")
    elif call.error is not None:
        st.error(
            _("{call}: the recording was refused and not stored: {error}").format(
                call=call.external_id, error=call.error
            )
        )
    else:
        st.success(f"{call.external_id} registered.")


def _process(viewer: Viewer, call_ids: list[int]) -> str:
    """Transcribe and score the calls now, with a progress bar; failures stay listed below."""
    if not call_ids:
        return "nothing to process."
    bar = st.progress(0.0, text=f"Processing {len(call_ids)} call(s)…")
    done: list[CallStatus] = []

    def advance(_call_id: int, status: CallStatus) -> None:
        done.append(status)
        bar.progress(len(done) / len(call_ids), text=f"{len(done)} of {len(call_ids)} processed")

    outcomes = process_calls(viewer, database_url(), call_ids, get_settings(), on_done=advance)
    invalidate()
    failed = outcomes.get(CallStatus.failed, 0) + outcomes.get(CallStatus.needs_admin, 0)
    message = f"{outcomes.get(CallStatus.done, 0)} call(s) processed, {failed} failed."
    (st.warning if failed else st.success)(message)
    return message


def _status(viewer: Viewer, calls: list[CallListing]) -> None:
    st.subheader("Processing status")
    if not calls:
        st.info("No calls stored yet.")
        return
    counts = pd.Series([c.status.value for c in calls]).value_counts()
    tiles = st.columns(len(counts))
    for tile, (status, count) in zip(tiles, counts.items(), strict=True):
        tile.metric(str(status).replace("_", " "), int(count))
    shown = st.multiselect(
        "Show status", [s.value for s in CallStatus], default=[], placeholder="All statuses"
    )
    frame = pd.DataFrame(
        {
            "Call": c.external_id,
            "Started": format_datetime(c.started_at),
            "Client": c.client,
            "Agent": c.agent or "",
            "Status": c.status.value,
            "Attempts": c.attempts,
            "Error": c.error or "",
        }
        for c in calls
        if not shown or c.status.value in shown
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    _retry(viewer, [c for c in calls if c.status is CallStatus.failed])


def _retry(viewer: Viewer, failed: list[CallListing]) -> None:
    if not failed:
        return
    labels = {c.id: f"{c.external_id}: {c.error or 'failed'}" for c in failed}
    chosen = st.multiselect(
        "Failed calls to retry", list(labels), default=list(labels), format_func=labels.__getitem__
    )
    if st.button("Retry failed calls", icon=":material/replay:", disabled=not chosen):
        # Rerun so the table above shows the new statuses; the summary survives the rerun.
        st.session_state[RETRIED_KEY] = _process(viewer, chosen)
        st.rerun()
