"""Two reviewers on one call at once: one review is stored, the other is told who won.

Real concurrent sessions in threads on PostgreSQL (and SQLite), started together by a barrier,
so the row lock and the conditional updates are what keep the second review out.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qa.errors import QAError
from qa.queries.access import Viewer
from qa.queries.agent_view import raise_dispute
from qa.queries.review import (
    AlreadyReviewed,
    DisputeDecision,
    ReviewSubmission,
    VerdictDecision,
    submit_review,
)
from qa.queries.review_assignment import claim_call
from qa.storage.db import session_scope
from qa.storage.directory import create_user
from qa.storage.migrate import upgrade_to_head
from qa.storage.models import Dispute, DisputeStatus, EvaluationKind
from qa.storage.models import Evaluation as EvaluationRow
from tests.conftest import fresh_database
from tests.ui.seed import Seeded, seed, viewer_named

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """The UI seed on PostgreSQL, where row locks are real (SQLite locks the whole file).
    One database for the module: each test works on calls of its own."""
    tmp_path = tmp_path_factory.mktemp("race")
    with fresh_database("postgresql", tmp_path) as database_url:
        upgrade_to_head(database_url)
        yield _seeded(database_url, tmp_path)


def _seeded(database_url: str, tmp_path: Path) -> Seeded:
    seeded = seed(database_url, tmp_path / "audio")
    with session_scope(database_url) as session:
        create_user(session, "reviewer2", "second-password", "reviewer", display_name="Rob Second")
    return seeded


def _together(*actions: Callable[[], object]) -> list[object]:
    """Run the actions in threads released at the same moment; results or exceptions."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[index] = action()
        except QAError as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _submitter(url: str, viewer: Viewer, submission: ReviewSubmission) -> Callable[[], object]:
    def submit() -> object:
        with session_scope(url) as session:
            return submit_review(session, viewer, submission)

    return submit


def _human_reviews(url: str, call_id: int) -> int:
    with session_scope(url) as session:
        return (
            session.scalar(
                select(func.count()).where(
                    EvaluationRow.call_id == call_id, EvaluationRow.kind == EvaluationKind.human
                )
            )
            or 0
        )


def test_two_reviewers_submitting_at_once_store_one_review(data: Seeded) -> None:
    call_id, evaluation_id = data.calls["sara-3"], data.evaluations["sara-3"]
    fix = (VerdictDecision("no_rude_language", "pass", "It was the customer"),)
    first = ReviewSubmission(call_id, {evaluation_id: fix}, seen_evaluation_id=evaluation_id)
    second = ReviewSubmission(call_id, {evaluation_id: ()}, seen_evaluation_id=evaluation_id)
    results = _together(
        _submitter(data.url, viewer_named(data.url, "reviewer"), first),
        _submitter(data.url, viewer_named(data.url, "reviewer2"), second),
    )
    refused = [r for r in results if isinstance(r, AlreadyReviewed)]
    stored = [r for r in results if isinstance(r, list)]
    assert len(refused) == 1 and len(stored) == 1, results
    assert str(refused[0]).startswith("This call was already reviewed by ")
    assert ("Rita R." in str(refused[0])) == (results[1] is refused[0])
    assert _human_reviews(data.url, call_id) == 1


def test_a_double_click_stores_one_review(data: Seeded) -> None:
    call_id, evaluation_id = data.calls["ivan-1"], data.evaluations["ivan-1"]
    reviewer = viewer_named(data.url, "reviewer")
    submission = ReviewSubmission(call_id, {evaluation_id: ()}, seen_evaluation_id=evaluation_id)
    results = _together(*[_submitter(data.url, reviewer, submission)] * 2)
    assert sorted(type(r).__name__ for r in results) == ["AlreadyReviewed", "list"]
    assert _human_reviews(data.url, call_id) == 1


def test_two_reviewers_resolving_one_dispute_resolve_it_once(data: Seeded) -> None:
    call_id, evaluation_id = data.calls["sara-1"], data.evaluations["sara-1"]
    with session_scope(data.url) as session:
        dispute_id = raise_dispute(
            session, viewer_named(data.url, "sara"), evaluation_id, "greeting", "I did greet"
        )

    def resolve(username: str, uphold: bool) -> Callable[[], object]:
        decision = DisputeDecision(dispute_id, uphold, f"{username} decided")
        # Each saw the call before the other's review: no seen id, only the dispute guards it.
        submission = ReviewSubmission(call_id, {evaluation_id: ()}, disputes=(decision,))
        return _submitter(data.url, viewer_named(data.url, username), submission)

    results = _together(resolve("reviewer", True), resolve("reviewer2", False))
    assert sorted(type(r).__name__ for r in results) == ["AlreadyReviewed", "list"]
    with session_scope(data.url) as session:
        dispute = session.get_one(Dispute, dispute_id)
        assert dispute.status in (DisputeStatus.upheld, DisputeStatus.rejected)
    assert _human_reviews(data.url, call_id) == 1


def test_a_claimed_call_shows_who_has_it_and_is_not_taken_over(data: Seeded) -> None:
    call_id = data.calls["gina-1"]
    rita, rob = viewer_named(data.url, "reviewer"), viewer_named(data.url, "reviewer2")
    results = _together(*[_claimer(data.url, v, call_id) for v in (rita, rob)])
    holders = {r.reviewer for r in results}  # type: ignore[attr-defined]
    assert len(holders) == 1 and holders <= {"Rita R.", "Rob S."}


def _claimer(url: str, viewer: Viewer, call_id: int) -> Callable[[], object]:
    def claim() -> object:
        with session_scope(url) as session:
            return claim_call(session, viewer, call_id)

    return claim
