"""Every page of the app shell for every role: it renders for the roles it serves and refuses
the others with a message (never a traceback), whatever navigation would have shown."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from qa.storage.db import session_scope
from qa.storage.models import Role
from qa.storage.scorecard_store import sync_shipped_scorecards
from qa.ui.components.labels import ROLES
from tests.ui.seed import Seeded

PageAs = Callable[[str, str], AppTest]
USERS = ("admin", "reviewer", "coach", "sara", "globex")
ALLOWED = {
    "review_queue": {"admin", "reviewer"},
    "call_review": set(USERS),
    "my_scores": {"sara"},
    "scorecards_admin": {"admin"},
    "calls_admin": {"admin"},
    "users_admin": {"admin"},
    "calibration": {"admin", "reviewer", "coach"},
    "search": set(USERS),
    "welcome": set(USERS),
}
REFUSAL = {
    "review_queue": "this needs one of the roles: admin, lead, reviewer",
    "my_scores": "this needs one of the roles: agent",
    "scorecards_admin": "this needs one of the roles: admin",
    "calls_admin": "this needs one of the roles: admin",
    "users_admin": "this needs one of the roles: admin",
    "calibration": "this needs one of the roles: admin, lead, reviewer, coach",
}


@pytest.fixture(autouse=True)
def shipped_scorecards(seeded: Seeded) -> None:
    """The seed's minimal scorecard is not a loadable one; the shipped ones are."""
    with session_scope(seeded.url) as session:
        sync_shipped_scorecards(session)


@pytest.mark.parametrize("page", sorted(ALLOWED))
@pytest.mark.parametrize("username", USERS)
def test_each_page_renders_or_refuses_for_each_role(
    page_as: PageAs, page: str, username: str
) -> None:
    at = page_as(page, username).run()
    assert not at.exception
    if username in ALLOWED[page]:
        assert not at.error, [e.value for e in at.error]
        assert at.title
    else:
        assert [e.value for e in at.error] == [REFUSAL[page]]


@pytest.mark.parametrize(("username", "foreign"), [("sara", "ivan-1"), ("globex", "sara-1")])
def test_call_review_refuses_a_crafted_call_id_with_a_message(
    page_as: PageAs, seeded: Seeded, username: str, foreign: str
) -> None:
    at = page_as("call_review", username)
    at.session_state["review_call_id"] = seeded.calls[foreign]
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["This call does not exist or you may not open it."]
    assert not at.get("audio") and not at.get("html")


def test_a_missing_call_and_a_foreign_one_get_the_same_refusal(
    page_as: PageAs, seeded: Seeded
) -> None:
    """Neither the call id nor its owner shows, so refusals cannot map which calls exist."""
    answers = []
    for call_id in (seeded.calls["ivan-1"], 999_999):
        at = page_as("call_review", "sara")
        at.session_state["review_call_id"] = call_id
        at.run()
        answers.append([e.value for e in at.error])
    assert answers[0] == answers[1] == ["This call does not exist or you may not open it."]
    assert "ivan" not in str(answers) and "999999" not in str(answers)


def test_a_page_opened_without_signing_in_asks_to_sign_in(seeded: Seeded) -> None:
    from tests.ui.conftest import _render_page

    at = AppTest.from_function(_render_page, args=("my_scores",)).run()
    assert [w.value for w in at.warning] == ["Please sign in."]
    assert not at.dataframe


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_a_name_people_read(role: Role) -> None:
    """The sidebar's "Signed in as … (role)" shows a translated name, never the raw value."""
    assert role in ROLES
