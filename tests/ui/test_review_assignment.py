"""Who reviews what: a QA lead assigns calls and quotas, and "Next call" follows them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from qa.errors import AccessDenied
from qa.queries.review import ReviewSubmission, submit_review
from qa.queries.review_assignment import assign_calls, next_call, set_quota
from qa.storage.db import session_scope
from qa.storage.directory import create_user
from qa.storage.models import ReviewQueueItem, Role
from qa.ui.navigation import ROLE_PAGES
from tests.ui.seed import Seeded, viewer_named

PageAs = Callable[[str, str], AppTest]


def _queue(seeded: Seeded, *external_ids: str) -> None:
    with session_scope(seeded.url) as session:
        for external_id in external_ids:
            session.add(ReviewQueueItem(call_id=seeded.calls[external_id], reason="random"))


def _review(seeded: Seeded, username: str, external_id: str) -> None:
    evaluation_id = seeded.evaluations[external_id]
    submission = ReviewSubmission(seeded.calls[external_id], {evaluation_id: ()})
    with session_scope(seeded.url) as session:
        submit_review(session, viewer_named(seeded.url, username), submission)


def _add_lead(seeded: Seeded) -> None:
    with session_scope(seeded.url) as session:
        create_user(session, "lena", "lena-password", "lead", display_name="Lena Lead")


def test_next_call_gives_assigned_calls_first(seeded: Seeded) -> None:
    _queue(seeded, "sara-1", "ivan-3")
    admin, reviewer = viewer_named(seeded.url, "admin"), viewer_named(seeded.url, "reviewer")
    with session_scope(seeded.url) as session:
        assign_calls(session, admin, [seeded.calls["ivan-3"]], reviewer.user_id)
    with session_scope(seeded.url) as session:
        assert next_call(session, reviewer) == seeded.calls["ivan-3"]


def test_a_met_weekly_quota_stops_next_call_from_taking_unassigned_calls(seeded: Seeded) -> None:
    _queue(seeded, "sara-1", "ivan-1", "gina-1")
    admin, reviewer = viewer_named(seeded.url, "admin"), viewer_named(seeded.url, "reviewer")
    with session_scope(seeded.url) as session:
        set_quota(session, admin, reviewer.user_id, 1)
    with session_scope(seeded.url) as session:
        assert next_call(session, reviewer) == seeded.calls["sara-1"]  # quota not met yet
    _review(seeded, "reviewer", "sara-1")
    with session_scope(seeded.url) as session:
        assert next_call(session, reviewer) is None  # met: the shared queue is left to others
    with session_scope(seeded.url) as session:
        assign_calls(session, admin, [seeded.calls["gina-1"]], reviewer.user_id)
    with session_scope(seeded.url) as session:
        assert next_call(session, reviewer) == seeded.calls["gina-1"]  # assigned work still comes


def test_a_reviewer_who_met_the_quota_is_told_why_next_call_gives_nothing(
    seeded: Seeded, page_as: PageAs
) -> None:
    _queue(seeded, "sara-1", "ivan-1")
    admin, reviewer = viewer_named(seeded.url, "admin"), viewer_named(seeded.url, "reviewer")
    with session_scope(seeded.url) as session:
        set_quota(session, admin, reviewer.user_id, 1)
    _review(seeded, "reviewer", "sara-1")
    at = page_as("review_queue", "reviewer").run()
    assert at.progress[0].proto.text == "1 of 1 calls reviewed this week"
    next(b for b in at.button if b.label == "Next call").click().run()
    assert [i.value for i in at.info] == [
        "Your quota for this week is met and no call is assigned to you."
    ]


def test_a_lead_sees_every_reviewers_quota_progress(seeded: Seeded, page_as: PageAs) -> None:
    _queue(seeded, "sara-1", "ivan-1")
    _add_lead(seeded)
    admin, reviewer = viewer_named(seeded.url, "admin"), viewer_named(seeded.url, "reviewer")
    with session_scope(seeded.url) as session:
        set_quota(session, admin, reviewer.user_id, 5)
    _review(seeded, "reviewer", "sara-1")
    at = page_as("review_queue", "lena").run()
    assert not at.exception and not at.error
    frame = next(d.value for d in at.dataframe if "Weekly quota" in d.value.columns)
    rita = frame[frame["Reviewer"] == "Rita Reviewer"].iloc[0]
    assert (rita["Reviewed this week"], rita["Weekly quota"], rita["Quota met"]) == (1, 5, False)


def test_a_lead_sees_the_teams_week_even_when_no_call_matches_the_filters(
    seeded: Seeded, page_as: PageAs
) -> None:
    _add_lead(seeded)
    at = page_as("review_queue", "lena").run()
    at.slider[0].set_value(0).run()
    assert [i.value for i in at.info] == ["Nothing is waiting for review with these filters."]
    assert any("Weekly quota" in d.value.columns for d in at.dataframe)


def test_a_reviewer_sees_no_team_progress_and_may_not_assign(
    seeded: Seeded, page_as: PageAs
) -> None:
    _queue(seeded, "sara-1")
    at = page_as("review_queue", "reviewer").run()
    assert not at.exception
    assert not any("Weekly quota" in d.value.columns for d in at.dataframe)
    reviewer = viewer_named(seeded.url, "reviewer")
    with session_scope(seeded.url) as session, pytest.raises(AccessDenied):
        set_quota(session, reviewer, reviewer.user_id, 3)


def test_a_qa_lead_assigns_calls_sets_quotas_and_leads_calibration(seeded: Seeded) -> None:
    _queue(seeded, "sara-1")
    _add_lead(seeded)
    lead, reviewer = viewer_named(seeded.url, "lena"), viewer_named(seeded.url, "reviewer")
    assert lead.role is Role.lead and lead.sees_everything
    with session_scope(seeded.url) as session:
        assert assign_calls(session, lead, [seeded.calls["sara-1"]], reviewer.user_id) == 1
        set_quota(session, lead, reviewer.user_id, 4)
    assert {"review_queue", "call_review", "calibration", "coaching"} <= set(ROLE_PAGES[Role.lead])
    assert "users_admin" not in ROLE_PAGES[Role.lead]


def test_a_lead_opens_the_calibration_page_with_the_leads_form(
    seeded: Seeded, page_as: PageAs
) -> None:
    _add_lead(seeded)
    at = page_as("calibration", "lena").run()
    assert not at.exception and not at.error
    assert [e.label for e in at.expander][:1] == ["New calibration session"]
    assert at.selectbox(key="cal-version").options
