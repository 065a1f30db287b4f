"""In a real browser: Persian and Russian users get the whole app in their language.

A Persian user sees every page mirrored right to left in Vazirmatn, dates in the Solar Hijri
calendar with Persian digits, and types Jalali dates into the filters; a Russian user sees
Russian navigation and Russian date formats. Each user visits every page of their role; the
Persian admin's pages and the agent's together are every page of the app. Screenshots go to
tests/ui/screenshots/ and /tmp/shots-i12/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from qa.i18n import _, language
from qa.storage.db import session_scope
from qa.storage.directory import create_user
from qa.storage.models import Role
from qa.ui.navigation import PAGES, pages_for
from tests.ui.browser.conftest import (
    SCREENSHOTS,
    UI_TIMEOUT_MS,
    VIEWPORT,
    wait_for_app,
)
from tests.ui.seed import Seeded

SHOTS = Path("/tmp/shots-i12")
PASSWORD = "language-password"
# username: (language, role, linked agent)
USERS = {
    "pari-admin": ("fa", Role.admin, None),
    "sara-fa": ("fa", Role.agent, "sara"),
    "ivan-ru": ("ru", Role.agent, "ivan"),
}
# Signs in only in the last test, which changes the user's language.
SWITCHER = "lena-ru"
# The seed's calls are on 2-9 November 2026: 11-18 Aban 1405 in the Solar Hijri calendar.
DATES = {"fa": "آبان ۱۴۰۵", "ru": "нояб. 2026 г."}


@pytest.fixture(scope="module")
def language_users(browser_seeded: Seeded) -> dict[str, tuple[str, Role, str | None]]:
    with session_scope(browser_seeded.url) as session:
        for username, (code, role, agent) in {**USERS, SWITCHER: ("ru", Role.coach, None)}.items():
            create_user(session, username, PASSWORD, role, agent_external_id=agent, language=code)
    return USERS


@pytest.fixture
def persian_or_russian(
    browser: Browser, app_url: str, language_users: dict[str, tuple[str, Role, str | None]]
) -> Iterator[Page]:
    # The browser asks for English: the user's own language must win once signed in.
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB", timezone_id="Asia/Tehran")
    context.set_default_timeout(UI_TIMEOUT_MS)
    yield context.new_page()
    context.close()


def _sign_in(page: Page, app_url: str, username: str) -> Page:
    """Through the English sign-in form (the browser is en-GB), into the user's language."""
    page.goto(app_url)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_test_id("stSidebarNav").wait_for()
    wait_for_app(page)
    return page


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    wait_for_app(page)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    shutil.copy(path, SHOTS / path.name)


def _direction(page: Page, test_id: str) -> str:
    return str(
        page.evaluate(
            f"() => getComputedStyle(document.querySelector('[data-testid={test_id}]')).direction"
        )
    )


@pytest.mark.parametrize("username", list(USERS))
def test_every_page_is_in_the_users_language_direction_calendar_and_digits(
    persian_or_russian: Page, app_url: str, username: str
) -> None:
    code, role, _agent = USERS[username]
    page = _sign_in(persian_or_russian, app_url, username)
    with language(code):
        titles = [_(PAGES[key].title) for key in pages_for(role)]
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    assert [text.splitlines()[-1] for text in links.all_inner_texts()] == titles
    expected_direction = "rtl" if code == "fa" else "ltr"
    shown = []
    for key, title in zip(pages_for(role), titles, strict=True):
        links.filter(has_text=title).first.click()
        wait_for_app(page)
        expect(page.get_by_role("heading", level=1).first).to_have_text(title)
        assert page.get_by_test_id("stException").count() == 0, f"{key} shows a traceback"
        assert _direction(page, "stMain") == expected_direction, key
        assert _direction(page, "stSidebar") == expected_direction, key
        _screenshot(page, f"{code}-{role.value}-{key}")
        # Tables are canvas grids; their cells are kept in the DOM for screen readers.
        shown.append(page.locator("body").inner_text())
        shown.extend(page.locator("[role=gridcell]").all_inner_texts())
    # Babel keeps "2026 г." together with a no-break space.
    text = "\n".join(shown).replace("\xa0", " ").replace("\u202f", " ")
    # Call dates (the Calls table, the call review header) in the user's calendar and digits.
    assert DATES[code] in text
    if code == "fa":
        assert "1405" not in text and " Nov " not in text
        font = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
        assert "Vazirmatn" in font
        assert page.evaluate("async () => (await document.fonts.load('16px Vazirmatn')).length")


def test_a_persian_user_filters_by_a_jalali_date_typed_in_persian_digits(
    persian_or_russian: Page, app_url: str
) -> None:
    page = _sign_in(persian_or_russian, app_url, "pari-admin")
    with language("fa"):
        dashboards, evaluated = _(PAGES["dashboards"].title), _("Evaluated calls")
        start_label = _("{label}: from").format(label=_("Call dates"))
        end_label = _("{label}: to").format(label=_("Call dates"))
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=dashboards).click()
    wait_for_app(page)
    tile = page.get_by_test_id("stMetric").filter(has_text=evaluated)
    everything = tile.inner_text()
    # 14 Aban 1405 is 5 November 2026: the seed has one evaluated call per agent that day.
    for label in (start_label, end_label):
        field = page.get_by_role("textbox", name=label)
        field.fill("۱۴۰۵/۰۸/۱۴")
        field.press("Enter")
        wait_for_app(page)
    expect(tile).not_to_have_text(everything)
    assert "۳" in tile.inner_text()
    _screenshot(page, "fa-admin-dashboards-filtered")


def test_the_sign_in_page_follows_the_browsers_language_and_the_user_can_change_theirs(
    browser: Browser, app_url: str, language_users: dict[str, tuple[str, Role, str | None]]
) -> None:
    context = browser.new_context(viewport=VIEWPORT, locale="ru-RU")
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(app_url)
        with language("ru"):
            username, password = _("Username"), _("Password")
            sign_in, sign_out = _("Sign in"), _("Sign out")
        expect(page.get_by_role("textbox", name=username)).to_be_visible()
        page.get_by_role("textbox", name=username).fill(SWITCHER)
        page.get_by_role("textbox", name=password).fill(PASSWORD)
        page.get_by_role("button", name=sign_in).click()
        page.get_by_role("button", name=sign_out).wait_for()
        wait_for_app(page)
        _screenshot(page, "ru-coach-signed-in")
        # The sidebar's language control: Persian from now on, saved for the next sign-in.
        with language("ru"):
            picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name=_("Language"))
        picker.click()
        page.get_by_role("option", name="فارسی").click()
        wait_for_app(page)
        assert _direction(page, "stMain") == "rtl"
        with language("fa"):
            expect(page.get_by_role("button", name=_("Sign out"))).to_be_visible()
    finally:
        context.close()
