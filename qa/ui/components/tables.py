"""Tables drawn in the reader's direction: for a right-to-left language the first column is on
the right. Streamlit's grid is drawn on a canvas that CSS cannot mirror, so the columns are
put in reverse order instead."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from qa.i18n import current_language


def in_reading_order(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame.columns[::-1]] if current_language().rtl else frame


def show_table(frame: pd.DataFrame, **options: Any) -> None:
    """st.dataframe without the index, stretched, columns in reading order."""
    options.setdefault("hide_index", True)
    options.setdefault("width", "stretch")
    st.dataframe(in_reading_order(frame), **options)
