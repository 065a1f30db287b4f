"""Links to a call (`?call=ID`) and a coaching session (`?coaching=ID`) open it after sign-in,
for those allowed to see it, and are refused clearly to everyone else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from qa.queries.coaching import SessionForm, record_session
from qa.storage.db import session_scope
from tests.ui.conftest import APP, TIMEOUT
from tests.ui.seed import PASSWORDS, Seeded, viewer_named

PageAs = Callable[[str, str], AppTest]
COACHING_REFUSED = "This coaching session does not exist or you may not open it."
CALL_REFUSED = "This call does not exist or you may not open it."


def _coaching_of(seeded: Seeded, agent: str) -> int:
    form = SessionForm(seeded.agents[agent], date(2026, 11, 20), f"Talked with {agent}")
    with session_scope(seeded.url) as session:
        return record_session(session, viewer_named(seeded.url, "coach"), form)


def _expanded(at: AppTest) -> list[str]:
    return [e.label for e in at.expander if e.proto.expanded]


def _signed_in_through_link(query: dict[str, str], username: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(PASSWORDS[username])
    return at.button[0].click().run()


def test_a_coaching_link_opens_that_session_with_its_agent_for_a_coach(
    seeded: Seeded, page_as: PageAs
) -> None:
    linked = _coaching_of(seeded, "ivan")  # not the first agent of the picker
    at = page_as("coaching", "coach")
    at.query_params["coaching"] = str(linked)
    at.run()
    assert not at.exception and not at.error
    assert at.selectbox(key="coaching-agent").value == seeded.agents["ivan"]
    assert len(_expanded(at)) == 1


def test_an_agent_opens_their_own_coaching_link_on_my_scores_and_not_anothers(
    seeded: Seeded, page_as: PageAs
) -> None:
    own, other = _coaching_of(seeded, "sara"), _coaching_of(seeded, "ivan")
    at = page_as("my_scores", "sara")
    at.query_params["coaching"] = str(own)
    at.run()
    assert not at.exception and not at.error
    assert len(_expanded(at)) == 1
    at = page_as("my_scores", "sara")
    at.query_params["coaching"] = str(other)
    at.run()
    assert [e.value for e in at.error] == [COACHING_REFUSED]
    assert "Talked with ivan" not in [m.value for m in at.markdown]


def test_a_missing_or_malformed_coaching_link_is_refused_like_a_forbidden_one(
    seeded: Seeded, page_as: PageAs
) -> None:
    for requested in ("99999", "not-a-number"):
        at = page_as("coaching", "coach")
        at.query_params["coaching"] = requested
        at.run()
        assert [e.value for e in at.error] == [COACHING_REFUSED]


@pytest.mark.parametrize(("username", "title"), [("coach", "Coaching"), ("sara", "My scores")])
def test_a_coaching_link_opens_after_sign_in_on_the_page_the_role_reads_it(
    seeded: Seeded, username: str, title: str
) -> None:
    linked = _coaching_of(seeded, "sara")
    at = _signed_in_through_link({"coaching": str(linked)}, username)
    assert not at.exception and not at.error
    assert at.title[0].value == title
    assert len(_expanded(at)) == 1


def test_a_coaching_link_is_refused_after_sign_in_to_a_role_without_coaching(
    seeded: Seeded,
) -> None:
    linked = _coaching_of(seeded, "sara")
    at = _signed_in_through_link({"coaching": str(linked)}, "reviewer")
    assert [e.value for e in at.error] == [COACHING_REFUSED]
    assert at.title[0].value == "Review queue"


def test_a_call_link_opens_after_sign_in_for_its_agent_and_is_refused_to_another(
    seeded: Seeded,
) -> None:
    query = {"call": str(seeded.calls["sara-2"])}
    at = _signed_in_through_link(query, "sara")
    assert not at.exception and not at.error
    assert at.title[0].value == "Call review"
    assert any("sara-2" in m.value for m in at.markdown)
    at = _signed_in_through_link(query, "ivan")
    assert [e.value for e in at.error] == [CALL_REFUSED]
