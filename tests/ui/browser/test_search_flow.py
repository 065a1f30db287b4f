"""In a real browser: a reviewer searches the transcripts and opens a hit at its moment."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.ui.browser.conftest import wait_for_app


def test_a_reviewer_finds_a_phrase_and_opens_the_call_where_it_is_said(
    sign_in: Callable[..., Page], screenshot: Callable[[Page, str], Path]
) -> None:
    page = sign_in("reviewer")
    page.get_by_role("link", name="Search").click()
    page.get_by_role("heading", name="Search").wait_for()
    box = page.get_by_role("textbox", name="Words in the transcripts")
    box.fill("calling tomorrow")
    box.press("Enter")
    expect(page.get_by_text("2 matching utterances, newest calls first.")).to_be_visible()
    screenshot(page, "reviewer-search")
    # In the page, not the sidebar: its language picker has an "Open" button too.
    page.get_by_test_id("stMain").get_by_role("button", name="Open").first.click()
    page.get_by_role("heading", name="Call review").wait_for()
    wait_for_app(page)
    expect(page.get_by_text("Playing from 0:08")).to_be_visible()
    expect(page.get_by_text("gina-2").first).to_be_visible()
