"""The Dashboards page for each role, on the seeded database (tests/ui/seed.py).

Seed: Acme Bank (Sara, Ivan) and Globex (Gina); every agent's calls score 80, 100 and 60
(Gina 80 and 100), so over everything the average is 82.5 and the pass rate 75%.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import BOTH_DATABASES
from tests.ui.conftest import TIMEOUT, politeness_lines, signed_in, viewer_for
from tests.ui.seed import Seeded

PageAs = Callable[[str, str], AppTest]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("username", ["admin", "reviewer", "coach"])
@BOTH_DATABASES
def test_staff_see_kpis_charts_and_leaderboard_over_every_client(
    page_as: PageAs, username: str
) -> None:
    at = page_as("dashboards", username).run()
    assert not at.exception and not at.error
    tiles = metrics(at)
    assert tiles["Evaluated calls"] == "8"
    assert tiles["Average score"] == "82.5"
    assert tiles["Pass rate"] == "75%"
    assert tiles["Critical fails"] == "25%"
    assert tiles["Answered within 3 rings"] == "100%"
    assert tiles["Customer feedback"] == "3.9 / 5"
    charts = at.get("plotly_chart")
    # team trend, agent trend, failure rates, distribution, politeness per team and per agent
    assert len(charts) == 6
    board = at.dataframe[0].value
    assert list(board["Agent"]) == ["Gina Lopez", "Ivan Petrov", "Sara Ahmadi"]
    assert list(board["Average score"]) == [90.0, 80.0, 80.0]


def test_filters_narrow_every_figure(page_as: PageAs, seeded: Seeded) -> None:
    at = page_as("dashboards", "coach").run()
    at.selectbox(key="dashboards-agent").select(seeded.agents["ivan"]).run()
    assert not at.exception and not at.error
    assert metrics(at)["Evaluated calls"] == "3"
    assert metrics(at)["Average score"] == "80.0"
    assert list(at.dataframe[0].value["Agent"]) == ["Ivan Petrov"]
    at.selectbox(key="dashboards-language").select("en").run()
    assert [i.value for i in at.info] == ["No evaluated calls match these filters."]
    assert not at.metric


@BOTH_DATABASES
def test_a_date_range_keeps_only_those_days(page_as: PageAs) -> None:
    from datetime import date

    at = page_as("dashboards", "reviewer").run()
    at.date_input(key="dashboards-dates").set_value((date(2026, 11, 5), date(2026, 11, 5))).run()
    assert not at.exception and not at.error
    # 5 November: the second call of each agent, all scored 100.
    assert metrics(at)["Evaluated calls"] == "3"
    assert metrics(at)["Average score"] == "100.0"


def test_a_client_viewer_sees_only_their_client(page_as: PageAs, seeded: Seeded) -> None:
    at = page_as("dashboards", "globex").run()
    assert not at.exception and not at.error
    assert metrics(at)["Evaluated calls"] == "2"
    assert metrics(at)["Average score"] == "90.0"
    assert list(at.dataframe[0].value["Agent"]) == ["Gina Lopez"]
    client = at.selectbox(key="dashboards-client")
    assert client.options == ["All", "Globex"]
    assert [o for o in at.selectbox(key="dashboards-agent").options] == ["All", "Gina Lopez"]


def test_agents_are_refused_the_dashboards(page_as: PageAs) -> None:
    at = page_as("dashboards", "sara").run()
    assert [e.value for e in at.error] == [
        "this needs one of the roles: admin, lead, reviewer, coach, client_viewer"
    ]
    assert not at.metric and not at.get("plotly_chart")


def test_the_dashboards_are_in_the_navigation_of_the_roles_that_have_them(
    app_as: Callable[[str], AppTest],
) -> None:
    at = app_as("globex").run()
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == ["Dashboards"]
    assert metrics(at)["Evaluated calls"] == "2"


def test_politeness_is_a_weekly_trend_per_team_and_agent_apart_by_language_and_no_verdict(
    page_as: PageAs,
) -> None:
    at = page_as("dashboards", "coach").run()
    assert not at.exception and not at.error
    # Seed: each agent's rude call measures 0.45, the others 0.75, all in one week.
    assert politeness_lines(at, "team") == {
        "Globex Care (en)": [0.75],
        "Moscow Desk (ru)": [0.65],
        "Tehran Support (fa)": [0.65],
    }
    assert politeness_lines(at, "agent") == {
        "Gina Lopez (en)": [0.75],
        "Ivan Petrov (ru)": [0.65],
        "Sara Ahmadi (fa)": [0.65],
    }
    notes = [c.value for c in at.caption if "not a verdict" in c.value]
    assert len(notes) == 2  # one under each tab
    assert "compare weeks within one language" in notes[0]


def test_a_client_viewer_sees_the_politeness_of_their_own_client_only(page_as: PageAs) -> None:
    at = page_as("dashboards", "globex").run()
    assert not at.exception and not at.error
    assert politeness_lines(at, "agent") == {"Gina Lopez (en)": [0.75]}


def _dashboards_in(code: str) -> None:
    # Runs as the AppTest script: the page in the viewer's language, as the app sets it.
    from qa.i18n import set_language
    from qa.ui.navigation import run_safely
    from qa.ui.pages import dashboards

    set_language(code)
    run_safely(dashboards.render)


def test_a_persian_reader_sees_the_leaderboard_and_charts_in_persian_digits(
    seeded: Seeded,
) -> None:
    at = AppTest.from_function(_dashboards_in, args=("fa",), default_timeout=TIMEOUT)
    at = signed_in(at, viewer_for(seeded.url, "admin")).run()
    assert not at.exception and not at.error
    board = at.dataframe[0]
    # Still numbers, so the grid sorts 9 before 10; shown as a Persian reader writes them.
    assert board.value["میانگین امتیاز"].tolist() == [90.0, 80.0, 80.0]
    shown = pa.ipc.open_stream(board.proto.arrow_data.styler.display_values).read_pandas()
    assert shown["میانگین امتیاز"].tolist() == ["۹۰", "۸۰", "۸۰"]
    assert shown["ارزیابی‌ها"].tolist() == ["۲", "۳", "۳"]
    trend = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    assert trend["yaxis"]["ticktext"] == ["۰", "۲۰", "۴۰", "۶۰", "۸۰", "۱۰۰"]
