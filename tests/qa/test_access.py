"""Access rules live in the query layer: a crafted request for someone else's call is refused.

The pages only pass ids along; these tests call the queries the way a tampered request would
(another agent's call id, another client's evaluation id) and expect AccessDenied.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qa.errors import AccessDenied
from qa.queries.access import Viewer
from qa.queries.agent_view import acknowledge, my_evaluations, raise_dispute
from qa.queries.call_review import call_for_review
from qa.queries.calls import visible_calls
from qa.queries.review import ReviewSubmission, submit_review
from qa.queries.review_queue import QueueFilter, review_queue
from qa.storage.db import session_scope
from qa.storage.models import Dispute
from tests.ui.seed import Seeded, viewer_named


@pytest.fixture
def seeded(seeded_database: Seeded) -> Seeded:
    return seeded_database


@pytest.mark.parametrize(("username", "foreign"), [("sara", "ivan-1"), ("globex", "sara-1")])
def test_a_crafted_request_for_someone_elses_call_is_refused(
    seeded: Seeded, username: str, foreign: str
) -> None:
    viewer = viewer_named(seeded.url, username)
    with session_scope(seeded.url) as session, pytest.raises(AccessDenied) as refused:
        call_for_review(session, viewer, seeded.calls[foreign])
    # The refusal names neither the call nor its owner.
    assert str(refused.value) == "This call does not exist or you may not open it."
    assert foreign not in str(refused.value) and username not in str(refused.value)


@pytest.mark.parametrize(("username", "own"), [("sara", "sara-"), ("globex", "gina-")])
def test_lists_hold_only_the_viewers_own_calls(seeded: Seeded, username: str, own: str) -> None:
    viewer = viewer_named(seeded.url, username)
    with session_scope(seeded.url) as session:
        calls = visible_calls(session, viewer)
        assert calls and all(c.external_id.startswith(own) for c in calls)
        # ...and each of them opens.
        assert call_for_review(session, viewer, calls[0].id).external_id == calls[0].external_id


def test_an_agent_cannot_acknowledge_or_dispute_another_agents_evaluation(seeded: Seeded) -> None:
    sara = viewer_named(seeded.url, "sara")
    ivans = seeded.evaluations["ivan-1"]
    with session_scope(seeded.url) as session:
        with pytest.raises(AccessDenied):
            acknowledge(session, sara, ivans)
        with pytest.raises(AccessDenied):
            raise_dispute(session, sara, ivans, "greeting", "not me")
        assert session.scalar(select(func.count()).select_from(Dispute)) == 0
        assert {e.call_external_id[:5] for e in my_evaluations(session, sara)} == {"sara-"}


@pytest.mark.parametrize("username", ["sara", "globex", "coach"])
def test_only_reviewers_read_the_queue_and_submit_reviews(seeded: Seeded, username: str) -> None:
    viewer = viewer_named(seeded.url, username)
    with session_scope(seeded.url) as session:
        with pytest.raises(AccessDenied):
            review_queue(session, viewer, QueueFilter())
        with pytest.raises(AccessDenied):
            submit_review(session, viewer, ReviewSubmission(seeded.calls["sara-1"]))


def test_a_user_without_an_agent_or_client_link_sees_nothing(seeded: Seeded) -> None:
    orphan = Viewer(user_id=999, username="orphan", role=viewer_named(seeded.url, "sara").role)
    with session_scope(seeded.url) as session:
        assert visible_calls(session, orphan) == []
        with pytest.raises(AccessDenied):
            call_for_review(session, orphan, seeded.calls["sara-1"])
