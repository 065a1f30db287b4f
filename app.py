"""callqa's web app: `streamlit run app.py`. Builds the navigation of the signed-in role."""

from __future__ import annotations

import streamlit as st

from qa.auth import record_session_end
from qa.i18n import N_, _
from qa.ui.components.labels import role_name
from qa.ui.components.language import apply_language, language_picker
from qa.ui.navigation import pages_for, sign_in_pages, signed_in_pages, streamlit_page
from qa.ui.session import (
    LINK_REFUSED,
    db_session,
    remember_link,
    requested_link,
    sign_out,
    signed_in_viewer,
    take_remembered_link,
    write_session_cookie,
)

PAGE_REFUSED = N_("This page is not available to your role.")
REFUSAL_KEY = "refused_address"

st.set_page_config(page_title="callqa", page_icon=":material/support_agent:", layout="wide")

viewer = signed_in_viewer()
write_session_cookie()
apply_language(viewer)
if viewer is None:
    remember_link()
    page = st.navigation(sign_in_pages(), position="hidden")
else:
    keys = pages_for(viewer.role) or ["welcome"]
    page = st.navigation(signed_in_pages(keys))
    # A hidden page is the address of one the role does not have (an agent's `/review_queue`).
    hidden = page.visibility == "hidden"
    remembered = take_remembered_link()
    link = remembered or (requested_link() if hidden else None)
    if link and (target := link.page_in(keys)):
        st.switch_page(streamlit_page(target), query_params=link.query)
    refusal = LINK_REFUSED[remembered.parameter] if remembered else None
    if page.url_path == "":  # the root: the role's first page, under its own address
        st.switch_page(streamlit_page(keys[0]), query_params=st.query_params.to_dict())
    if hidden:
        # Home, with the reason kept across the switch (a signed-in `/login` needs none).
        st.session_state[REFUSAL_KEY] = refusal or (
            None if page.url_path == "login" else PAGE_REFUSED
        )
        st.switch_page(streamlit_page(keys[0]))
    if refusal := refusal or st.session_state.pop(REFUSAL_KEY, None):
        st.error(_(refusal))
    with st.sidebar:
        st.caption(
            _("Signed in as **{username}** ({role})").format(
                username=viewer.username, role=role_name(viewer.role)
            )
        )
        language_picker(viewer)
        if st.button(_("Sign out"), key="sign_out", icon=":material/logout:"):
            with db_session() as session:
                record_session_end(session, viewer, "auth.sign_out")
            sign_out()
            st.rerun()
page.run()
