"""In a real browser: every page of every role's navigation draws without a traceback, and
a screenshot of each lands in tests/ui/screenshots/<role>-<page>.png for people to look at."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qa.storage.models import Role
from qa.ui.navigation import PAGES, pages_for
from tests.ui.browser.conftest import wait_for_app

USERS = {"admin": Role.admin, "reviewer": Role.reviewer, "coach": Role.coach, "sara": Role.agent,
         "globex": Role.client_viewer}  # fmt: skip


@pytest.mark.parametrize("username", list(USERS))
def test_every_page_of_each_role_draws_and_is_photographed(
    sign_in: Callable[..., Page], screenshot: Callable[[Page, str], Path], username: str
) -> None:
    role = USERS[username]
    page = sign_in(username)
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    expected = [PAGES[key].title for key in pages_for(role)]
    assert [text.splitlines()[-1] for text in links.all_inner_texts()] == expected
    for key in pages_for(role):
        links.filter(has_text=PAGES[key].title).click()
        wait_for_app(page)
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        assert page.get_by_test_id("stException").count() == 0, f"{key} shows a traceback"
        screenshot(page, f"{role.value}-{key}")
