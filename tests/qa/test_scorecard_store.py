"""Stored scorecard versions load back to exactly the scorecard that was stored."""

from __future__ import annotations

from qa.storage.db import session_scope
from qa.storage.scorecard_store import (
    active_versions,
    load_version,
    stored_scorecard,
    sync_shipped_scorecards,
)


def test_shipped_scorecards_are_stored_self_contained_and_synced_once(database_url: str) -> None:
    with session_scope(database_url) as session:
        added = sync_shipped_scorecards(session)
        assert {row.scorecard_key for row in added} == {
            "compliance",
            "politeness",
            "resolution",
            "script",
        }
        assert sync_shipped_scorecards(session) == []
    with session_scope(database_url) as session:
        for row in active_versions(session):
            assert "phrase_lists" in row.yaml_text
            assert load_version(row).version == row.version
            assert stored_scorecard(session, row.scorecard_key, row.version).version_id == row.id
