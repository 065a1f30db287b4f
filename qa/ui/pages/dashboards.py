"""Dashboards: KPI tiles, score trends, criterion failure rates, score distribution, leaderboard.

For reviewers, coaches and admins over every client, and for client viewers over their own; the
query layer applies the scope, so the filters only ever narrow what the viewer may see.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from qa.i18n import _
from qa.locale_format import week_start_day
from qa.queries.access import Viewer, ensure_role
from qa.queries.dashboard import (
    DASHBOARD_ROLES,
    agent_leaderboard,
    criterion_failure_rates,
    kpi_tiles,
    score_distribution,
    score_trend,
    scorecard_keys,
    scorecard_versions,
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
from qa.ui.components.labels import language_label
from qa.ui.components.politeness import politeness_trend as show_politeness_trend
from qa.ui.components.scorecard_text import scorecard_title, with_criterion_names
from qa.ui.components.tables import show_table
from qa.ui.components.time import date_range_field
from qa.ui.session import cached, current_viewer

load_choices = cached(filter_choices)
load_scorecards = cached(scorecard_keys)
load_versions = cached(scorecard_versions)
load_tiles = cached(kpi_tiles)
load_trend = cached(score_trend)
load_failure_rates = cached(criterion_failure_rates)
load_distribution = cached(score_distribution)
load_leaderboard = cached(agent_leaderboard)
load_politeness = cached(politeness_trend)


def render() -> None:
    viewer = current_viewer()
    ensure_role(viewer, *DASHBOARD_ROLES)
    st.title(_("Dashboards"))
    view = evaluation_filter(viewer, "dashboards")
    tiles = load_tiles(view, viewer)
    if tiles.evaluations == 0:
        st.info(_("No evaluated calls match these filters."))
        return
    _tiles(kpi_figures(tiles))
    _trends(viewer, view)
    left, right = st.columns(2)
    with left:
        rates = failure_rate_figure(with_criterion_names(load_failure_rates(view, viewer)))
        chart_with_drilldown(rates, "dash-failures", criterion_bar, view, viewer)
    with right:
        bands = distribution_figure(load_distribution(view, viewer))
        chart_with_drilldown(bands, "dash-distribution", score_band, view, viewer)
    st.subheader(_("Agent leaderboard"))
    show_table(leaderboard_frame(load_leaderboard(view, viewer)), width="content")
    _politeness(viewer, view)


def evaluation_filter(viewer: Viewer, key: str) -> EvaluationFilter:
    """The filter widgets (date range, client, team, agent, language, scorecard) of a page.

    The choices come from the viewer's own calls, so a client viewer is never offered another
    client; `key` keeps the widgets of two pages apart.
    """
    choices = load_choices(viewer)
    scorecards = load_scorecards(viewer)

    def pick(column: DeltaGenerator, name: str, label: str, options: dict[Any, str]) -> Any:
        # Keyed by the English name, so a choice survives a change of language.
        return column.selectbox(
            label,
            [None, *options],
            format_func=lambda o: _("All") if o is None else options[o],
            key=f"{key}-{name}",
        )

    top = st.columns([2, 1, 1, 1])
    start, end = date_range_field(_("Call dates"), f"{key}-dates", top[0])
    client = pick(top[1], "client", _("Client"), {c.id: c.label for c in choices.clients})
    team = pick(top[2], "team", _("Team"), {c.id: c.label for c in choices.teams})
    agent = pick(top[3], "agent", _("Agent"), {c.id: c.label for c in choices.agents})
    bottom = st.columns([2, 1, 1, 1])
    languages = {code: language_label(code) for code in choices.languages}
    language = pick(bottom[1], "language", _("Language"), languages)
    names = {s: scorecard_title(s, s) for s in scorecards}
    scorecard = pick(bottom[2], "scorecard", _("Scorecard"), names)
    version = _version_pick(bottom[3], viewer, scorecard, key)
    return EvaluationFilter(
        start=start,
        end=end,
        client_id=client,
        team_id=team,
        agent_id=agent,
        language=language,
        scorecard_key=scorecard,
        scorecard_version_id=version,
    )


def _version_pick(
    column: DeltaGenerator, viewer: Viewer, scorecard: str | None, key: str
) -> int | None:
    """One version of the picked scorecard, or all of them (the default: history is kept)."""
    versions = {v.id: v for v in load_versions(viewer, scorecard)} if scorecard else {}

    def label(version_id: int | None) -> str:
        if version_id is None:
            return _("All versions")
        choice = versions[version_id]
        return (
            _("{version} (active)").format(version=choice.label) if choice.active else choice.label
        )

    return column.selectbox(
        _("Version"),
        [None, *versions],
        format_func=label,
        key=f"{key}-version-{scorecard}",
        disabled=len(versions) < 2,
        help=_("Pick a scorecard to compare its versions; every version counts by default."),
    )


def _tiles(figures: list[KpiFigure]) -> None:
    for row in (figures[:5], figures[5:]):
        columns = st.columns(5)
        for column, figure in zip(columns, row, strict=False):
            column.metric(figure.label, figure.value, help=figure.help)


def _trends(viewer: Viewer, view: EvaluationFilter) -> None:
    first_day = week_start_day()
    per_team, per_agent = st.tabs([_("Per team"), _("Per agent")])
    with per_team:
        points = load_trend(view, viewer, by="team", week_starts_on=first_day)
        teams = trend_figure(points, _("Team"))
        chart_with_drilldown(teams, "dash-trend-team", week_point("team"), view, viewer)
    with per_agent:
        points = load_trend(view, viewer, by="agent", week_starts_on=first_day)
        agents = trend_figure(points, _("Agent"))
        chart_with_drilldown(agents, "dash-trend-agent", week_point("agent"), view, viewer)


def _politeness(viewer: Viewer, view: EvaluationFilter) -> None:
    first_day = week_start_day()
    per_team, per_agent = st.tabs([_("Politeness per team"), _("Politeness per agent")])
    with per_team:
        teams = load_politeness(view, viewer, by="team", week_starts_on=first_day)
        show_politeness_trend(teams, _("Team"))
    with per_agent:
        agents = load_politeness(view, viewer, by="agent", week_starts_on=first_day)
        show_politeness_trend(agents, _("Agent"))
