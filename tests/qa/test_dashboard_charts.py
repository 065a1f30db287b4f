"""The charts of the dashboard aggregations: what they plot, and that empty data draws too."""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from qa.i18n import language
from qa.queries.dashboard import AgentSummary, CriterionFailureRate, TrendPoint
from qa.reports.chart_language import in_reading_language
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


def test_the_paretos_legend_stays_clear_of_its_slanted_criterion_names() -> None:
    long_name = rate("verification before account details", 2)
    figure = pareto_figure([long_name, rate("a", 1)])
    assert figure.layout.legend.y >= 1  # above the plot, not over the names below it
    assert list(figure.data[0].x)[0] == "Verification<br>Before Account Details"


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


def scores_by_day() -> go.Figure:
    """Scores of two calls on a date axis, as My scores draws them."""
    frame = pd.DataFrame(
        {"Call date": [datetime(2026, 11, 28, 10), datetime(2026, 12, 3, 9)], "Score": [82.5, 90]}
    )
    return px.line(frame, x="Call date", y="Score", markers=True, range_y=[0, 105])


def hover_texts(trace: go.Scatter) -> list[str]:
    """What the reader sees on hovering each point: the template filled with the point's data."""
    template = trace.hovertemplate.replace("<extra></extra>", "")

    def filled(index: int) -> str:
        values = {"x": trace.x[index], "y": trace.y[index]}
        values |= {f"customdata[{i}]": v for i, v in enumerate(trace.customdata[index])}
        return re.sub(r"%\{([^}:]+)(:[^}]*)?\}", lambda m: str(values[m.group(1)]), template)

    return [filled(index) for index in range(len(trace.x))]


def test_a_persian_reader_sees_persian_digits_and_jalali_dates_on_axes_and_hovers() -> None:
    with language("fa"):
        figure = in_reading_language(scores_by_day())
    assert list(figure.layout.xaxis.ticktext) == ["۷ آذر ۱۴۰۵", "۱۲ آذر ۱۴۰۵"]
    assert list(figure.layout.yaxis.ticktext) == ["۰", "۲۰", "۴۰", "۶۰", "۸۰", "۱۰۰"]
    assert list(figure.layout.yaxis.tickvals) == [0, 20, 40, 60, 80, 100]
    assert hover_texts(figure.data[0]) == [
        "Call date=۷ آذر ۱۴۰۵<br>Score=۸۲٫۵",
        "Call date=۱۲ آذر ۱۴۰۵<br>Score=۹۰",
    ]
    assert figure.layout.separators == "٫٬"
    assert figure.layout.xaxis.autorange == "reversed"  # and mirrored, as before


def test_an_english_readers_chart_is_left_as_plotly_draws_it() -> None:
    with language("en"):
        figure = in_reading_language(scores_by_day())
    assert figure.to_json() == scores_by_day().to_json()


def test_a_russian_reader_gets_a_decimal_comma_and_russian_dates() -> None:
    with language("ru"):
        figure = in_reading_language(scores_by_day())
    assert figure.layout.separators[0] == ","
    assert [t.replace("\u202f", " ") for t in figure.layout.xaxis.ticktext] == [
        "28 нояб. 2026 г.",
        "3 дек. 2026 г.",
    ]
    assert figure.layout.yaxis.ticktext is None  # Latin digits: Plotly's own ticks, with ','


def test_the_persian_trend_hovers_in_persian_and_still_carries_what_a_click_reads() -> None:
    points = [TrendPoint(date(2026, 11, 7), 2, "Tehran Support", 3, 82.5, 2 / 3)]
    with language("fa"):
        figure = trend_figure(points, "Team")
    (line,) = figure.data
    assert list(line.customdata[0][:2]) == ["2026-11-07", 2]  # drill-down's week and group
    assert "۸۲٫۵" in hover_texts(line)[0] and "۶۷" in hover_texts(line)[0]
    assert list(figure.layout.yaxis.ticktext)[-1] == "۱۰۰"


def test_counts_get_whole_number_ticks() -> None:
    with language("fa"):
        figure = pareto_figure([rate("a", 3), rate("b", 1)])
    assert list(figure.layout.yaxis.ticktext) == ["۰", "۱", "۲", "۳"]
