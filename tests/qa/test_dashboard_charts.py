"""The charts of the dashboard aggregations: what they plot, and that empty data draws too."""

from __future__ import annotations

from datetime import date

from qa.queries.dashboard import AgentSummary, CriterionFailureRate, TrendPoint
from qa.reports.charts import (
    distribution_figure,
    failure_rate_figure,
    leaderboard_frame,
    pareto_figure,
    trend_figure,
)


def rate(criterion: str, failed: int, applicable: int = 10) -> CriterionFailureRate:
    return CriterionFailureRate("politeness", criterion, criterion.title(), applicable, failed)


def test_the_pareto_orders_failures_and_accumulates_their_share() -> None:
    figure = pareto_figure([rate("b", 1), rate("a", 3), rate("never", 0), rate("c", 2)])
    bars, cumulative = figure.data
    assert list(bars.x) == ["A", "C", "B"]  # most failed first; never-failed left out
    assert list(bars.y) == [3, 2, 1]
    assert list(cumulative.y) == [50.0, 83.3, 100.0]
    assert cumulative.yaxis == "y2"


def test_weeks_are_ordered_categories_named_by_their_first_day_as_the_reader_writes_it() -> None:
    points = [
        TrendPoint(date(2026, 11, 9), 1, "Moscow Desk", 1, 40.0, 0.0),
        TrendPoint(date(2026, 11, 2), 2, "Tehran Support", 3, 80.0, 2 / 3),
    ]
    figure = trend_figure(points, "Team")
    assert figure.layout.xaxis.type == "category"
    assert list(figure.layout.xaxis.categoryarray) == ["2 Nov 2026", "9 Nov 2026"]
    assert {trace.name for trace in figure.data} == {"Moscow Desk", "Tehran Support"}


def test_the_leaderboard_ranks_in_the_order_given() -> None:
    agents = [
        AgentSummary(3, "Gina Lopez", "Globex Care", 2, 90.0, 1.0, 0),
        AgentSummary(1, "Sara Ahmadi", "Tehran Support", 3, 80.0, 2 / 3, 1),
    ]
    frame = leaderboard_frame(agents)
    assert frame.to_dict("records")[1] == {
        "Rank": 2, "Agent": "Sara Ahmadi", "Team": "Tehran Support", "Evaluations": 3,
        "Average score": 80.0, "Pass rate (%)": 67, "Critical fails": 1,
    }  # fmt: skip


def test_empty_aggregations_draw_empty_charts() -> None:
    for figure in (
        trend_figure([], "Agent"),
        failure_rate_figure([]),
        distribution_figure([]),
        pareto_figure([]),
    ):
        assert all(len(trace.x if trace.x is not None else ()) == 0 for trace in figure.data)
    assert leaderboard_frame([]).empty and "Agent" in leaderboard_frame([]).columns
