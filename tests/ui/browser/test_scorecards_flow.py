"""In a real browser: an admin sees a scorecard's problems inline, fixes the YAML, and tries it
on a stored call before saving anything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.ui.browser.conftest import wait_for_app

SHIPPED = Path(__file__).resolve().parents[3] / "scorecards" / "library" / "politeness.yaml"


def test_an_admin_sees_problems_inline_and_tries_a_fixed_scorecard_on_a_call(
    sign_in: Callable[..., Page], screenshot: Callable[[Page, str], Path]
) -> None:
    page = sign_in("admin")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Scorecards").click()
    page.get_by_role("tab", name="Edit and try").click()
    editor = page.get_by_role("textbox", name="Scorecard YAML")
    # A version without criteria: checked on demand, each problem named with its field.
    editor.fill("id: politeness\nname: Politeness\nversion: '2'\npass_mark: 80\nsections: []\n")
    editor.press("Control+Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Check").click()
    problems = page.get_by_test_id("stAlert").filter(has_text="to fix before trying or saving")
    expect(problems).to_contain_text("sections")
    screenshot(page, "admin-scorecards_admin-problems")

    editor.fill(SHIPPED.read_text(encoding="utf-8"))
    editor.press("Control+Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("The scorecard is valid.")).to_be_visible()
    page.get_by_role("button", name="Try it").click()
    expect(page.get_by_text("(not saved)")).to_contain_text("Trial score")
    expect(page.get_by_role("button", name="Save as new version")).to_be_enabled()
    screenshot(page, "admin-scorecards_admin-trial")
