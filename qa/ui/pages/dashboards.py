"""Dashboards: KPI tiles, score trends, criterion failure rates, score distribution, leaderboard.

For reviewers, coaches and admins over every client, and for client viewers over their own; the
query layer applies the scope, so the filters only ever narrow what the viewer may see.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from qa.i18n import _
from qa.queries.access import Viewer, ensure_role
from qa.queries.dashboard import (
    DASHBOARD_ROLES,
    agent_leaderboard,
    criterion_failure_rates,
    kpi_tiles,
    score_distribution,
    score_trend,
    scorecard_keys,
)
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.queries.politeness import politeness_trend
from qa.queries.users import filter_choices
from qa.reports.charts import (
    distribution_figure,
    failure_rate_figure,
    leaderboard_frame,
    trend_figure,
)
from qa.reports.kpis import KpiFigure, kpi_figures
from qa.ui.components.drilldown import (
    chart_with_drilldown,
    criterion_bar,
    score_band,
    week_point,
)
from qa.ui.components.politeness import politeness_trend as show_politeness_trend
from qa.ui.components.time import date_input_format, picked_date_range
from qa.ui.session import cached, current_viewer

load_choices = cached(filter_choices)
load_scorecards = cached(scorecard_keys)
load_tiles = cached(kpi_tiles)
load_trend = cached(score_trend)
load_failure_rates = cached(criterion_failure_rates)
load_distribution = cached(score_distribution)
load_leaderboard = cached(agent_leaderboard)
load_politeness = cached(politeness_trend)


def render() -> None:
    viewer = current_viewer()
    ensure_role(viewer, *DASHBOARD_ROLES)
    st.title("Dashboards")
    view = evaluation_filter(viewer, "dashboards")
    tiles = load_tiles(view, viewer)
    if tiles.evaluations == 0:
        st.info("No evaluated calls match these filters.")
        return
    _tiles(kpi_figures(tiles))
    _trends(viewer, view)
    left, right = st.columns(2)
    with left:
        rates = failure_rate_figure(load_failure_rates(view, viewer))
        chart_with_drilldown(rates, "dash-failures", criterion_bar, view, viewer)
    with right:
        bands = distribution_figure(load_distribution(view, viewer))
        chart_with_drilldown(bands, "dash-distribution", score_band, view, viewer)
    st.subheader("Agent leaderboard")
    st.dataframe(leaderboard_frame(load_leaderboard(view, viewer)), hide_index=True)
    _politeness(viewer, view)


def evaluation_filter(viewer: Viewer, key: str) -> EvaluationFilter:
    """The filter widgets (date range, client, team, agent, language, scorecard) of a page.

    The choices come from the viewer's own calls, so a client viewer is never offered another
    client; `key` keeps the widgets of two pages apart.
    """
    choices = load_choices(viewer)
    scorecards = load_scorecards(viewer)

    def pick(column: DeltaGenerator, label: str, options: dict[Any, str]) -> Any:
        return column.selectbox(
            label,
            [None, *options],
            format_func=lambda o: "All" if o is None else options[o],
            key=f"{key}-{label.lower()}",
        )

    top = st.columns([2, 1, 1, 1])
    dates = top[0].date_input(
        "Call dates", value=[], format=date_input_format(), key=f"{key}-dates"
    )
    client = pick(top[1], "Client", {c.id: c.label for c in choices.clients})
    team = pick(top[2], "Team", {c.id: c.label for c in choices.teams})
    agent = pick(top[3], "Agent", {c.id: c.label for c in choices.agents})
    bottom = st.columns([2, 1, 1, 1])
    language = pick(bottom[1], "Language", {lang: lang for lang in choices.languages})
    scorecard = pick(bottom[2], "Scorecard", {s: s for s in scorecards})
    start, end = picked_date_range(dates)
    return EvaluationFilter(
        start=start,
        end=end,
        client_id=client,
        team_id=team,
        agent_id=agent,
        language=language,
        scorecard_key=scorecard,
    )


def _tiles(figures: list[KpiFigure]) -> None:
    for row in (figures[:5], figures[5:]):
        columns = st.columns(5)
        for column, figure in zip(columns, row, strict=False):
            column.metric(figure.label, figure.value, help=figure.help)


def _trends(viewer: Viewer, view: EvaluationFilter) -> None:
    per_team, per_agent = st.tabs(["Per team", "Per agent"])
    with per_team:
        teams = trend_figure(load_trend(view, viewer, by="team"), "Team")
        chart_with_drilldown(teams, "dash-trend-team", week_point("team"), view, viewer)
    with per_agent:
        agents = trend_figure(load_trend(view, viewer, by="agent"), "Agent")
        chart_with_drilldown(agents, "dash-trend-agent", week_point("agent"), view, viewer)


def _politeness(viewer: Viewer, view: EvaluationFilter) -> None:
    per_team, per_agent = st.tabs([_("Politeness per team"), _("Politeness per agent")])
    with per_team:
        show_politeness_trend(load_politeness(view, viewer, by="team"), _("Team"))
    with per_agent:
        show_politeness_trend(load_politeness(view, viewer, by="agent"), _("Agent"))
