"""Where a signed-in user lands when their role has no page installed yet."""

from __future__ import annotations

import streamlit as st

from qa.i18n import _
from qa.ui.session import current_viewer


def render() -> None:
    viewer = current_viewer()
    st.title("callqa")
    st.info(
        _("Signed in as {username}. No pages are available to your role yet.").format(
            username=viewer.username
        )
    )
