"""Clearing a form once what was typed is stored, in a way the browser sees.

Deleting a widget's key from the session state resets it on the server only: the browser keeps
showing the old text. Setting the value before the widget is drawn sends it to the browser, so a
stored form asks for its fields to be reset on the next run, and the page applies that first.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

PENDING_KEY = "pending-field-values"


def reset_fields_next_run(values: Mapping[str, object]) -> None:
    """Give these widget keys these values at the start of the next run."""
    pending = dict(st.session_state.get(PENDING_KEY, {}))
    pending.update(values)
    st.session_state[PENDING_KEY] = pending


def apply_field_resets() -> None:
    """Call before drawing any widget: applies what `reset_fields_next_run` asked for."""
    for key, value in st.session_state.pop(PENDING_KEY, {}).items():
        st.session_state[key] = value
