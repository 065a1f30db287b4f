"""Plotly figures of the dashboard aggregations, drawn once for the pages and the report.

Every figure accepts an empty list (an empty chart), so no caller has to guard against one.
Titles, axes and legends are in the current language; for a right-to-left language the
figure is mirrored (values grow leftwards, the value axis and the title on the right).
"""

from __future__ import annotations

from datetime import date, datetime, time

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from languages import Calendar
from qa.i18n import N_, _, current_language
from qa.locale_format import digits, format_date, week_start_day, weekday_name
from qa.queries.dashboard import AgentSummary, CriterionFailureRate, ScoreBucket, TrendPoint

LAYOUT = {"height": 340, "margin": {"l": 10, "r": 10, "t": 40, "b": 10}}


def in_reading_direction(figure: go.Figure) -> go.Figure:
    """Mirror a figure for a right-to-left reader and set the language's font."""
    language = current_language()
    if not language.rtl:
        return figure
    figure.update_xaxes(autorange="reversed")
    figure.update_yaxes(side="right")
    figure.update_layout(
        font={"family": "Vazirmatn, sans-serif"},
        title={"x": 0.98, "xanchor": "right"},
        legend={"x": 0, "xanchor": "left"},
    )
    if "yaxis2" in figure.layout and figure.layout.yaxis2.overlaying:
        figure.update_layout(yaxis2={"side": "left"})
    return figure


def calendar_ticks(figure: go.Figure, days: list[date]) -> go.Figure:
    """A date axis labelled in the reader's calendar: Plotly itself only knows Gregorian."""
    if current_language().calendar is Calendar.gregorian:
        return figure
    ticks = sorted(set(days))
    figure.update_xaxes(
        tickvals=[datetime.combine(day, time()) for day in ticks],
        ticktext=[format_date(day) for day in ticks],
    )
    return figure


def trend_figure(points: list[TrendPoint], group_label: str) -> go.Figure:
    """Weekly average score, one line per team or agent.

    Weeks are categories named by their first day (the language's week start, which the query
    grouped by): a date axis over one or two weeks would be scaled in milliseconds.
    """
    week, average = _("Week"), _("Average score")
    pass_rate, count = _("Pass rate"), _("Evaluations")
    weeks = [format_date(day) for day in sorted({p.week for p in points})]
    frame = pd.DataFrame(
        [
            {
                week: format_date(p.week),
                group_label: p.group_name,
                average: round(p.average_score, 1),
                pass_rate: round(100 * p.pass_rate),
                count: p.evaluations,
            }
            for p in points
        ],
        columns=[week, group_label, average, pass_rate, count],
    )
    title = _("Score trend per {group} (weeks from {weekday})").format(
        group=group_label.lower(), weekday=weekday_name(week_start_day())
    )
    figure = px.line(
        frame,
        x=week,
        y=average,
        color=group_label,
        markers=True,
        hover_data=[pass_rate, count],
        range_y=[0, 105],
        category_orders={week: weeks},
        title=title,
    )
    figure.update_xaxes(type="category")
    figure.update_layout(**LAYOUT)
    return in_reading_direction(figure)


def failure_rate_figure(rates: list[CriterionFailureRate], limit: int = 15) -> go.Figure:
    """The most often failed criteria, as a horizontal bar of failure rates."""
    shown = rates[:limit]
    criterion, rate = _("Criterion"), _("Failure rate (%)")
    failed, applicable = _("Failed"), _("Applicable")
    frame = pd.DataFrame(
        [
            {
                criterion: f"{r.name} ({r.scorecard_key})",
                rate: round(100 * r.failure_rate, 1),
                failed: r.failed,
                applicable: r.applicable,
            }
            for r in shown
        ],
        columns=[criterion, rate, failed, applicable],
    )
    figure = px.bar(
        frame,
        x=rate,
        y=criterion,
        orientation="h",
        hover_data=[failed, applicable],
        range_x=[0, 100],
        title=_("Criterion failure rates"),
    )
    figure.update_layout(**LAYOUT)
    in_reading_direction(figure)
    figure.update_yaxes(autorange="reversed")  # most failed on top, in either direction
    return figure


def distribution_figure(buckets: list[ScoreBucket]) -> go.Figure:
    score, count = _("Score"), _("Evaluations")
    frame = pd.DataFrame(
        [{score: digits(f"{b.lower}-{b.upper}"), count: b.evaluations} for b in buckets],
        columns=[score, count],
    )
    figure = px.bar(frame, x=score, y=count, title=_("Score distribution"))
    figure.update_layout(**LAYOUT)
    return in_reading_direction(figure)


def pareto_figure(rates: list[CriterionFailureRate]) -> go.Figure:
    """Failures per criterion, most first, with the cumulative share of all failures."""
    failed = sorted((r for r in rates if r.failed), key=lambda r: (-r.failed, r.name))
    total = sum(r.failed for r in failed)
    names = [r.name for r in failed]
    cumulative: list[float] = []
    running = 0
    for r in failed:
        running += r.failed
        cumulative.append(round(100 * running / total, 1))
    figure = go.Figure()
    figure.add_bar(x=names, y=[r.failed for r in failed], name=_("Failed"))
    cumulative_label = _("Cumulative %")
    figure.add_scatter(
        x=names, y=cumulative, name=cumulative_label, yaxis="y2", mode="lines+markers"
    )
    figure.update_layout(
        title=_("Most failed criteria (Pareto)"),
        yaxis={"title": _("Failed verdicts")},
        yaxis2={"title": cumulative_label, "overlaying": "y", "side": "right", "range": [0, 105]},
        legend={"orientation": "h"},
        **LAYOUT,
    )
    return in_reading_direction(figure)


LEADERBOARD_COLUMNS = [
    N_("Rank"), N_("Agent"), N_("Team"), N_("Evaluations"), N_("Average score"),
    N_("Pass rate (%)"), N_("Critical fails"),
]  # fmt: skip


def leaderboard_frame(agents: list[AgentSummary]) -> pd.DataFrame:
    rows = [
        (rank, a.agent_name, a.team_name, a.evaluations, round(a.average_score, 1),
         round(100 * a.pass_rate), a.critical_fails)
        for rank, a in enumerate(agents, start=1)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=[_(column) for column in LEADERBOARD_COLUMNS])
