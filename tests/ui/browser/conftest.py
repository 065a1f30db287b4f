"""Browser fixtures: one `streamlit run app.py` per test session on loopback, driven by Chromium.

The server reads a seeded SQLite database in a temp folder, so the browser sees exactly the
data set of `tests/ui/seed.py`. Playwright's own browser download does not work here, so the
tests drive Debian's Chromium by its executable path and skip when it is missing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from qa.storage.migrate import upgrade_to_head
from tests.ui.seed import PASSWORDS, Seeded, seed

CHROMIUM = Path(os.environ.get("CALLQA_TEST_CHROMIUM", "/usr/bin/chromium"))
REPO_ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO_ROOT / "tests" / "ui" / "screenshots"
STARTUP_SECONDS = 60
UI_TIMEOUT_MS = 20_000
VIEWPORT: ViewportSize = {"width": 1400, "height": 900}
SETTLE_MS = 300
APP_STATE = "[data-testid='stApp'][data-test-script-state"

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test, so `-m "not browser"` leaves them out."""
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_healthy(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit was not healthy in {STARTUP_SECONDS}s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def browser_seeded(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    """The seed data set in a migrated SQLite database shared by the whole browser session."""
    folder = tmp_path_factory.mktemp("browser-db")
    url = f"sqlite:///{folder / 'callqa.sqlite3'}"
    upgrade_to_head(url)
    return seed(url, folder / "audio")


@pytest.fixture(scope="session")
def app_url(browser_seeded: Seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a headless `streamlit run app.py` reading the seeded database."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    home = tmp_path_factory.mktemp("browser-home")
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": browser_seeded.url,
        "CALLQA_HOME": str(home),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    log = home / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--global.developmentMode", "false",
        "--client.toolbarMode", "viewer",
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out, stderr=out)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base_url, server, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def browser(app_url: str) -> Iterator[Browser]:
    """One Chromium for the session (Debian's binary; Playwright's download is not used)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, app_url: str) -> Iterator[Page]:
    """A fresh browser context (no cookies, no Streamlit session) per test."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(UI_TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


def wait_for_app(page: Page) -> None:
    """Wait until Streamlit has finished the script run an action just started.

    The run starts a moment after the click: wait until the app reports it running (at most
    SETTLE_MS, for a run too short to be seen), then until it reports that none is.
    """
    with suppress(PlaywrightTimeoutError):  # finished before it could be seen
        page.wait_for_selector(f"{APP_STATE}='running']", timeout=SETTLE_MS)
    page.wait_for_selector(f"{APP_STATE}='notRunning']")


def sign_in_as(page: Page, app_url: str, username: str, password: str | None = None) -> Page:
    """Sign in through the real form as a seeded user; returns the page on their landing page.

    The session cookie of an earlier sign-in on this page is dropped first: a refresh would
    otherwise keep the previous user signed in.
    """
    page.context.clear_cookies()
    page.goto(app_url)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password or PASSWORDS[username])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()
    wait_for_app(page)
    return page


@pytest.fixture
def sign_in(page: Page, app_url: str) -> Callable[..., Page]:
    """`sign_in(username)` on this test's page (see `sign_in_as`)."""

    def go(username: str, password: str | None = None) -> Page:
        return sign_in_as(page, app_url, username, password)

    return go


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    """Save a full-page screenshot to tests/ui/screenshots/<name>.png (ignored by git)."""

    def take(page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        wait_for_app(page)
        # Streamlit scrolls inside its main block, not the document: grow the viewport to the
        # content's height so the picture holds the whole page, then put it back.
        size = page.viewport_size or VIEWPORT
        height = page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
            "[data-testid=stMainBlockContainer]')].map(e => e.scrollHeight), 0)"
        )
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
        wait_for_app(page)
        page.screenshot(path=str(path), full_page=True)
        page.set_viewport_size(size)
        return path

    return take


def choose(scope: Page | Locator, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox (found by its label inside `scope`)."""
    page = scope if isinstance(scope, Page) else scope.page
    open_selectbox(scope, label)
    page.get_by_role("option", name=option, exact=False).first.click()
    wait_for_app(page)


def open_selectbox(scope: Page | Locator, label: str) -> None:
    """Open a selectbox's list; scrolled into view first, or the list closes as it scrolls."""
    box = scope.get_by_role("combobox", name=label)
    box.scroll_into_view_if_needed()
    box.click()
