"""The Users page: an admin adds people, resets passwords, deactivates and links them."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from qa.auth import authenticate
from qa.errors import QAError
from qa.storage.db import session_scope
from qa.storage.models import Agent, Role, User
from tests.ui.seed import Seeded

PageAs = Callable[[str, str], AppTest]


def _user(url: str, username: str) -> User:
    with session_scope(url) as session:
        return session.scalars(select(User).where(User.username == username)).one()


def _clean(at: AppTest) -> AppTest:
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def test_an_admin_adds_an_agent_user_and_a_refusal_keeps_what_was_typed(
    page_as: PageAs, seeded: Seeded
) -> None:
    at = _clean(page_as("users_admin", "admin").run())
    assert "sara" in set(at.dataframe[0].value["Username"])
    at.text_input(key="new-username").input("nina")
    at.text_input(key="new-name").input("Nina New")
    at.selectbox(key="new-role").set_value(Role.agent)
    at.text_input(key="new-password").input("short")
    at.selectbox(key="new-agent").select_index(1)
    at.button[0].click().run()  # the form's submit, first button of the first tab
    assert [e.value for e in at.error] == ["a password needs at least 8 characters"]
    assert at.text_input(key="new-username").value == "nina"
    assert at.text_input(key="new-name").value == "Nina New"
    at.text_input(key="new-password").input("long-enough-password")
    at.button[0].click().run()
    assert [s.value for s in at.success] == ["User nina added."]
    assert at.text_input(key="new-username").value == ""
    nina = _user(seeded.url, "nina")
    assert (nina.display_name, nina.role.value, nina.agent_id is not None) == (
        "Nina New",
        "agent",
        True,
    )


def test_an_admin_resets_a_password_and_deactivates_a_user(page_as: PageAs, seeded: Seeded) -> None:
    sara = _user(seeded.url, "sara")
    at = _clean(page_as("users_admin", "admin").run())
    at.selectbox(key="manage-user").set_value(sara.id).run()
    at.text_input(key=f"reset-password-{sara.id}").input("a-brand-new-password")
    at.button(key=f"reset-{sara.id}").click().run()
    assert [s.value for s in at.success] == ["Password of sara reset."]
    with session_scope(seeded.url) as session:
        assert authenticate(session, "sara", "a-brand-new-password").username == "sara"
    at.button(key=f"deactivate-{sara.id}").click().run()
    assert [s.value for s in at.success] == ["sara deactivated."]
    with session_scope(seeded.url) as session:
        try:
            authenticate(session, "sara", "a-brand-new-password")
            raise AssertionError("a deactivated user signed in")
        except QAError:
            pass
    admin = _user(seeded.url, "admin")
    at.selectbox(key="manage-user").set_value(admin.id).run()
    at.button(key=f"deactivate-{admin.id}").click().run()
    assert [e.value for e in at.error] == ["you cannot deactivate yourself; ask another admin"]


def test_an_admin_links_an_agent_user_and_moves_an_agent_to_a_team(
    page_as: PageAs, seeded: Seeded
) -> None:
    ivan = _user(seeded.url, "ivan")
    at = _clean(page_as("users_admin", "admin").run())
    at.selectbox(key="manage-user").set_value(ivan.id).run()
    at.selectbox(key=f"link-{ivan.id}").set_value("gina").run()
    at.button(key=f"link-submit-{ivan.id}").click().run()
    assert [s.value for s in at.success] == ["ivan linked."]
    assert _user(seeded.url, "ivan").agent_id == seeded.agents["gina"]
    sara_agent = seeded.agents["sara"]
    with session_scope(seeded.url) as session:
        moscow = session.get_one(Agent, seeded.agents["ivan"]).team_id
    at.selectbox(key="team-agent").set_value(sara_agent).run()
    at.selectbox(key=f"team-of-{sara_agent}").set_value(moscow).run()
    at.button(key="team-submit").click().run()
    assert [s.value for s in at.success] == ["Team changed."], [e.value for e in at.error]
    with session_scope(seeded.url) as session:
        assert session.get_one(Agent, sara_agent).team_id == moscow


def test_an_admin_gives_a_new_user_a_language_and_changes_another_users(
    page_as: PageAs, seeded: Seeded
) -> None:
    at = _clean(page_as("users_admin", "admin").run())
    assert at.selectbox(key="new-language").value == "en"  # as `qa user add` without --language
    at.text_input(key="new-username").input("parisa")
    at.selectbox(key="new-role").select_index(2)  # coach
    at.selectbox(key="new-language").set_value("fa")
    at.text_input(key="new-password").input("long-enough-password")
    at.button[0].click().run()
    assert [s.value for s in at.success] == ["User parisa added."]
    assert _user(seeded.url, "parisa").language == "fa"
    assert "فارسی" in set(at.dataframe[0].value["Language"])
    ivan = _user(seeded.url, "ivan")
    at.selectbox(key="manage-user").set_value(ivan.id).run()
    at.selectbox(key=f"language-{ivan.id}").set_value("ru").run()
    at.button(key=f"language-submit-{ivan.id}").click().run()
    assert [s.value for s in at.success] == ["ivan now reads the app in Русский."]
    assert _user(seeded.url, "ivan").language == "ru"
