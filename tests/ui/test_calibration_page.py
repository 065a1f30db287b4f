"""The Calibration page end to end: the lead creates a session, two participants score blind,
and the results appear for them once the second one is in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from qa.storage.db import session_scope
from qa.storage.scorecard_store import sync_shipped_scorecards
from tests.ui.seed import Seeded

PageAs = Callable[[str, str], AppTest]
CALLS = ("sara-1", "ivan-1")


@pytest.fixture(autouse=True)
def shipped_scorecards(seeded: Seeded) -> None:
    with session_scope(seeded.url) as session:
        sync_shipped_scorecards(session)


def button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def create_session(page_as: PageAs) -> None:
    at = page_as("calibration", "admin").run()
    assert not at.exception and not at.error
    version = at.selectbox(key="cal-version")
    compliance = next(o for o in version.options if o.startswith("Compliance"))
    version.select(compliance).run()
    at.text_input(key="cal-title").input("Week 47")
    calls = at.multiselect(key="cal-calls")
    for external in CALLS:
        calls.select(next(o for o in calls.options if o.startswith(f"{external} ")))
    people = at.multiselect(key="cal-people")
    people.select("Rita Reviewer (reviewer)").select("Carl Coach (coach)")
    at.selectbox(key="cal-expert").select("Rita Reviewer (reviewer)")
    button(at, "Create session").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    chosen = next(s for s in at.selectbox if s.label == "Session")
    assert chosen.options[chosen.index].startswith("Week 47 · Compliance · open")


def score(page_as: PageAs, username: str, outcomes: dict[str, str]) -> AppTest:
    """Score every call of the open session with the same outcome per criterion position."""
    at = page_as("calibration", username).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert not at.get("metric"), "no results while the session is open"
    for position in range(len(CALLS)):
        unanswered = [r for r in at.radio if r.value is None]
        for radio in unanswered[:2]:  # the next call's two criteria
            criterion = radio.key.rsplit("-", 1)[-1]
            radio.set_value(outcomes.get(criterion, "pass"))
        saves = [b for b in at.button if b.label == "Save my answers"]
        saves[position].click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def test_a_lead_creates_a_session_two_participants_score_blind_and_results_appear(
    page_as: PageAs,
) -> None:
    create_session(page_as)
    rita = page_as("calibration", "reviewer").run()
    assert "0 of 2 participants" in rita.caption[0].value
    assert len(rita.radio) == 2 * 2  # two calls, two compliance criteria
    assert len(rita.get("audio")) == 2  # each call can be listened to
    score(page_as, "reviewer", {"no_sensitive_data_readback": "fail"})
    carl = page_as("calibration", "coach").run()
    assert all(r.value is None for r in carl.radio), "Rita's answers are not shown to Carl"
    assert "1 of 2 participants" in carl.caption[0].value
    score(page_as, "coach", {})
    for username in ("coach", "reviewer", "admin"):
        at = page_as("calibration", username).run()
        assert not at.exception and not at.error
        metrics = {m.label: m.value for m in at.metric}
        # Rita failed the read-back check on both calls, Carl passed it: 2 of 4 items agree.
        assert metrics["Agreement"] == "50%"
        assert set(metrics) == {"Agreement", "Fleiss' κ", "Krippendorff's α", "Gwet's AC1"}
        splits = at.dataframe[-1].value
        assert sorted(splits["Call"]) == sorted(CALLS)
        assert set(splits["Rita R."]) == {"fail"} and set(splits["Carl C."]) == {"pass"}
