"""Activating a new scorecard version keeps history: every report still counts every call."""

from __future__ import annotations

from datetime import date

from qa.queries.dashboard import kpi_tiles, score_trend
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.reports.evaluations_csv import export_rows
from qa.storage.db import session_scope
from qa.storage.scorecard_store import activate_version, save_scorecard_version
from tests.ui.seed import SCORECARD_YAML, Seeded, viewer_named

NOVEMBER = EvaluationFilter(start=date(2026, 11, 1), end=date(2026, 11, 30))


def test_activating_a_new_version_keeps_every_call_in_every_report(
    seeded_database: Seeded,
) -> None:
    data = seeded_database
    database_url = data.url
    admin = viewer_named(database_url, "admin")

    def figures() -> tuple[int, int, int]:
        with session_scope(database_url) as session:
            tiles = kpi_tiles(session, NOVEMBER, admin)
            rows = export_rows(session, NOVEMBER, admin)
            trend = score_trend(session, NOVEMBER, admin)
            return tiles.calls, len(rows), len(trend)

    before = figures()
    assert before[0] == len(data.calls)
    with session_scope(database_url) as session:
        # One weight changed, as the QA lead did.
        edited = SCORECARD_YAML.replace("points: 10", "points: 8", 1)
        version = save_scorecard_version(session, edited, admin.user_id)
        activate_version(session, version.id, admin.user_id)
    assert figures() == before
