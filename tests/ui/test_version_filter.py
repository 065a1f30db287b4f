"""A version filter on Dashboards and Export: every version counts by default, one can be picked.

Seed (tests/ui/seed.py): eight calls scored with Politeness v1. Here a v2 (one weight changed) is
activated and two of Gina's calls rescored with it, so v1 keeps six counted calls and v2 has two.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from qa.pipeline.rescore import rescore_calls, scorecards_for_rescore
from qa.queries.dashboard import criterion_failure_rates, kpi_tiles
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.reports.evaluations_csv import export_rows
from qa.storage.db import session_scope
from qa.storage.scorecard_store import activate_version, save_scorecard_version
from tests.ui.seed import SCORECARD_YAML, Seeded, viewer_named

PageAs = Callable[[str, str], AppTest]


@pytest.fixture
def two_versions(seeded: Seeded) -> tuple[int, int]:
    """(v1 id, v2 id), with Gina's two calls rescored under v2."""
    admin = viewer_named(seeded.url, "admin")
    with session_scope(seeded.url) as session:
        edited = SCORECARD_YAML.replace('version: "1"', 'version: "2"').replace(
            "points: 10", "points: 8", 1
        )
        v2 = save_scorecard_version(session, edited, admin.user_id)
        activate_version(session, v2.id, admin.user_id)
        v2_id = v2.id
    rescore_calls(
        seeded.url,
        [seeded.calls["gina-1"], seeded.calls["gina-2"]],
        scorecards_for_rescore(seeded.url, "politeness"),
    )
    return v2_id - 1, v2_id


def test_the_versions_of_a_scorecard_split_its_calls_and_add_up(
    seeded: Seeded, two_versions: tuple[int, int]
) -> None:
    v1, v2 = two_versions
    coach = viewer_named(seeded.url, "coach")

    def calls(version: int | None) -> tuple[int, int, int]:
        view = EvaluationFilter(scorecard_key="politeness", scorecard_version_id=version)
        with session_scope(seeded.url) as session:
            applicable = sum(r.applicable for r in criterion_failure_rates(session, view, coach))
            return (
                kpi_tiles(session, view, coach).calls,
                len(export_rows(session, view, coach)),
                applicable,
            )

    every, old, new = calls(None), calls(v1), calls(v2)
    assert every[:2] == (8, 8) and old[:2] == (6, 6) and new[:2] == (2, 2)
    assert old[2] + new[2] == every[2]


def test_the_dashboards_offer_a_version_once_a_scorecard_is_picked(
    page_as: PageAs, two_versions: tuple[int, int]
) -> None:
    v1, v2 = two_versions
    at = page_as("dashboards", "reviewer").run()
    at.selectbox(key="dashboards-scorecard").select("politeness").run()
    version = at.selectbox(key="dashboards-version-politeness")
    assert version.options[0] == "All versions"
    assert version.options[1].startswith("2 (") and version.options[1].endswith(" (active)")
    assert version.options[2] == "1 (v1)"
    assert {m.label: m.value for m in at.metric}["Evaluated calls"] == "8"
    version.select(v2).run()
    assert not at.exception and not at.error
    assert {m.label: m.value for m in at.metric}["Evaluated calls"] == "2"
    assert list(at.dataframe[0].value["Agent"]) == ["Gina Lopez"]


def test_the_csv_export_follows_the_version_filter(
    page_as: PageAs, two_versions: tuple[int, int]
) -> None:
    v1, _v2 = two_versions
    at = page_as("export", "coach").run()
    at.selectbox(key="export-scorecard").select("politeness").run()
    at.selectbox(key="export-version-politeness").select(v1).run()
    assert not at.exception and not at.error
    assert next(c.value for c in at.caption if "one per call" in c.value).startswith(
        "6 evaluations"
    )
