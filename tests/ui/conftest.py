"""UI fixtures: a seeded database the app reads, and AppTest runners signed in as any user."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from qa.queries.access import Viewer
from qa.settings import get_settings
from tests.ui.seed import Seeded, viewer_named

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "app.py"
TIMEOUT = 60


@pytest.fixture
def database_kind() -> str:
    """Pages are drawn from SQLite: the queries under them run on both databases in tests/qa.
    A UI test where the database matters (time windows, full-text search) is marked
    `BOTH_DATABASES` and runs on PostgreSQL too."""
    return "sqlite"


@pytest.fixture
def seeded(
    seeded_database: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Seeded]:
    """The seed data set in a database of this test's own that the app's settings point to."""
    monkeypatch.setenv("DATABASE_URL", seeded_database.url)
    monkeypatch.setenv("CALLQA_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    yield seeded_database
    get_settings.cache_clear()


viewer_for = viewer_named  # the name the UI tests use


def signed_in(at: AppTest, viewer: Viewer) -> AppTest:
    at.session_state["viewer"] = viewer
    at.session_state["last_active_at"] = datetime.now(UTC)
    return at


def _render_page(page_key: str) -> None:
    # Runs as the AppTest script: one page on its own, through the same error wrapper.
    import importlib

    from qa.ui.navigation import run_safely

    run_safely(importlib.import_module(f"qa.ui.pages.{page_key}").render)


@pytest.fixture
def app_as(seeded: Seeded) -> Callable[[str], AppTest]:
    """The whole app (navigation included) for a signed-in user, not yet run."""

    def make(username: str) -> AppTest:
        return signed_in(
            AppTest.from_file(str(APP), default_timeout=TIMEOUT), viewer_for(seeded.url, username)
        )

    return make


@pytest.fixture
def page_as(seeded: Seeded) -> Callable[[str, str], AppTest]:
    """One page alone for a signed-in user, not yet run."""

    def make(page_key: str, username: str) -> AppTest:
        at = AppTest.from_function(_render_page, args=(page_key,), default_timeout=TIMEOUT)
        return signed_in(at, viewer_for(seeded.url, username))

    return make


def politeness_lines(at: AppTest, per: str) -> dict[str, list[float]]:
    """The politeness chart's lines on a page (name -> weekly means), per team or agent."""
    (chart,) = [
        c for c in at.get("plotly_chart") if f"Politeness per {per} and language" in c.proto.spec
    ]
    return {
        trace["name"]: [round(float(y), 3) for y in _values(trace["y"])]
        for trace in json.loads(chart.proto.spec)["data"]
    }


def _values(array: list[float] | dict[str, str]) -> list[float]:
    """Plotly writes numeric arrays as base64 with a dtype."""
    if isinstance(array, dict):
        return list(np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]))
    return array
