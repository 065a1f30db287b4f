"""In a real browser: an admin adds a reviewer on the Users page, who then signs in."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Browser, Page, expect

from tests.ui.browser.conftest import VIEWPORT, sign_in_as, wait_for_app


def test_an_admin_adds_a_user_who_can_sign_in(
    sign_in: Callable[..., Page], browser: Browser, app_url: str
) -> None:
    page = sign_in("admin")
    page.get_by_role("link", name="Users").click()
    page.get_by_role("heading", name="Users").wait_for()
    wait_for_app(page)
    page.locator(".st-key-new-username").get_by_role("textbox").fill("robin")
    page.locator(".st-key-new-name").get_by_role("textbox").fill("Robin Reviewer")
    page.locator(".st-key-new-role").get_by_role("combobox").click()
    page.get_by_role("option", name="reviewer", exact=True).click()
    page.locator(".st-key-new-password").locator("input").fill("robins-password")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text("User robin added.")).to_be_visible()
    wait_for_app(page)
    context = browser.new_context(viewport=VIEWPORT)
    try:
        robin = sign_in_as(context.new_page(), app_url, "robin", "robins-password")
        expect(robin.get_by_role("heading", name="Review queue")).to_be_visible()
    finally:
        context.close()
