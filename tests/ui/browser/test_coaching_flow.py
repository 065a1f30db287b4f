"""In a real browser: a coach records a session, then reads the dashboards and exports a CSV.

Writes only coaching sessions for Gina, whom no other browser test asserts on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from qa.storage.db import session_scope
from qa.storage.models import CoachingSession
from tests.ui.browser.conftest import choose, open_selectbox, wait_for_app
from tests.ui.seed import Seeded

NOTES = "Greet the customer before anything else."


def open_page(page: Page, title: str) -> None:
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title).wait_for()
    wait_for_app(page)


def test_a_coach_records_a_session(
    sign_in: Callable[..., Page],
    browser_seeded: Seeded,
    screenshot: Callable[[Page, str], Path],
) -> None:
    page = sign_in("coach")  # the coach lands on Coaching
    page.get_by_role("heading", name="Coaching").wait_for()
    choose(page, "Agent", "Gina Lopez")
    expect(page.get_by_text("Most failed criteria (Pareto)")).to_be_visible()
    expect(page.get_by_text("gina-2", exact=False).first).to_be_visible()
    page.get_by_role("textbox", name="Notes").fill(NOTES)
    page.get_by_role("textbox", name="Goals").fill("A greeting on every call")
    page.get_by_role("textbox", name="Action items").fill("Listen to gina-1 together")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("The session was saved.")).to_be_visible()
    wait_for_app(page)
    session_header = page.get_by_text("with Carl Coach").first
    expect(session_header).to_be_visible()
    session_header.click()
    expect(page.get_by_text("Listen to gina-1 together")).to_be_visible()
    screenshot(page, "coach-coaching-after-session")
    with session_scope(browser_seeded.url) as session:
        saved = session.scalars(
            select(CoachingSession).where(CoachingSession.agent_id == browser_seeded.agents["gina"])
        ).one()
        assert saved.notes == NOTES
        assert saved.focus_criteria == ["greeting"]  # suggested: Gina's most failed criterion


def test_a_coach_reads_the_dashboards_and_downloads_the_csv(
    sign_in: Callable[..., Page], screenshot: Callable[[Page, str], Path]
) -> None:
    page = sign_in("coach")
    open_page(page, "Dashboards")
    expect(page.get_by_test_id("stMetric").first).to_be_visible()
    expect(page.get_by_text("Agent leaderboard")).to_be_visible()
    screenshot(page, "coach-dashboards-all-clients")
    open_page(page, "Export")
    choose(page, "Agent", "Gina Lopez")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["call_id"] for row in rows] == ["gina-1", "gina-2"]
    assert download.value.suggested_filename == "evaluations-all.csv"
    screenshot(page, "coach-export-csv-downloaded")


def test_a_client_viewer_sees_only_their_clients_dashboard(
    sign_in: Callable[..., Page], screenshot: Callable[[Page, str], Path]
) -> None:
    page = sign_in("globex")  # client viewers land on Dashboards
    page.get_by_role("heading", name="Dashboards").wait_for()
    wait_for_app(page)
    calls = page.get_by_test_id("stMetric").filter(has_text="Evaluated calls")
    expect(calls).to_contain_text("2")
    screenshot(page, "client_viewer-dashboards-own-client")
    open_selectbox(page, "Agent")
    expect(page.get_by_role("option", name="Gina Lopez")).to_be_visible()
    expect(page.get_by_role("option", name="Sara Ahmadi")).to_have_count(0)
    page.keyboard.press("Escape")
    open_page(page, "Export")
    page.get_by_role("button", name="Build report").click()
    wait_for_app(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the November 2026 report for Globex").click()
    report = Path(download.value.path()).read_text(encoding="utf-8")
    assert "<h1>Globex</h1>" in report and "Average score" in report
    screenshot(page, "client_viewer-export-report-built")
