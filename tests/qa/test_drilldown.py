"""The calls behind a dashboard chart's point: they add up to what the chart shows.

Seed (tests/ui/seed.py): each agent's calls score 80 (greeting failed), 100, then 60 (rude);
Sara (Tehran Support) and Ivan (Moscow Desk) have three calls from 2 Nov 2026, Gina two.
"""

from __future__ import annotations

from datetime import date

import pytest

from qa.queries.dashboard import criterion_failure_rates, score_distribution, score_trend
from qa.queries.drilldown import ChartPoint, CriterionBar, ScoreBand, WeekPoint, calls_behind
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.storage.db import session_scope
from tests.ui.seed import Seeded
from tests.ui.seed import viewer_named as viewer

ALL = EvaluationFilter()


@pytest.fixture
def data(seeded_database: Seeded) -> Seeded:
    return seeded_database


def behind(data: Seeded, point: ChartPoint, username: str = "admin") -> list[str]:
    with session_scope(data.url) as session:
        return sorted(
            c.external_id for c in calls_behind(session, viewer(data.url, username), ALL, point)
        )


def test_each_kind_of_point_lists_its_calls(data: Seeded) -> None:
    with session_scope(data.url) as session:
        trend = score_trend(session, ALL, viewer(data.url, "admin"), by="team")
    tehran = next(
        p for p in trend if p.group_name == "Tehran Support" and p.week == date(2026, 11, 2)
    )
    assert behind(data, WeekPoint(tehran.week, "team", tehran.group_id)) == [
        "sara-1",
        "sara-2",
        "sara-3",
    ]
    assert behind(data, CriterionBar("politeness", "greeting")) == ["gina-1", "ivan-1", "sara-1"]
    assert behind(data, ScoreBand(60)) == ["ivan-3", "sara-3"]
    assert behind(data, ScoreBand(90)) == ["gina-2", "ivan-2", "sara-2"]  # 100 is in the top band
    assert behind(data, WeekPoint(date(2026, 11, 2), "agent", None)) == []  # every call has one


def test_the_lists_add_up_to_the_charts_and_keep_the_viewers_scope(data: Seeded) -> None:
    admin = viewer(data.url, "admin")
    with session_scope(data.url) as session:
        bands = score_distribution(session, ALL, admin)
        rates = criterion_failure_rates(session, ALL, admin)
    for band in bands:
        assert len(behind(data, ScoreBand(band.lower))) == band.evaluations
    for rate in rates:
        assert len(behind(data, CriterionBar(rate.scorecard_key, rate.criterion))) == rate.failed
    assert behind(data, CriterionBar("politeness", "greeting"), "globex") == ["gina-1"]
