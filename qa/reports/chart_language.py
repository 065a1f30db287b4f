"""A Plotly figure in its reader's language: direction, font, digits, decimal mark and calendar.

Plotly.js writes numbers with Latin digits and dates in English Gregorian whatever the page's
language, and has no digit setting. So for a language with its own digits (Persian) every number
and date a reader sees is written here, with `qa.locale_format`: axis ticks as tickvals/ticktext,
hover values as pre-formatted strings the hover template points to. A language with Latin digits
only needs Plotly's `separators` (Russian's decimal comma) and its own dates on date axes.
Every chart, on the pages and in the monthly report, goes through `in_reading_language`.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from babel import Locale

from languages import SOURCE_LANGUAGE, Digits, Language
from qa.i18n import current_language
from qa.locale_format import format_date, number

# The most ticks a value or date axis gets: more would crowd a 340-pixel chart.
MOST_TICKS = 8
# The hover template's references to a value: %{x}, %{y}, %{customdata[2]}, with a format or not.
_REFERENCE = re.compile(r"%\{(x|y|customdata\[(\d+)\])(?::[^}]*)?\}")


def in_reading_language(figure: go.Figure) -> go.Figure:
    """The figure as its reader reads: mirrored for right to left, numbers and dates localised."""
    language = current_language()
    if language.code == SOURCE_LANGUAGE:
        return figure
    if language.rtl:
        _mirror(figure)
    figure.update_layout(separators=_separators(language))
    for axis in _axes(figure):
        values = _values_on(figure, axis)
        if _are_dates(values):
            _calendar_ticks(figure.layout[axis], values)
        elif language.digits is not Digits.latin and _are_numbers(values):
            _number_ticks(figure, axis, values, language)
    if language.digits is not Digits.latin:
        for trace in figure.data:
            _localise_hover(trace, language)
    return figure


def _mirror(figure: go.Figure) -> None:
    figure.update_xaxes(autorange="reversed")
    figure.update_yaxes(side="right")
    figure.update_layout(
        font={"family": "Vazirmatn, sans-serif"},
        title={"x": 0.98, "xanchor": "right"},
        legend={"x": 0, "xanchor": "left"},
    )
    if "yaxis2" in figure.layout and figure.layout.yaxis2.overlaying:
        figure.update_layout(yaxis2={"side": "left"})


def _separators(language: Language) -> str:
    """Plotly's decimal mark and thousands separator: '٫٬' in Persian, ', ' in Russian."""
    symbols = Locale.parse(language.locale).number_symbols["latn"]
    if language.digits is not Digits.latin:
        return "٫٬"
    return str(symbols["decimal"]) + str(symbols["group"]).replace("\u202f", " ")


def _axes(figure: go.Figure) -> list[str]:
    """The layout names of the axes the traces use ('xaxis', 'yaxis2'), the default ones first."""
    names = {"xaxis", "yaxis"}
    for trace in figure.data:
        for letter in ("x", "y"):
            reference = getattr(trace, f"{letter}axis", None) or letter
            names.add(f"{letter}axis{reference[1:]}")
    return sorted(names)


def _values_on(figure: go.Figure, axis: str) -> list[Any]:
    letter, suffix = axis[0], axis[len("xaxis") :]
    values: list[Any] = []
    for trace in figure.data:
        if (getattr(trace, f"{letter}axis", None) or letter) == letter + suffix:
            column = getattr(trace, letter, None)
            values.extend(list(column) if column is not None else [])
    return values


def _are_dates(values: list[Any]) -> bool:
    if not values:
        return False
    if all(isinstance(v, date) for v in values):  # datetime and pd.Timestamp are dates too
        return True
    return pd.api.types.is_datetime64_any_dtype(pd.Series(values))


def _are_numbers(values: list[Any]) -> bool:
    return bool(values) and pd.api.types.is_numeric_dtype(pd.Series(values).dropna())


def _calendar_ticks(axis: Any, values: list[Any]) -> None:
    days = sorted({pd.Timestamp(v).date() for v in values})
    shown = days[:: max(1, math.ceil(len(days) / MOST_TICKS))]
    axis.update(
        tickvals=[datetime.combine(day, time()) for day in shown],
        ticktext=[format_date(day) for day in shown],
    )


def _number_ticks(figure: go.Figure, axis: str, values: list[Any], language: Language) -> None:
    """Ticks at round steps over the axis range (or the data's, with zero for bars)."""
    layout_axis = figure.layout[axis]
    if layout_axis.tickvals is not None or layout_axis.type == "category":
        return
    if layout_axis.range is not None:
        low, high = (float(v) for v in layout_axis.range)
    else:
        finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
        bars = any(trace.type == "bar" for trace in figure.data)
        low = min([*finite, 0.0] if bars else finite or [0.0])
        high = max(finite or [1.0])
    step = _round_step((high - low) / (MOST_TICKS - 2) or 1.0)
    if all(float(v).is_integer() for v in values if v is not None):
        step = max(step, 1.0)  # counts: no tick at half a call
    decimals = max(0, -math.floor(math.log10(step)))
    first = math.ceil(low / step) * step
    ticks = [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]
    layout_axis.update(
        tickvals=ticks, ticktext=[number(tick, decimals, language) for tick in ticks]
    )


def _round_step(rough: float) -> float:
    """The 1, 2 or 5 times a power of ten nearest above `rough`."""
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough)


def _localise_hover(trace: Any, language: Language) -> None:
    """Point the trace's hover template at strings written in the reader's digits.

    The strings are appended to customdata, after what a click reads (see drilldown)."""
    if not hasattr(trace, "hovertemplate"):
        return
    template = trace.hovertemplate or _default_template(trace)
    referenced = {match.group(1) for match in _REFERENCE.finditer(template)}
    columns = {k: v for k, v in _hover_columns(trace).items() if k in referenced}
    columns.setdefault("x", None)
    columns.setdefault("y", None)
    points = max(_length(trace.x), _length(trace.y))
    if not points:
        return
    customdata = [list(row) for row in trace.customdata] if trace.customdata is not None else []
    customdata += [[] for _ in range(points - len(customdata))]
    width = max((len(row) for row in customdata), default=0)
    added: dict[str, int] = {}
    for name, column in columns.items():
        if column is None or not (_are_numbers(list(column)) or _are_dates(list(column))):
            continue
        added[name] = width + len(added)
        for row, value in zip(customdata, column, strict=True):
            row.extend([None] * (width - len(row)))
            row.append(_written(value, language))
    if not added:
        return

    def localised(match: re.Match[str]) -> str:
        index = added.get(match.group(1))
        return match.group(0) if index is None else f"%{{customdata[{index}]}}"

    trace.update(customdata=customdata, hovertemplate=_REFERENCE.sub(localised, template))


def _length(column: Any) -> int:
    return 0 if column is None else len(column)


def _hover_columns(trace: Any) -> dict[str, Any]:
    columns: dict[str, Any] = {"x": trace.x, "y": trace.y}
    if trace.customdata is not None:
        for index, column in enumerate(zip(*trace.customdata, strict=True)):
            columns[f"customdata[{index}]"] = column
    return columns


def _default_template(trace: Any) -> str:
    """What Plotly shows on hover without a template: the point's x and y and the trace name."""
    return f"%{{x}}<br>%{{y}}<extra>{trace.name or ''}</extra>"


def _written(value: Any, language: Language) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if _are_dates([value]):
        return format_date(pd.Timestamp(value).date(), language)
    rounded = round(float(value), 2)
    decimals = 0 if rounded == int(rounded) else (1 if round(rounded, 1) == rounded else 2)
    return number(rounded, decimals, language)
