"""Tables drawn in the reader's direction and digits.

For a right-to-left language the first column is on the right: Streamlit's grid is drawn on a
canvas that CSS cannot mirror, so the columns are put in reverse order instead. Numbers keep
their numeric values (the grid sorts a column by them) and are shown through a pandas Styler
written in the reader's digits and decimal mark: Streamlit's own NumberColumn formats (printf or
the browser's locale) cannot write Persian digits, nor follow the language the user chose.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from languages import SOURCE_LANGUAGE
from qa.i18n import current_language
from qa.locale_format import number


def in_reading_order(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame.columns[::-1]] if current_language().rtl else frame


def in_reading_digits(frame: pd.DataFrame) -> pd.DataFrame | Styler:
    """The frame, its numeric columns shown as the reader writes numbers ('۸۲٫۵', '82,5')."""
    if current_language().code == SOURCE_LANGUAGE:
        return frame
    numeric = [
        column
        for column in frame.columns
        if pd.api.types.is_numeric_dtype(frame[column])
        and not pd.api.types.is_bool_dtype(frame[column])
    ]
    if not numeric:
        return frame
    return frame.style.format(
        {column: _number_writer(frame[column]) for column in numeric}, na_rep="—"
    )


def _number_writer(column: pd.Series) -> Any:
    """Written with as many decimals as the column's values have (two at most)."""
    decimals = 0
    if pd.api.types.is_float_dtype(column):
        values = column.dropna()
        decimals = next((d for d in (0, 1) if (values.round(d) == values.round(2)).all()), 2)
    return lambda value: number(value, decimals)


def show_table(frame: pd.DataFrame, **options: Any) -> None:
    """st.dataframe without the index, stretched, columns in reading order, reader's digits."""
    options.setdefault("hide_index", True)
    options.setdefault("width", "stretch")
    st.dataframe(in_reading_digits(in_reading_order(frame)), **options)
