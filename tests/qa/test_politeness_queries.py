"""Politeness trends from the stored measurements: who sees which calls, grouped how.

The UI seed (tests/ui/seed.py) measures every agent's calls 0.75, 0.75 and (the rude one) 0.45,
lowest 0.55, 0.55 and 0.2, all in the week of 2 November; Gina has two calls, both 0.75.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.errors import AccessDenied
from qa.pipeline.rescore import rescore_calls
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.queries.politeness import PolitenessWeek, my_politeness_trend, politeness_trend
from qa.review_sampling import queue_uncertain
from qa.storage.db import session_scope
from qa.storage.models import CallPoliteness
from tests.ui.seed import Seeded, seed
from tests.ui.seed import viewer_named as viewer

WEEK = date(2026, 11, 2)


@pytest.fixture
def data(database_url: str, tmp_path: Path) -> Seeded:
    return seed(database_url, tmp_path / "audio")


def test_an_agent_sees_the_weekly_politeness_of_their_own_calls_only(data: Seeded) -> None:
    with session_scope(data.url) as session:
        weeks = my_politeness_trend(session, viewer(data.url, "sara"))
    assert weeks == [
        PolitenessWeek(WEEK, "Sara Ahmadi", "fa", 3, pytest.approx(0.65), pytest.approx(1.3 / 3))
    ]


def test_a_call_waiting_for_a_reviewers_decision_is_held_back_from_the_agent(
    data: Seeded,
) -> None:
    with session_scope(data.url) as session:
        queue_uncertain(session, data.calls["sara-3"])  # the rude call: 0.45
    with session_scope(data.url) as session:
        (week,) = my_politeness_trend(session, viewer(data.url, "sara"))
        (staff,) = politeness_trend(
            session,
            EvaluationFilter(agent_id=data.agents["sara"]),
            viewer(data.url, "coach"),
            "agent",
        )
    assert (week.calls, week.mean) == (2, pytest.approx(0.75))
    assert (staff.calls, staff.mean) == (3, pytest.approx(0.65))  # staff see every call


def test_dashboards_group_by_team_or_agent_and_keep_languages_apart(data: Seeded) -> None:
    with session_scope(data.url) as session:
        teams = politeness_trend(session, EvaluationFilter(), viewer(data.url, "admin"), "team")
        ru = politeness_trend(
            session, EvaluationFilter(language="ru"), viewer(data.url, "admin"), "agent"
        )
    assert [(w.group_name, w.language, w.calls, round(w.mean, 3)) for w in teams] == [
        ("Globex Care", "en", 2, 0.75),
        ("Moscow Desk", "ru", 3, 0.65),
        ("Tehran Support", "fa", 3, 0.65),
    ]
    assert [(w.group_name, w.language) for w in ru] == [("Ivan Petrov", "ru")]


def test_a_client_viewer_sees_their_clients_calls_and_an_agent_is_refused_the_dashboard(
    data: Seeded,
) -> None:
    with session_scope(data.url) as session:
        globex = politeness_trend(session, EvaluationFilter(), viewer(data.url, "globex"), "agent")
        with pytest.raises(AccessDenied):
            politeness_trend(session, EvaluationFilter(), viewer(data.url, "sara"), "agent")
        with pytest.raises(AccessDenied):
            my_politeness_trend(session, viewer(data.url, "coach"))
    assert [w.group_name for w in globex] == ["Gina Lopez"]


def test_rescoring_measures_the_calls_processed_before_politeness_was(data: Seeded) -> None:
    """The seed's English call is measured by the shipped model from its stored transcript."""
    gina = data.calls["gina-1"]
    with session_scope(data.url) as session:
        session.delete(session.get_one(CallPoliteness, gina))
    rescore_calls(data.url, [gina], [])
    with session_scope(data.url) as session:
        row = session.scalars(select(CallPoliteness).where(CallPoliteness.call_id == gina)).one()
        assert row.model.startswith("politeness@")
        assert 0.0 <= row.lowest <= row.mean <= 1.0
        assert row.utterances == 3  # the agent's three lines; the customer's are not read


def test_weeks_start_on_the_readers_first_weekday(data: Seeded) -> None:
    """Persian weeks start on Saturday (issue 12): Sara's calls of Monday 2 and Thursday 5
    November fall in the week of Saturday 31 October, her Sunday 8 November call in the next."""
    with session_scope(data.url) as session:
        mine = my_politeness_trend(session, viewer(data.url, "sara"), week_starts_on=5)
        staff = politeness_trend(
            session,
            EvaluationFilter(agent_id=data.agents["sara"]),
            viewer(data.url, "admin"),
            "agent",
            week_starts_on=5,
        )
    assert [(w.week, w.calls, round(w.mean, 3)) for w in mine] == [
        (date(2026, 10, 31), 2, 0.75),
        (date(2026, 11, 7), 1, 0.45),
    ]
    assert [(w.week, w.calls) for w in staff] == [(w.week, w.calls) for w in mine]
