"""Signing in and out, session expiry, and the navigation each role gets."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from qa.auth import SignInFailed, authenticate, resume_session
from qa.passwords import needs_rehash, verify_password
from qa.queries.access import Viewer
from qa.storage import audit
from qa.storage.db import session_scope
from qa.storage.models import AuditEntry, Role, User, UserSession
from qa.ui.navigation import ROLE_PAGES, pages_for
from tests.conftest import BOTH_DATABASES
from tests.ui.conftest import APP, TIMEOUT, viewer_for
from tests.ui.seed import PASSWORDS, Seeded

AppAs = Callable[[str], AppTest]


def _sign_in(username: str, password: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    return at.button[0].click().run()


def test_correct_password_signs_in_and_lands_on_the_roles_first_page(seeded: Seeded) -> None:
    at = _sign_in("reviewer", PASSWORDS["reviewer"])
    assert not at.exception
    viewer = at.session_state["viewer"]
    assert isinstance(viewer, Viewer) and viewer.role is Role.reviewer
    assert [t.value for t in at.title] == ["Review queue"]
    assert "Signed in as **reviewer** (reviewer)" in [c.value for c in at.sidebar.caption]


@BOTH_DATABASES
def test_wrong_password_shows_a_generic_message_and_is_audited(seeded: Seeded) -> None:
    at = _sign_in("reviewer", "not-the-password")
    assert [e.value for e in at.error] == ["Unknown username or wrong password."]
    assert "viewer" not in at.session_state
    unknown = _sign_in("nobody", "whatever-password")
    assert [e.value for e in unknown.error] == ["Unknown username or wrong password."]
    with session_scope(seeded.url) as session:
        actions = session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "auth.sign_in_failed")
        ).all()
    assert sorted(d["username"] for d in actions) == ["nobody", "reviewer"]


def test_a_deactivated_user_cannot_sign_in(seeded: Seeded) -> None:
    with session_scope(seeded.url) as session:
        session.scalars(select(User).where(User.username == "coach")).one().active = False
    at = _sign_in("coach", PASSWORDS["coach"])
    assert [e.value for e in at.error] == ["Unknown username or wrong password."]


def _audited(url: str, action: str) -> list[str]:
    with session_scope(url) as session:
        return list(
            session.scalars(
                select(AuditEntry.details["username"].as_string()).where(
                    AuditEntry.action == action
                )
            )
        )


def test_sign_out_returns_to_the_sign_in_form(seeded: Seeded, app_as: AppAs) -> None:
    at = app_as("admin").run()
    at.sidebar.button(key="sign_out").click().run()
    assert "viewer" not in at.session_state
    assert [t.value for t in at.title] == ["callqa"]
    assert at.text_input(key="sign_in_password")
    assert _audited(seeded.url, "auth.sign_out") == ["admin"]


def test_an_expired_session_signs_out_with_a_message(seeded: Seeded, app_as: AppAs) -> None:
    at = app_as("sara")
    at.session_state["last_active_at"] = datetime.now(UTC) - timedelta(minutes=61)
    at.run()
    assert "viewer" not in at.session_state
    assert "Your session has expired. Please sign in again." in [w.value for w in at.warning]
    assert at.text_input(key="sign_in_password")
    assert _audited(seeded.url, "auth.session_expired") == ["sara"]


def test_activity_keeps_a_session_alive(app_as: AppAs) -> None:
    at = app_as("sara")
    at.session_state["last_active_at"] = datetime.now(UTC) - timedelta(minutes=59)
    at.run()
    assert "viewer" in at.session_state
    assert datetime.now(UTC) - at.session_state["last_active_at"] < timedelta(minutes=1)
    assert [t.value for t in at.title] == ["My scores"]


MY_PAGE_TITLES = {"review_queue": "Review queue", "my_scores": "My scores", "welcome": "callqa"}


@pytest.mark.parametrize("username", ["admin", "reviewer", "coach", "sara", "globex"])
def test_each_role_lands_on_its_first_page_without_errors(app_as: AppAs, username: str) -> None:
    at = app_as(username).run()
    assert not at.exception
    assert not at.error
    first = (pages_for(at.session_state["viewer"].role) or ["welcome"])[0]
    if first in MY_PAGE_TITLES:  # the other pages' titles are their owners' to choose
        assert at.title[0].value == MY_PAGE_TITLES[first]


def test_navigation_per_role_matches_what_each_role_may_do() -> None:
    assert ROLE_PAGES[Role.agent] == ("my_scores", "call_review", "search")
    assert "scorecards_admin" not in ROLE_PAGES[Role.reviewer]
    assert set(ROLE_PAGES[Role.client_viewer]) == {"dashboards", "export", "search"}
    assert {"scorecards_admin", "calls_admin"} <= set(ROLE_PAGES[Role.admin])
    for keys in ROLE_PAGES.values():
        assert "login" not in keys


def test_viewer_of_a_client_viewer_carries_the_client(seeded: Seeded) -> None:
    viewer = viewer_for(seeded.url, "globex")
    assert viewer.role is Role.client_viewer
    assert viewer.client_id == seeded.clients["Globex"]


def test_a_hash_with_weaker_parameters_is_upgraded_at_sign_in(seeded: Seeded) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORDS["coach"])
    with session_scope(seeded.url) as session:
        session.scalars(select(User).where(User.username == "coach")).one().password_hash = weak
    at = _sign_in("coach", PASSWORDS["coach"])
    assert "viewer" in at.session_state
    with session_scope(seeded.url) as session:
        stored = session.scalars(select(User).where(User.username == "coach")).one().password_hash
    assert stored != weak and not needs_rehash(stored)
    assert verify_password(stored, PASSWORDS["coach"])


def _failed_attempts(url: str, username: str, count: int, minutes_ago: float = 0) -> None:
    """Wrong passwords as the audit log records them (each real attempt costs an argon2 check)."""
    with session_scope(url) as session:
        for _attempt in range(count):
            entry = audit.record(session, "auth.sign_in_failed", "username", username,
                                 username=username)  # fmt: skip
            entry.at = datetime.now(UTC) - timedelta(minutes=minutes_ago)


@BOTH_DATABASES
def test_ten_wrong_passwords_lock_the_username_even_for_the_right_one(seeded: Seeded) -> None:
    with session_scope(seeded.url) as session, pytest.raises(SignInFailed):
        authenticate(session, "reviewer", "not-the-password")  # a real failure is counted
    _failed_attempts(seeded.url, "reviewer", 9)
    at = _sign_in("reviewer", PASSWORDS["reviewer"])
    assert "viewer" not in at.session_state
    assert [e.value for e in at.error] == [
        "Too many failed sign-ins for this username. It is locked for 15 minutes; "
        "try again later or ask an administrator."
    ]
    assert _audited(seeded.url, "auth.sign_in_locked") == ["reviewer"]
    # Other usernames are not affected.
    assert "viewer" in _sign_in("coach", PASSWORDS["coach"]).session_state


@BOTH_DATABASES
def test_nine_failures_do_not_lock_and_the_lock_lifts_after_fifteen_minutes(
    seeded: Seeded,
) -> None:
    _failed_attempts(seeded.url, "reviewer", 9)
    with session_scope(seeded.url) as session:
        assert authenticate(session, "reviewer", PASSWORDS["reviewer"]).username == "reviewer"
    _failed_attempts(seeded.url, "coach", 10, minutes_ago=16)
    with session_scope(seeded.url) as session:
        assert authenticate(session, "coach", PASSWORDS["coach"]).username == "coach"


def test_unknown_and_known_usernames_take_the_same_time(seeded: Seeded) -> None:
    """A wrong answer must not tell whether the username exists (or is deactivated)."""
    with session_scope(seeded.url) as session:
        session.scalars(select(User).where(User.username == "coach")).one().active = False

    def seconds(username: str) -> float:
        timings = []
        for _attempt in range(3):
            with session_scope(seeded.url) as session:
                started = time.perf_counter()
                with pytest.raises(SignInFailed):
                    authenticate(session, username, "not-the-password")
                timings.append(time.perf_counter() - started)
        return statistics.median(timings)

    known, unknown, inactive = seconds("reviewer"), seconds("nobody"), seconds("coach")
    assert 0.5 < unknown / known < 2.0, (known, unknown)
    assert 0.5 < inactive / known < 2.0, (known, inactive)


def test_a_user_deactivated_while_signed_in_is_signed_out_at_the_next_click(
    seeded: Seeded,
) -> None:
    at = _sign_in("sara", PASSWORDS["sara"])
    assert "viewer" in at.session_state
    with session_scope(seeded.url) as session:
        session.scalars(select(User).where(User.username == "sara")).one().active = False
    at.run()
    assert "viewer" not in at.session_state
    assert "Your session has ended. Please sign in again." in [w.value for w in at.warning]
    assert at.text_input(key="sign_in_password")
    assert _audited(seeded.url, "auth.session_ended_inactive") == ["sara"]


def test_a_deleted_user_is_signed_out_at_the_next_click(seeded: Seeded, app_as: AppAs) -> None:
    at = app_as("globex").run()
    assert "viewer" in at.session_state
    with session_scope(seeded.url) as session:
        session.delete(session.scalars(select(User).where(User.username == "globex")).one())
    at.run()
    assert "viewer" not in at.session_state
    assert _audited(seeded.url, "auth.session_ended_inactive") == ["globex"]


@BOTH_DATABASES
def test_a_session_token_resumes_until_sign_out_ends_it(seeded: Seeded) -> None:
    """What a refresh does: a new browser session presents the cookie's token."""
    at = _sign_in("sara", PASSWORDS["sara"])
    token = at.session_state["session_token"]
    with session_scope(seeded.url) as session:
        stored = session.scalars(select(UserSession.token_hash)).all()
        resumed = resume_session(session, token, timedelta(minutes=60))
    assert token not in stored and len(stored) == 1  # only a hash is kept
    assert resumed is not None and resumed.username == "sara"
    at.sidebar.button(key="sign_out").click().run()
    with session_scope(seeded.url) as session:
        assert resume_session(session, token, timedelta(minutes=60)) is None
