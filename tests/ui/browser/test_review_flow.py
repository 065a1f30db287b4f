"""In a real browser: a reviewer opens a queued call (claiming it: an admin sees who has it),
overrides a verdict with a reason and submits the one review of the call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from qa.storage.db import session_scope
from qa.storage.models import Evaluation, EvaluationKind, VerdictOverride
from tests.ui.browser.conftest import VIEWPORT, choose, sign_in_as, wait_for_app
from tests.ui.seed import Seeded

CALL = "ivan-2"  # this flow's own call: no other browser test writes to it


def test_a_reviewer_claims_a_call_and_submits_one_review_with_an_override(
    sign_in: Callable[..., Page],
    browser: Browser,
    app_url: str,
    browser_seeded: Seeded,
    screenshot: Callable[[Page, str], Path],
) -> None:
    page = sign_in("reviewer")
    choose(page, "Review call", CALL)
    page.get_by_role("button", name="Open call review").click()
    page.get_by_role("heading", name="Call review").wait_for()
    wait_for_app(page)
    _admin_sees_the_claim(browser, app_url)
    key = f"r{browser_seeded.calls[CALL]}-{browser_seeded.evaluations[CALL]}-greeting"
    choose(page.locator(f".st-key-{key}-outcome"), "Your verdict", "fail")
    reason = page.locator(f".st-key-{key}-reason").get_by_role("textbox")
    expect(reason).to_be_enabled()
    reason.fill("The agent greeted before the customer was connected")
    reason.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("review by Rita R.").first).to_be_visible()
    screenshot(page, "reviewer-call_review-after-override")
    with session_scope(browser_seeded.url) as session:
        human = session.scalars(
            select(Evaluation).where(
                Evaluation.kind == EvaluationKind.human,
                Evaluation.reviews_evaluation_id == browser_seeded.evaluations[CALL],
            )
        ).one()
        override = session.scalars(
            select(VerdictOverride).where(VerdictOverride.evaluation_id == human.id)
        ).one()
        assert (override.criterion, override.new_outcome) == ("greeting", "fail")
        assert override.reason == "The agent greeted before the customer was connected"


def _admin_sees_the_claim(browser: Browser, app_url: str) -> None:
    """Another person, in another browser, sees the call as taken (and does not take it)."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        admin = sign_in_as(context.new_page(), app_url, "admin")
        admin.get_by_role("link", name="Review queue").click()
        admin.get_by_role("heading", name="Review queue").wait_for()
        wait_for_app(admin)
        choose(admin, "Review call", CALL)
        admin.get_by_role("button", name="Open call review").click()
        expect(admin.get_by_text("In review by Rita R.")).to_be_visible()
    finally:
        context.close()
