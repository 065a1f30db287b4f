"""Where a signed-in user lands when their role has no page installed yet."""

from __future__ import annotations

import streamlit as st

from qa.ui.session import current_viewer


def render() -> None:
    viewer = current_viewer()
    st.title("callqa")
    st.info(f"Signed in as {viewer.username}. No pages are available to your role yet.")
