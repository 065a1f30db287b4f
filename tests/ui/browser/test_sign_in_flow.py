"""In a real browser: each role lands on its own first page; sign-out returns to the form."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page


def test_a_reviewer_signs_in_lands_on_the_review_queue_and_signs_out(
    sign_in: Callable[..., Page], screenshot: Callable[[Page, str], Path]
) -> None:
    page = sign_in("reviewer")
    page.get_by_role("heading", name="Review queue").wait_for()
    assert screenshot(page, "reviewer-review_queue").stat().st_size > 0
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()


def test_a_wrong_password_is_refused_with_a_message(
    sign_in: Callable[..., Page], page: Page, app_url: str
) -> None:
    page.goto(app_url)
    page.get_by_role("textbox", name="Username").fill("reviewer")
    page.get_by_role("textbox", name="Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Unknown username or wrong password.").wait_for()
