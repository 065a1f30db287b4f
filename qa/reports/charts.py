"""Plotly figures of the dashboard aggregations, drawn once for the pages and the report.

Every figure accepts an empty list (an empty chart), so no caller has to guard against one.
Titles, axes and legends are in the current language; for a right-to-left language the
figure is mirrored (values grow leftwards, the value axis and the title on the right) and
its numbers and dates are written as the reader writes them (see chart_language).
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from qa.i18n import N_, _, current_language
from qa.locale_format import digits, format_date, week_start_day, weekday_name
from qa.queries.dashboard import AgentSummary, CriterionFailureRate, ScoreBucket, TrendPoint
from qa.queries.politeness import PolitenessWeek
from qa.reports.chart_language import in_reading_language

LAYOUT = {"height": 340, "margin": {"l": 10, "r": 10, "t": 40, "b": 10}}
# Okabe-Ito: told apart with colour-blindness and in greyscale print (with the dash patterns).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
# A4 portrait less 12 mm margins at 96 dpi: the report's charts fit the page as drawn on screen.
PRINT_WIDTH = 700


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
                "week_start": p.week.isoformat(),
                "group_id": p.group_id,
                group_label: p.group_name,
                average: round(p.average_score, 1),
                pass_rate: round(100 * p.pass_rate),
                count: p.evaluations,
            }
            for p in points
        ],
        columns=[week, "week_start", "group_id", group_label, average, pass_rate, count],
    )
    title = _("Score trend per {group} (weeks from {weekday})").format(
        group=group_label.lower(), weekday=weekday_name(week_start_day())
    )
    figure = px.line(
        frame,
        x=week,
        y=average,
        color=group_label,
        # Dash and marker per group too: teams with equal scores draw one line over another.
        line_dash=group_label,
        symbol=group_label,
        color_discrete_sequence=PALETTE,
        markers=True,
        custom_data=["week_start", "group_id"],  # what a click on a point drills down to
        hover_data=[pass_rate, count],
        range_y=[0, 105],
        category_orders={week: weeks},
        title=title,
    )
    figure.update_xaxes(type="category")
    figure.update_layout(**LAYOUT)
    return in_reading_language(figure)


def politeness_figure(points: list[PolitenessWeek], group_label: str) -> go.Figure:
    """Weekly mean politeness (0-1), one line per group and call language: the model's level
    differs between languages, so a Russian line is not compared with an English one."""
    weeks = [format_date(day) for day in sorted({p.week for p in points})]
    line, mean, lowest, calls = _("Line"), _("Mean politeness"), _("Least polite"), _("Calls")
    frame = pd.DataFrame(
        [
            {
                _("Week"): format_date(p.week),
                line: f"{p.group_name} ({p.language})" if p.group_name else p.language,
                mean: round(p.mean, 2),
                lowest: round(p.lowest, 2),
                calls: p.calls,
            }
            for p in points
        ],
        columns=[_("Week"), line, mean, lowest, calls],
    )
    figure = px.line(
        frame,
        x=_("Week"),
        y=mean,
        color=line,
        line_dash=line,
        symbol=line,
        color_discrete_sequence=PALETTE,
        markers=True,
        hover_data=[lowest, calls],
        range_y=[0, 1.05],
        category_orders={_("Week"): weeks},
        title=_("Politeness per {group} and language (weeks from {weekday})").format(
            group=group_label.lower(), weekday=weekday_name(week_start_day())
        ),
    )
    figure.update_xaxes(type="category")
    figure.update_layout(**LAYOUT)
    return in_reading_language(figure)


def print_ready(figure: go.Figure) -> go.Figure:
    """A light, legible version of a figure for the report: on screen, printed and as PDF."""
    figure.update_layout(
        template="plotly_white",
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={
            # Vazirmatn first for Persian: the report's page serves it like the app does.
            "family": ("Vazirmatn, " if current_language().rtl else "")
            + "Noto Sans, DejaVu Sans, Arial, sans-serif",
            "size": 13,
            "color": "#1f2933",
        },
        colorway=PALETTE,
        width=PRINT_WIDTH,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0},
    )
    figure.update_traces(marker_color=PALETTE[0], selector={"type": "bar"})
    axes = {"automargin": True, "gridcolor": "#d9e2ec", "linecolor": "#52606d", "showline": True}
    figure.update_xaxes(**axes)
    figure.update_yaxes(**axes)
    return figure


def _wrapped(label: str, width: int = 28) -> str:
    """Long category labels on two lines, so a narrow chart does not squeeze the plot away."""
    if len(label) <= width:
        return label
    cut = label.rfind(" ", 0, width)
    cut = cut if cut > 0 else width
    return f"{label[:cut]}<br>{label[cut:].strip()}"


def failure_rate_figure(rates: list[CriterionFailureRate], limit: int = 15) -> go.Figure:
    """The most often failed criteria, as a horizontal bar of failure rates."""
    shown = rates[:limit]
    criterion, rate = _("Criterion"), _("Failure rate (%)")
    failed, applicable = _("Failed"), _("Applicable")
    frame = pd.DataFrame(
        [
            {
                criterion: _wrapped(f"{r.name} ({r.scorecard_key})"),
                rate: round(100 * r.failure_rate, 1),
                failed: r.failed,
                applicable: r.applicable,
                "scorecard_key": r.scorecard_key,
                "criterion": r.criterion,
            }
            for r in shown
        ],
        columns=[criterion, rate, failed, applicable, "scorecard_key", "criterion"],
    )
    figure = px.bar(
        frame,
        x=rate,
        y=criterion,
        orientation="h",
        custom_data=["scorecard_key", "criterion"],
        hover_data=[failed, applicable],
        range_x=[0, 100],
        title=_("Criterion failure rates"),
    )
    figure.update_layout(**LAYOUT)
    in_reading_language(figure)
    figure.update_yaxes(autorange="reversed")  # most failed on top, in either direction
    return figure


def distribution_figure(buckets: list[ScoreBucket]) -> go.Figure:
    score, count = _("Score"), _("Evaluations")
    frame = pd.DataFrame(
        [
            {score: digits(f"{b.lower}-{b.upper}"), count: b.evaluations, "lower": b.lower}
            for b in buckets
        ],
        columns=[score, count, "lower"],
    )
    figure = px.bar(frame, x=score, y=count, custom_data=["lower"], title=_("Score distribution"))
    figure.update_layout(**LAYOUT)
    return in_reading_language(figure)


def pareto_figure(rates: list[CriterionFailureRate]) -> go.Figure:
    """Failures per criterion, most first, with the cumulative share of all failures."""
    failed = sorted((r for r in rates if r.failed), key=lambda r: (-r.failed, r.name))
    total = sum(r.failed for r in failed)
    names = [_wrapped(r.name, 18) for r in failed]
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
        # Above the plot: below it, the legend sat on the slanted criterion names.
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        **LAYOUT,
    )
    return in_reading_language(figure)


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
