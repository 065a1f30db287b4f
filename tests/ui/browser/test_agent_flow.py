"""In a real browser: an agent sees only their own calls, disputes a verdict, and the
reviewer's resolution comes back to them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.ui.browser.conftest import choose, open_selectbox, wait_for_app
from tests.ui.seed import Seeded

CALL = "sara-1"  # this flow's own call: no other browser test writes to it
REASON = "I did greet the customer, the recording starts late"
RESOLUTION = "The greeting is missing from the recording itself"


def _options(page: Page, label: str) -> list[str]:
    open_selectbox(page, label)
    page.get_by_role("option").first.wait_for()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    return options


def test_an_agent_sees_only_their_calls_disputes_one_and_reads_the_resolution(
    sign_in: Callable[..., Page], browser_seeded: Seeded, screenshot: Callable[[Page, str], Path]
) -> None:
    page = sign_in("sara")
    page.get_by_role("heading", name="My scores").wait_for()
    evaluations = _options(page, "Evaluation")
    assert evaluations and all(" · sara-" in option for option in evaluations), evaluations
    page.get_by_role("link", name="Call review").click()
    page.get_by_role("heading", name="Call review").wait_for()
    wait_for_app(page)
    calls = _options(page, "Call")
    assert sorted(c.split(" · ")[0] for c in calls) == ["sara-1", "sara-2", "sara-3"]

    page.get_by_role("link", name="My scores").click()
    choose(page, "Evaluation", f"{CALL} · ")
    form = page.get_by_test_id("stForm")
    choose(form, "Verdict", "Greeting (fail)")
    form.get_by_role("textbox", name="Why do you disagree?").fill(REASON)
    form.get_by_role("button", name="Send dispute").click()
    expect(page.get_by_text("Your dispute was sent to the review queue.")).to_be_visible()
    expect(page.get_by_text("waiting for a reviewer")).to_be_visible()

    page = sign_in("reviewer")
    choose(page, "Review call", f"{CALL} · ")
    expect(page.get_by_role("combobox", name="Review call")).to_have_value(re.compile("Disputed"))
    page.get_by_role("button", name="Open call review").click()
    page.get_by_text(REASON).wait_for()
    page.get_by_role("radiogroup").get_by_text("Reject").click()
    resolution = page.get_by_role("textbox", name="Resolution for the agent")
    resolution.fill(RESOLUTION)
    resolution.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("review by Rita R.")).to_be_visible()

    page = sign_in("sara")
    expect(page.get_by_text(RESOLUTION)).to_be_visible()
    expect(page.get_by_text("rejected")).to_be_visible()
    screenshot(page, "agent-my_scores-dispute-resolved")
