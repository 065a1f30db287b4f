"""callqa's web app: `streamlit run app.py`. Builds the navigation of the signed-in role."""

from __future__ import annotations

import streamlit as st

from qa.auth import record_session_end
from qa.i18n import _
from qa.ui.components.labels import role_name
from qa.ui.components.language import apply_language, language_picker
from qa.ui.navigation import pages_for, sign_in_pages, streamlit_page
from qa.ui.session import (
    LINK_REFUSED,
    db_session,
    remember_link,
    sign_out,
    signed_in_viewer,
    take_remembered_link,
    write_session_cookie,
)

st.set_page_config(page_title="callqa", page_icon=":material/support_agent:", layout="wide")

viewer = signed_in_viewer()
write_session_cookie()
apply_language(viewer)
if viewer is None:
    remember_link()
    page = st.navigation(sign_in_pages(), position="hidden")
else:
    keys = pages_for(viewer.role) or ["welcome"]
    page = st.navigation([streamlit_page(key, default=i == 0) for i, key in enumerate(keys)])
    if link := take_remembered_link():
        if target := link.page_in(keys):
            st.switch_page(streamlit_page(target), query_params=link.query)
        else:
            st.error(_(LINK_REFUSED[link.parameter]))
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
