"""The sign-in form: the only page anyone sees before signing in."""

from __future__ import annotations

import streamlit as st

from qa.auth import SignInFailed, authenticate
from qa.i18n import _
from qa.ui.components.language import sign_in_language_picker
from qa.ui.session import db_session, session_message, sign_in


def render() -> None:
    st.title("callqa")
    st.caption(_("Quality review and coaching for contact centers"))
    sign_in_language_picker()
    if message := session_message():
        st.warning(message)
    with st.form("sign_in"):
        username = st.text_input(_("Username"), key="sign_in_username")
        password = st.text_input(_("Password"), type="password", key="sign_in_password")
        submitted = st.form_submit_button(_("Sign in"), type="primary")
    if not submitted:
        return
    with db_session() as session:
        # Caught inside the unit of work so the failed attempt's audit entry is committed.
        try:
            viewer = authenticate(session, username, password)
        except SignInFailed as failure:
            st.error(str(failure))
            return
    sign_in(viewer)
    st.rerun()
