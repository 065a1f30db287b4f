"""In a real browser: a refresh keeps the session, sign-out ends it, links open after sign-in."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from playwright.sync_api import Page, expect

from qa.queries.coaching import SessionForm, record_session
from qa.storage.db import session_scope
from qa.ui.session import QUERY_TTL_SECONDS
from tests.ui.browser.conftest import wait_for_app
from tests.ui.seed import PASSWORDS, Seeded, viewer_named

COACHING_REFUSED = "This coaching session does not exist or you may not open it."


def test_a_refresh_keeps_the_session_and_sign_out_ends_it(
    sign_in: Callable[..., Page], page: Page
) -> None:
    sign_in("sara")
    page.get_by_role("heading", name="My scores").wait_for()
    cookie = next(c for c in page.context.cookies() if c["name"] == "callqa_session")
    assert cookie["sameSite"] == "Strict" and len(cookie["value"]) >= 40
    page.reload()
    page.get_by_role("button", name="Sign out").wait_for()
    page.get_by_role("heading", name="My scores").wait_for()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()
    wait_for_app(page)
    page.reload()
    page.get_by_role("button", name="Sign in").wait_for()
    # The old token no longer works, even if a copy of the cookie is presented again.
    page.context.add_cookies([{**cookie}])  # type: ignore[list-item]
    page.reload()
    page.get_by_role("button", name="Sign in").wait_for()
    assert page.get_by_role("button", name="Sign out").count() == 0


def test_a_link_to_a_call_opens_it_after_sign_in(
    page: Page, app_url: str, browser_seeded: Seeded
) -> None:
    page.goto(f"{app_url}/call_review?call={browser_seeded.calls['sara-2']}")
    page.get_by_role("textbox", name="Username").fill("sara")
    page.get_by_role("textbox", name="Password").fill(PASSWORDS["sara"])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()
    wait_for_app(page)
    page.get_by_text("sara-2", exact=False).first.wait_for()
    assert "call_review" in page.url


def test_a_link_to_a_coaching_session_opens_it_after_sign_in_and_is_refused_to_others(
    page: Page, app_url: str, browser_seeded: Seeded
) -> None:
    form = SessionForm(browser_seeded.agents["sara"], date(2026, 11, 21), "Slower openings")
    with session_scope(browser_seeded.url) as session:
        coaching_id = record_session(session, viewer_named(browser_seeded.url, "coach"), form)
    for username, shown in (("sara", "Slower openings"), ("ivan", COACHING_REFUSED)):
        page.context.clear_cookies()
        page.goto(f"{app_url}/coaching?coaching={coaching_id}")
        page.get_by_role("textbox", name="Username").fill(username)
        page.get_by_role("textbox", name="Password").fill(PASSWORDS[username])
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("button", name="Sign out").wait_for()
        wait_for_app(page)
        page.get_by_role("heading", name="My scores").wait_for()
        # The session was written behind the app's back (not through its form, which clears
        # the app's query cache): an earlier test's cached My scores may hold for its TTL.
        deadline = time.monotonic() + QUERY_TTL_SECONDS + 10
        while not page.get_by_text(shown).first.is_visible() and time.monotonic() < deadline:
            time.sleep(2)
            page.reload()
            wait_for_app(page)
        expect(page.get_by_text(shown).first).to_be_visible()
