"""Search: find words across call transcripts, then open the call at that moment.

Every role may search; each sees hits only from the calls they may open (the query scopes it).
"""

from __future__ import annotations

import streamlit as st

from qa.i18n import _, ngettext
from qa.locale_format import digits
from qa.queries.transcript_search import SearchInvalid, TranscriptHit, search_transcripts
from qa.ui.components.labels import isolated, speaker_label
from qa.ui.components.time import clock, format_datetime
from qa.ui.components.transcript import rtl_markdown
from qa.ui.components.verdicts import seek_audio
from qa.ui.navigation import pages_for, switch_to
from qa.ui.session import cached, current_viewer

CALL_KEY = "review_call_id"  # the call the Call review page opens
load_hits = cached(search_transcripts)


def render() -> None:
    viewer = current_viewer()
    st.title(_("Search"))
    query = st.text_input(
        _("Words in the transcripts"),
        key="search-query",
        placeholder=_("e.g. refund, спасибо, ممنون"),
    )
    if not query.strip():
        return
    try:
        hits = load_hits(viewer, query)
    except SearchInvalid as invalid:
        st.info(str(invalid))
        return
    if not hits:
        st.info(_("No transcript contains all of these words."))
        return
    st.caption(
        ngettext(
            "{count} matching utterance, newest calls first.",
            "{count} matching utterances, newest calls first.",
            len(hits),
        ).format(count=digits(str(len(hits))))
    )
    can_open = "call_review" in pages_for(viewer.role)
    for index, hit in enumerate(hits):
        _hit(index, hit, can_open)


def _hit(index: int, hit: TranscriptHit, can_open: bool) -> None:
    with st.container(border=True):
        left, right = st.columns([5, 1])
        agent = hit.agent or _("no agent")
        left.markdown(
            f"**{isolated(hit.external_id)}** · {agent} · {format_datetime(hit.started_at)} · "
            f"{speaker_label(hit.speaker)} {clock(hit.start)}",
            unsafe_allow_html=True,
        )
        with left:
            rtl_markdown(hit.text)
        if can_open and right.button(
            _("Open"), key=f"search-open-{index}", icon=":material/headphones:"
        ):
            st.session_state[CALL_KEY] = hit.call_id
            seek_audio(hit.start)
            switch_to("call_review")
