"""In a real browser: clicking a dashboard bar lists the calls behind it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.ui.browser.conftest import wait_for_app


def test_clicking_a_failure_rate_bar_lists_the_calls_where_it_failed(
    sign_in: Callable[..., Page], screenshot: Callable[[Page, str], Path]
) -> None:
    page = sign_in("admin")  # the admin lands on Dashboards
    page.get_by_role("heading", name="Dashboards").wait_for()
    wait_for_app(page)
    chart = page.locator(".js-plotly-plot").filter(has_text="Criterion failure rates")
    chart.scroll_into_view_if_needed()
    bar = chart.locator(".bars path").first.bounding_box()
    assert bar is not None
    # Plotly takes clicks on its drag layer above the bars: click where the bar is drawn.
    page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    wait_for_app(page)
    # The worst criterion first: the greeting (failed on sara-1, ivan-1 and gina-1).
    expect(page.get_by_text("3 calls behind the selected point, newest first.")).to_be_visible()
    screenshot(page, "admin-dashboard-drilldown")
