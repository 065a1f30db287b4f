"""Comments pinned to moments of the call, on Call review: each one starts the audio there."""

from __future__ import annotations

import streamlit as st

from qa.i18n import _
from qa.queries.access import Viewer
from qa.queries.call_comments import COMMENTERS, CommentInvalid, pin_comment
from qa.queries.call_review import CallForReview
from qa.ui.components.time import clock, format_datetime
from qa.ui.components.transcript import rtl_markdown
from qa.ui.components.verdicts import AUDIO_START_KEY, seek_audio
from qa.ui.session import db_session, invalidate


def show_pinned_comments(viewer: Viewer, call: CallForReview) -> None:
    pinned = sorted(
        (c for c in call.comments if c.at_seconds is not None), key=lambda c: c.at_seconds or 0
    )
    if pinned or viewer.role in COMMENTERS:
        st.subheader(_("Comments at moments of the call"))
    for index, comment in enumerate(pinned):
        at = comment.at_seconds or 0.0
        left, right = st.columns([1, 6])
        if left.button(clock(at), key=f"pin-{call.call_id}-{index}", icon=":material/play_arrow:"):
            seek_audio(at)
            st.rerun()
        with right:
            st.caption(f"{comment.author}, {format_datetime(comment.created_at)}")
            rtl_markdown(comment.body)
    if viewer.role in COMMENTERS:
        _pin_form(viewer, call)


def _pin_form(viewer: Viewer, call: CallForReview) -> None:
    with st.form(f"pin-form-{call.call_id}", clear_on_submit=True):
        at = st.number_input(
            _("At (seconds into the call)"),
            min_value=0.0,
            value=float(st.session_state.get(AUDIO_START_KEY, 0.0)),
            step=1.0,
            key=f"pin-at-{call.call_id}",
        )
        body = st.text_area(_("Comment"), key=f"pin-body-{call.call_id}")
        if not st.form_submit_button(_("Pin comment")):
            return
    try:
        with db_session() as session:
            pin_comment(session, viewer, call.call_id, body, float(at))
    except CommentInvalid as invalid:
        st.error(str(invalid))
        return
    invalidate()
    st.rerun()
