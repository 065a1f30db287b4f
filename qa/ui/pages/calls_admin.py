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
from datetime import UTC, date, datetime, time
from pathlib import Path

import pandas as pd
import streamlit as st
from pydantic import ValidationError
from streamlit.runtime.uploaded_file_manager import UploadedFile

from qa.i18n import N_, _, ngettext
from qa.invalid_input import describe_invalid
from qa.locale_format import digits
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
from qa.ui.components.labels import language_label, status_label
from qa.ui.components.tables import show_table
from qa.ui.components.time import date_field, format_datetime
from qa.ui.session import cached, current_viewer, database_url, db_session, invalidate

AUDIO_TYPES = ["wav", "mp3", "flac", "ogg", "m4a", "opus"]
RETRIED_KEY = "calls_admin_retried"
CONSENT_ROUND_KEY = "calls_admin_consent_round"
AUTO_DETECT = "auto"
load_status = cached(processing_status)


def render() -> None:
    viewer = current_viewer()
    st.title(_("Calls"))
    if retried := st.session_state.pop(RETRIED_KEY, None):
        st.info(_("Retry finished: {summary}").format(summary=retried))
    manifest_tab, form_tab = st.tabs([_("Upload with a manifest"), _("Upload one call")])
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
    columns = ", ".join(f"`{c}`" for c in COLUMNS)
    st.caption(
        _(
            "A CSV manifest with the columns {columns}; `audio_file` names one of the "
            "recordings uploaded with it."
        ).format(columns=columns)
    )
    with st.form("manifest_upload", clear_on_submit=True):
        manifest = st.file_uploader(_("Manifest (CSV)"), type=["csv"])
        recordings = st.file_uploader(_("Recordings"), type=AUDIO_TYPES, accept_multiple_files=True)
        submitted = st.form_submit_button(_("Upload and process"), type="primary")
    if not submitted:
        return
    if manifest is None or not recordings:
        st.error(_("Choose a manifest and the recordings it lists."))
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
    new = len([c for c in report.calls if c.new])
    stored = len(report.calls) - new
    registered = ngettext(
        "{count} new call registered", "{count} new calls registered", new
    ).format(count=digits(str(new)))
    already = ngettext("{count} already stored", "{count} already stored", stored).format(
        count=digits(str(stored))
    )
    st.success(_("{registered}, {already}.").format(registered=registered, already=already))
    for call in report.rejected:
        st.warning(
            _("{call}: no consent from both parties; only its metadata is kept.").format(
                call=call.external_id
            )
        )
    for problem in report.problems:
        where = _("line {number}").format(number=problem.line) if problem.line else _("upload")
        call_id = problem.call_id or _("no call id")
        st.error(
            _("{where} ({call}): {problem}").format(
                where=where, call=call_id, problem=problem.message
            )
        )


def _form_upload(viewer: Viewer) -> None:
    with st.form("call_upload", clear_on_submit=False):
        recording = st.file_uploader(_("Recording"), type=AUDIO_TYPES)
        left, right = st.columns(2)
        call_id = left.text_input(
            _("Call id"), placeholder=_("e.g. {example}").format(example="acme-2026-000123")
        )
        client = right.text_input(_("Client"))
        agent_id = left.text_input(_("Agent id (optional)"))
        agent_name = right.text_input(_("Agent name (optional)"))
        team = left.text_input(_("Team (optional)"))
        language = right.selectbox(
            _("Language"),
            [AUTO_DETECT, *get_settings().languages],
            format_func=lambda code: (
                _("auto-detect") if code == AUTO_DETECT else language_label(code)
            ),
        )
        day = date_field(_("Call date"), date.today(), "call-upload-date", left)
        at = right.time_input(_("Call time (UTC)"), value=time(9, 0))
        yes_no = [N_("Yes"), N_("No")]  # kept in English, shown translated
        # Keyed by the upload's round, so each new call's consent questions start unanswered.
        round_ = st.session_state.get(CONSENT_ROUND_KEY, 0)
        customer = left.radio(
            _("Customer consented to recording analysis"),
            yes_no,
            format_func=_,
            index=None,
            key=f"consent_customer_{round_}",
        )
        agent = right.radio(
            _("Agent consented to recording analysis"),
            yes_no,
            format_func=_,
            index=None,
            key=f"consent_agent_{round_}",
        )
        submitted = st.form_submit_button(_("Upload and process"), type="primary")
    if not submitted:
        return
    if recording is None:
        st.error(_("Choose the recording to upload."))
        return
    if day is None:
        st.error(_("Enter the date of the call."))
        return
    if customer is None or agent is None:
        st.error(_("Both consent questions must be answered before a call is stored."))
        return
    try:
        row = ManifestRow(
            call_id=call_id, audio_file=recording.name, client=client,
            started_at=datetime.combine(day, at, tzinfo=UTC),
            customer_consent=customer == "Yes", agent_consent=agent == "Yes",
            agent_id=agent_id, agent_name=agent_name, team=team,
            language=None if language == AUTO_DETECT else language,
        )  # fmt: skip
    except ValidationError as invalid:
        st.error(describe_invalid(invalid))
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
        st.info(
            _("{call} was already stored ({status}).").format(
                call=call.external_id, status=status_label(call.status)
            )
        )
    elif call.status is CallStatus.rejected_no_consent:
        st.warning(
            _("{call}: no consent from both parties; the recording was deleted.").format(
                call=call.external_id
            )
        )
    elif call.error is not None:
        st.error(
            _("{call}: the recording was refused and not stored: {error}").format(
                call=call.external_id, error=call.error
            )
        )
    else:
        st.success(_("{call} registered.").format(call=call.external_id))


def _process(viewer: Viewer, call_ids: list[int]) -> str:
    """Transcribe and score the calls now, with a progress bar; failures stay listed below."""
    if not call_ids:
        return _("nothing to process.")
    total = len(call_ids)
    bar = st.progress(
        0.0,
        text=ngettext("Processing {count} call…", "Processing {count} calls…", total).format(
            count=digits(str(total))
        ),
    )
    done: list[CallStatus] = []

    def advance(_call_id: int, status: CallStatus) -> None:
        done.append(status)
        progress = _("{done} of {total} processed").format(
            done=digits(str(len(done))), total=digits(str(total))
        )
        bar.progress(len(done) / total, text=progress)

    outcomes = process_calls(viewer, database_url(), call_ids, get_settings(), on_done=advance)
    invalidate()
    failed = outcomes.get(CallStatus.failed, 0) + outcomes.get(CallStatus.needs_admin, 0)
    processed = outcomes.get(CallStatus.done, 0)
    message = ngettext(
        "{count} call processed, {failed} failed.",
        "{count} calls processed, {failed} failed.",
        processed,
    ).format(count=digits(str(processed)), failed=digits(str(failed)))
    (st.warning if failed else st.success)(message)
    return message


def _status(viewer: Viewer, calls: list[CallListing]) -> None:
    st.subheader(_("Processing status"))
    if not calls:
        st.info(_("No calls stored yet."))
        return
    counts = pd.Series([c.status.value for c in calls]).value_counts()
    tiles = st.columns(len(counts))
    for tile, (status, count) in zip(tiles, counts.items(), strict=True):
        tile.metric(status_label(str(status)), digits(str(int(count))))
    shown = st.multiselect(
        _("Show status"),
        [s.value for s in CallStatus],
        default=[],
        format_func=status_label,
        placeholder=_("All statuses"),
        key="calls-admin-status",
    )
    frame = pd.DataFrame(
        {
            _("Call"): c.external_id,
            _("Started"): format_datetime(c.started_at),
            _("Client"): c.client,
            _("Agent"): c.agent or "",
            _("Status"): status_label(c.status),
            _("Attempts"): c.attempts,
            _("Error"): c.error or "",
        }
        for c in calls
        if not shown or c.status.value in shown
    )
    show_table(frame)
    _retry(viewer, [c for c in calls if c.status is CallStatus.failed])


def _retry(viewer: Viewer, failed: list[CallListing]) -> None:
    if not failed:
        return
    failed_label = _("failed")
    labels = {c.id: f"{c.external_id}: {c.error or failed_label}" for c in failed}
    chosen = st.multiselect(
        _("Failed calls to retry"),
        list(labels),
        default=list(labels),
        format_func=labels.__getitem__,
    )
    if st.button(_("Retry failed calls"), icon=":material/replay:", disabled=not chosen):
        # Rerun so the table above shows the new statuses; the summary survives the rerun.
        st.session_state[RETRIED_KEY] = _process(viewer, chosen)
        st.rerun()
