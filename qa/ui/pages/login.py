"""The sign-in form: the only page anyone sees before signing in."""

from __future__ import annotations

import streamlit as st

from qa.auth import SignInFailed, authenticate
from qa.ui.session import db_session, session_message, sign_in


def render() -> None:
    st.title("callqa")
    st.caption("Quality review and coaching for contact centers")
    if message := session_message():
        st.warning(message)
    with st.form("sign_in"):
        username = st.text_input("Username", key="sign_in_username")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in", type="primary")
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
