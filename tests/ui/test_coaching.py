"""The Coaching page: Pareto of failures, example calls, the session form, before and after.

Seed (tests/ui/seed.py): Sara's calls are sara-1 on 2 Nov (80: greeting failed), sara-2 on
5 Nov (100) and sara-3 on 8 Nov (60: rude language).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from qa.storage.db import session_scope
from qa.storage.models import CoachingSession
from tests.ui.seed import Seeded

PageAs = Callable[[str, str], AppTest]


def field(name: str, seeded: Seeded, agent: str = "sara") -> str:
    """The key of a session form widget (one form per agent)."""
    return f"coaching-{name}-{seeded.agents[agent]}"


def open_agent(page_as: PageAs, seeded: Seeded, username: str, agent: str) -> AppTest:
    at = page_as("coaching", username).run()
    at.selectbox(key="coaching-agent").select(seeded.agents[agent]).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def test_a_coach_sees_the_agents_failures_and_example_calls(
    page_as: PageAs, seeded: Seeded
) -> None:
    at = open_agent(page_as, seeded, "coach", "sara")
    (pareto,) = at.get("plotly_chart")
    assert "Most failed criteria (Pareto)" in pareto.proto.spec
    assert '"Greeting"' in pareto.proto.spec and '"No rude language"' in pareto.proto.spec
    markdown = [m.value for m in at.markdown]
    good = [m for m in markdown if m.startswith("**sara-")]
    assert [m.split("**")[1] for m in good] == ["sara-2", "sara-1", "sara-3"]
    assert "Failed: No rude language" in [c.value for c in at.caption]
    assert at.button(key=f"listen-bad-{seeded.calls['sara-3']}-politeness")
    # The form suggests the criteria failed most as the focus.
    assert at.multiselect(key=field("focus", seeded)).value == ["greeting", "no_rude_language"]


def test_a_coach_records_a_session_and_sees_before_and_after(
    page_as: PageAs, seeded: Seeded
) -> None:
    at = open_agent(page_as, seeded, "coach", "sara")
    at.date_input(key=field("held-on", seeded)).set_value(date(2026, 11, 5))
    at.multiselect(key=field("focus", seeded)).set_value(["greeting"])
    at.text_area(key=field("notes", seeded)).input("Open every call with the greeting.")
    at.text_area(key=field("goals", seeded)).input("Greeting on every call")
    at.text_area(key=field("actions", seeded)).input("Listen to sara-1 together")
    at.date_input(key=field("follow-up", seeded)).set_value(date(2026, 11, 19))
    at.button[-1].click().run()  # the form's submit button
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == ["The session was saved."]
    with session_scope(seeded.url) as session:
        saved = session.scalars(select(CoachingSession)).one()
        assert (saved.agent_id, saved.held_on, saved.focus_criteria) == (
            seeded.agents["sara"], date(2026, 11, 5), ["greeting"],
        )  # fmt: skip
        assert saved.follow_up_on == date(2026, 11, 19)
    assert [e.label for e in at.expander] == ["5 Nov 2026 with Carl Coach"]
    progress = at.dataframe[0].value
    row = progress.iloc[0]
    # Before: sara-1 (greeting failed); after: sara-3 (greeting passed); sara-2 is on the day.
    assert (row["Focus criterion"], row["Score before"], row["Score after"]) == (
        "Greeting", "0%", "100%",
    )  # fmt: skip
    assert row["Change"] == "+100 points"


def test_a_session_without_notes_is_refused_and_keeps_what_was_typed(
    page_as: PageAs, seeded: Seeded
) -> None:
    at = open_agent(page_as, seeded, "admin", "ivan")
    at.text_area(key=field("goals", seeded, "ivan")).input("Greet every caller")
    at.text_area(key=field("actions", seeded, "ivan")).input("Shadow a senior agent")
    at.button[-1].click().run()
    assert [e.value for e in at.error] == ["please write notes on what was discussed"]
    assert at.text_area(key=field("goals", seeded, "ivan")).value == "Greet every caller"
    assert at.text_area(key=field("actions", seeded, "ivan")).value == "Shadow a senior agent"
    # Adding the notes now saves the session with everything typed before.
    at.text_area(key=field("notes", seeded, "ivan")).input("Talked about greetings")
    at.button[-1].click().run()
    assert [s.value for s in at.success] == ["The session was saved."]
    assert at.text_area(key=field("goals", seeded, "ivan")).value == ""
    with session_scope(seeded.url) as session:
        saved = session.scalars(select(CoachingSession)).one()
        assert (saved.goals, saved.action_items) == ("Greet every caller", "Shadow a senior agent")


@pytest.mark.parametrize("username", ["reviewer", "sara", "globex"])
def test_the_coaching_page_is_refused_to_other_roles(page_as: PageAs, username: str) -> None:
    at = page_as("coaching", username).run()
    assert [e.value for e in at.error] == ["this needs one of the roles: coach, admin, lead"]
    assert not at.get("plotly_chart") and not at.selectbox


def test_listen_opens_the_example_call_in_call_review(
    app_as: Callable[[str], AppTest], seeded: Seeded
) -> None:
    at = app_as("coach").run()  # the coach lands on Coaching
    at.selectbox(key="coaching-agent").select(seeded.agents["sara"]).run()
    at.button(key=f"listen-bad-{seeded.calls['sara-3']}-politeness").click().run()
    assert not at.exception and not at.error
    assert [t.value for t in at.title] == ["Call review"]
    assert at.session_state["review_call_id"] == seeded.calls["sara-3"]
