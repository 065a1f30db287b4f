"""Every page on the demo database, for every demo agent: nothing crashes, nothing is empty.

The demo database is built once for the module (see tests/ui/demo.py); the pages only read it,
apart from the sampling the review queue runs, which adds nothing on a second run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from qa.queries.dashboard import kpi_tiles, score_trend
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.queries.scorecards import scorecard_histories
from qa.settings import get_settings
from qa.storage.db import session_scope
from qa.storage.migrate import upgrade_to_head
from tests.ui.conftest import TIMEOUT, _render_page
from tests.ui.demo import DEMO_AGENTS, build_demo
from tests.ui.seed import viewer_named

PageAs = Callable[[str, str], AppTest]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATABASE_URL", url)
        env.setenv("CALLQA_HOME", str(folder / "home"))
        get_settings.cache_clear()
        upgrade_to_head(url)
        build_demo(url)
        yield url
    get_settings.cache_clear()


@pytest.fixture
def page_as(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> PageAs:
    monkeypatch.setenv("DATABASE_URL", demo_url)
    get_settings.cache_clear()

    def make(page_key: str, username: str) -> AppTest:
        at = AppTest.from_function(_render_page, args=(page_key,), default_timeout=TIMEOUT)
        at.session_state["viewer"] = viewer_named(demo_url, username)
        at.session_state["last_active_at"] = datetime.now(UTC)
        return at

    return make


def _clean(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def test_coaching_opens_for_every_demo_agent(page_as: PageAs) -> None:
    at = _clean(page_as("coaching", "coach").run())
    labels = list(at.selectbox(key="coaching-agent").options)
    for name in ("Anna Smith", "Mark Lee", "Dmitry Sokolov", "Olga Ivanova", "Sara Ahmadi"):
        _clean(at.selectbox(key="coaching-agent").select_index(labels.index(name)).run())
        assert at.get("plotly_chart") or at.success, name
        assert at.button, name  # the example calls' Listen buttons and the form


@pytest.mark.parametrize("agent", DEMO_AGENTS)
def test_every_demo_agent_reads_their_scores_and_calls(page_as: PageAs, agent: str) -> None:
    scores = _clean(page_as("my_scores", agent).run())
    assert scores.metric, agent
    review = _clean(page_as("call_review", agent).run())
    assert not [b for b in review.button if b.label == "Submit review"]
    assert review.expander or review.info  # every scorecard of the call, or "not scored"


def test_the_demo_fills_the_staff_pages(page_as: PageAs) -> None:
    queue = _clean(page_as("review_queue", "reviewer").run())
    frame = queue.dataframe[0].value
    assert "Disputed by agent" in " ".join(frame["Reason"]) and len(frame) >= 3
    assert "Quinn R." in set(frame["Assigned to"])
    coaching = _clean(page_as("coaching", "coach").run())
    assert coaching.selectbox(key="coaching-agent")
    mark = _clean(page_as("my_scores", "mark").run())
    markdown = " ".join(m.value for m in mark.markdown)
    assert "No unnecessary transfer" in markdown or "no_unnecessary_transfer" in markdown
    assert _clean(page_as("dashboards", "admin").run()).metric


def test_the_demo_has_weeks_of_history_and_an_older_scorecard_version(demo_url: str) -> None:
    """Weekly trends with several points for every team, and a scorecard whose older version
    still carries the evaluations made with it (so version history and the filter show)."""
    admin = viewer_named(demo_url, "admin")
    with session_scope(demo_url) as session:
        trend = score_trend(session, EvaluationFilter(), admin, by="team")
        politeness = next(h for h in scorecard_histories(session, admin) if h.key == "politeness")
        per_version = {
            v.active: kpi_tiles(
                session,
                EvaluationFilter(scorecard_key="politeness", scorecard_version_id=v.id),
                admin,
            ).calls
            for v in politeness.versions
        }
    weeks = Counter(point.group_name for point in trend)
    assert min(weeks.values()) >= 4, weeks
    assert len(politeness.versions) == 2 and politeness.versions[0].active
    assert per_version[False] > 0 and per_version[True] > 0, per_version


def test_the_demo_dashboards_offer_the_older_version(page_as: PageAs) -> None:
    at = _clean(page_as("dashboards", "admin").run())
    at.selectbox(key="dashboards-scorecard").select("politeness").run()
    versions = at.selectbox(key="dashboards-version-politeness")
    assert len(versions.options) == 3 and not versions.disabled
    _clean(versions.select_index(2).run())
    assert at.metric


def test_the_demo_lead_sees_every_reviewers_week_against_the_quota_they_set(
    page_as: PageAs,
) -> None:
    queue = _clean(page_as("review_queue", "lead").run())
    team = next(d.value for d in queue.dataframe if "Weekly quota" in d.value.columns)
    quinn = team[team["Reviewer"] == "Quinn Reviewer"].iloc[0]
    assert quinn["Weekly quota"] == 5
    assert _clean(page_as("calibration", "lead").run()).expander
