"""In a real browser: a signed-in user who opens the address of a page their role does not
have lands on their own home page with a reason, and a link in it still opens where the role
reads it (rather than Streamlit's "Page not found")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from qa.queries.coaching import SessionForm, record_session
from qa.storage.db import session_scope
from tests.ui.browser.conftest import wait_for_app
from tests.ui.seed import Seeded, viewer_named

PAGE_REFUSED = "This page is not available to your role."


def _open(page: Page, address: str) -> None:
    page.goto(address)
    page.get_by_role("button", name="Sign out").wait_for()
    wait_for_app(page)


@pytest.mark.parametrize(
    ("username", "path", "home"),
    [
        ("globex", "review_queue", "Dashboards"),  # a client viewer
        ("reviewer", "coaching?coaching=1", "Review queue"),
    ],
)
def test_a_user_opening_a_page_their_role_lacks_lands_home_with_a_reason(
    sign_in: Callable[..., Page], page: Page, app_url: str, username: str, path: str, home: str
) -> None:
    sign_in(username)
    _open(page, f"{app_url}/{path}")
    page.get_by_role("heading", name=home).wait_for()
    expect(page.get_by_text(PAGE_REFUSED)).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert path.split("?")[0] not in page.url  # home is the role's own first page


def test_an_agent_opening_a_coaching_address_reads_the_session_on_my_scores(
    sign_in: Callable[..., Page], page: Page, app_url: str, browser_seeded: Seeded
) -> None:
    # ivan: no earlier test drew his My scores, whose cached reads (30 s) would not show it yet.
    form = SessionForm(browser_seeded.agents["ivan"], date(2026, 11, 22), "Pause before offers")
    with session_scope(browser_seeded.url) as session:
        coaching_id = record_session(session, viewer_named(browser_seeded.url, "coach"), form)
    sign_in("ivan")
    _open(page, f"{app_url}/coaching?coaching={coaching_id}")
    page.get_by_role("heading", name="My scores").wait_for()
    expect(page.get_by_text("Pause before offers").first).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert "/coaching" not in page.url and f"coaching={coaching_id}" in page.url


def test_the_home_page_opens_by_its_own_address(
    sign_in: Callable[..., Page], page: Page, app_url: str
) -> None:
    sign_in("reviewer")
    _open(page, f"{app_url}/review_queue")
    page.get_by_role("heading", name="Review queue").wait_for()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_text(PAGE_REFUSED)).to_have_count(0)
