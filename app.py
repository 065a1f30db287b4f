"""callqa's web app: `streamlit run app.py`. Builds the navigation of the signed-in role."""

from __future__ import annotations

import streamlit as st

from qa.auth import record_session_end
from qa.i18n import _
from qa.ui.components.labels import role_name
from qa.ui.components.language import apply_language, language_picker
from qa.ui.navigation import pages_for, streamlit_page
from qa.ui.session import db_session, sign_out, signed_in_viewer

st.set_page_config(page_title="callqa", page_icon=":material/support_agent:", layout="wide")

viewer = signed_in_viewer()
apply_language(viewer)
if viewer is None:
    page = st.navigation([streamlit_page("login", default=True)], position="hidden")
else:
    keys = pages_for(viewer.role) or ["welcome"]
    page = st.navigation([streamlit_page(key, default=i == 0) for i, key in enumerate(keys)])
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
