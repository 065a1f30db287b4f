"""A dashboard chart whose points can be clicked to list the calls behind them.

Each chart carries what a click needs in plotly's customdata (see qa.reports.charts); the
parsers below turn a selected point back into the query's ChartPoint.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from qa.i18n import _, ngettext
from qa.locale_format import digits
from qa.queries.access import Viewer
from qa.queries.drilldown import ChartPoint, CriterionBar, ScoreBand, WeekPoint, calls_behind
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.ui.components.scorecard_text import scorecard_title
from qa.ui.components.tables import show_table
from qa.ui.components.time import format_datetime
from qa.ui.navigation import pages_for
from qa.ui.session import cached

PointParser = Callable[[list[Any]], ChartPoint]
load_calls_behind = cached(calls_behind)


def week_point(by: Literal["team", "agent"]) -> PointParser:
    def parse(data: list[Any]) -> ChartPoint:
        group = data[1]
        missing = group is None or (isinstance(group, float) and math.isnan(group))
        return WeekPoint(date.fromisoformat(str(data[0])), by, None if missing else int(group))

    return parse


def criterion_bar(data: list[Any]) -> ChartPoint:
    return CriterionBar(str(data[0]), str(data[1]))


def score_band(data: list[Any]) -> ChartPoint:
    return ScoreBand(int(data[0]))


def chart_with_drilldown(
    figure: go.Figure, key: str, parse: PointParser, view: EvaluationFilter, viewer: Viewer
) -> None:
    event = st.plotly_chart(
        figure, width="stretch", on_select="rerun", selection_mode="points", key=key
    )
    points = event.selection.points if event is not None else []
    chosen = [p for p in points if p.get("customdata")]
    if not chosen:
        st.caption(_("Click a point or bar to list the calls behind it."))
        return
    calls = load_calls_behind(viewer, view, parse(list(chosen[0]["customdata"])))
    st.caption(
        ngettext(
            "{count} call behind the selected point, newest first.",
            "{count} calls behind the selected point, newest first.",
            len(calls),
        ).format(count=digits(str(len(calls))))
    )
    frame = pd.DataFrame(
        {
            _("Call"): c.external_id,
            _("Started"): format_datetime(c.started_at),
            _("Agent"): c.agent or "",
            _("Scorecard"): scorecard_title(c.scorecard_key, c.scorecard_key),
            _("Score"): round(c.score, 1),
            _("Passed"): "✓" if c.passed else "✗",
            "open": f"call_review?call={c.call_id}",
        }
        for c in calls
    )
    config: dict[str, Any] = {"open": None}
    if "call_review" in pages_for(viewer.role):
        config["open"] = st.column_config.LinkColumn(_("Open"), display_text=_("Open call"))
    show_table(frame, column_config=config, key=f"{key}-calls")
