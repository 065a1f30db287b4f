"""Plotly figures of the dashboard aggregations, drawn once for the pages and the report.

Every figure accepts an empty list (an empty chart), so no caller has to guard against one.
"""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from qa.queries.dashboard import AgentSummary, CriterionFailureRate, ScoreBucket, TrendPoint

LAYOUT = {"height": 340, "margin": {"l": 10, "r": 10, "t": 40, "b": 10}}


def trend_figure(points: list[TrendPoint], group_label: str) -> go.Figure:
    """Weekly average score, one line per team or agent.

    Weeks are categories named by their Monday: a date axis over one or two weeks would be
    scaled in milliseconds.
    """
    weeks = [f"{week:%d %b %Y}" for week in sorted({p.week for p in points})]
    frame = pd.DataFrame(
        [
            {
                "Week": f"{p.week:%d %b %Y}",
                group_label: p.group_name,
                "Average score": round(p.average_score, 1),
                "Pass rate": round(100 * p.pass_rate),
                "Evaluations": p.evaluations,
            }
            for p in points
        ],
        columns=["Week", group_label, "Average score", "Pass rate", "Evaluations"],
    )
    figure = px.line(
        frame,
        x="Week",
        y="Average score",
        color=group_label,
        markers=True,
        hover_data=["Pass rate", "Evaluations"],
        range_y=[0, 105],
        category_orders={"Week": weeks},
        title=f"Score trend per {group_label.lower()} (weeks from Monday)",
    )
    figure.update_xaxes(type="category")
    figure.update_layout(**LAYOUT)
    return figure


def failure_rate_figure(rates: list[CriterionFailureRate], limit: int = 15) -> go.Figure:
    """The most often failed criteria, as a horizontal bar of failure rates."""
    shown = rates[:limit]
    frame = pd.DataFrame(
        [
            {
                "Criterion": f"{r.name} ({r.scorecard_key})",
                "Failure rate (%)": round(100 * r.failure_rate, 1),
                "Failed": r.failed,
                "Applicable": r.applicable,
            }
            for r in shown
        ],
        columns=["Criterion", "Failure rate (%)", "Failed", "Applicable"],
    )
    figure = px.bar(
        frame,
        x="Failure rate (%)",
        y="Criterion",
        orientation="h",
        hover_data=["Failed", "Applicable"],
        range_x=[0, 100],
        title="Criterion failure rates",
    )
    figure.update_layout(yaxis={"autorange": "reversed"}, **LAYOUT)
    return figure


def distribution_figure(buckets: list[ScoreBucket]) -> go.Figure:
    frame = pd.DataFrame(
        [{"Score": f"{b.lower}-{b.upper}", "Evaluations": b.evaluations} for b in buckets],
        columns=["Score", "Evaluations"],
    )
    figure = px.bar(frame, x="Score", y="Evaluations", title="Score distribution")
    figure.update_layout(**LAYOUT)
    return figure


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
    figure.add_bar(x=names, y=[r.failed for r in failed], name="Failed")
    figure.add_scatter(x=names, y=cumulative, name="Cumulative %", yaxis="y2", mode="lines+markers")
    figure.update_layout(
        title="Most failed criteria (Pareto)",
        yaxis={"title": "Failed verdicts"},
        yaxis2={"title": "Cumulative %", "overlaying": "y", "side": "right", "range": [0, 105]},
        legend={"orientation": "h"},
        **LAYOUT,
    )
    return figure


LEADERBOARD_COLUMNS = [
    "Rank", "Agent", "Team", "Evaluations", "Average score", "Pass rate (%)", "Critical fails",
]  # fmt: skip


def leaderboard_frame(agents: list[AgentSummary]) -> pd.DataFrame:
    rows = [
        (rank, a.agent_name, a.team_name, a.evaluations, round(a.average_score, 1),
         round(100 * a.pass_rate), a.critical_fails)
        for rank, a in enumerate(agents, start=1)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=LEADERBOARD_COLUMNS)
