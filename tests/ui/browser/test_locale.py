"""In a real browser: dates follow the browser's locale and time zone."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.ui.browser.conftest import VIEWPORT, sign_in_as


def test_dates_are_shown_in_the_browsers_locale_and_time_zone(
    browser: Browser, app_url: str
) -> None:
    context = browser.new_context(viewport=VIEWPORT, locale="en-US", timezone_id="America/New_York")
    try:
        page = sign_in_as(context.new_page(), app_url, "admin")
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Calls").click()
        # ivan-3 started on 8 Nov 2026 at 13:00 UTC: 8 AM in New York, month first.
        # The table is a canvas grid; its cells are kept in the DOM for screen readers.
        expect(
            page.locator("[role=gridcell]", has_text="Nov 8, 2026, 8:00 AM EST").first
        ).to_be_attached()
    finally:
        context.close()
