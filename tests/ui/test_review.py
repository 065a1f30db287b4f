"""The review queue and the call review page: sampling, filters, overrides, disputes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Selectbox, TextInput

from qa.review_sampling import (
    CRITICAL_FAIL,
    LOW_SCORE,
    NEGATIVE_SENTIMENT,
    RANDOM,
    SamplingRules,
    sample_calls,
)
from qa.storage.db import session_scope
from qa.storage.models import (
    AuditEntry,
    Comment,
    Evaluation,
    EvaluationKind,
    QueueStatus,
    ReviewQueueItem,
    VerdictOverride,
)
from tests.ui.seed import Seeded

PageAs = Callable[[str, str], AppTest]


def _queue(url: str) -> set[tuple[str, str]]:
    from qa.storage.models import Call

    with session_scope(url) as session:
        rows = session.execute(
            select(Call.external_id, ReviewQueueItem.reason).join(
                Call, Call.id == ReviewQueueItem.call_id
            )
        )
        return {(external_id, reason) for external_id, reason in rows}


def test_sampling_picks_targeted_calls_and_a_stable_random_share(seeded: Seeded) -> None:
    with session_scope(seeded.url) as session:
        added = sample_calls(session)
    queue = _queue(seeded.url)
    assert len(queue) == added
    # The third call of each agent has a rude-language (critical) fail and a low score.
    for agent in ("sara", "ivan"):
        assert (f"{agent}-3", CRITICAL_FAIL) in queue
        assert (f"{agent}-3", LOW_SCORE) in queue
    for agent in ("sara", "ivan", "gina"):
        # The second call's customer left feedback 2 of 5: negative sentiment.
        assert (f"{agent}-2", NEGATIVE_SENTIMENT) in queue
        assert (f"{agent}-1", CRITICAL_FAIL) not in queue
    # Every agent has calls in each sampled week, and each agent-week gets at least one.
    random_calls = {external_id for external_id, reason in queue if reason == RANDOM}
    assert {c.split("-")[0] for c in random_calls} == {"sara", "ivan", "gina"}
    with session_scope(seeded.url) as session:
        assert sample_calls(session) == 0  # stable: a second run adds nothing
    assert _queue(seeded.url) == queue


def test_sampling_rules_are_configurable(seeded: Seeded) -> None:
    rules = SamplingRules(random_share=0, low_score_below=0, negative_feedback_at_most=0)
    with session_scope(seeded.url) as session:
        sample_calls(session, rules)
    assert {reason for _, reason in _queue(seeded.url)} == {CRITICAL_FAIL}


def test_review_queue_lists_picks_and_filters_by_agent_and_score(
    page_as: PageAs, seeded: Seeded
) -> None:
    at = page_as("review_queue", "reviewer").run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert set(table["Agent"]) == {"Sara Ahmadi", "Ivan Petrov", "Gina Lopez"}
    assert "Critical fail, Low score" in set(table["Reason"])
    assert len(table["Call"]) == len(set(table["Call"]))  # one row per call, reasons joined
    agent_filter = next(s for s in at.selectbox if s.label == "Agent")
    agent_filter.select(seeded.agents["ivan"]).run()
    assert set(at.dataframe[0].value["Agent"]) == {"Ivan Petrov"}
    at.slider[0].set_value(60).run()
    narrowed = at.dataframe[0].value
    assert set(narrowed["Call"]) == {"ivan-3"}
    assert all(score <= 60 for score in narrowed["Lowest score"])


def test_the_review_queue_is_refused_to_agents(page_as: PageAs) -> None:
    at = page_as("review_queue", "sara").run()
    assert [e.value for e in at.error] == ["this needs one of the roles: admin, lead, reviewer"]
    assert not at.dataframe


def _the_human_evaluation(session: Session) -> Evaluation:
    return session.scalars(select(Evaluation).where(Evaluation.kind == EvaluationKind.human)).one()


def _open_call(page_as: PageAs, seeded: Seeded, username: str, external_id: str) -> AppTest:
    at = page_as("call_review", username)
    at.session_state["review_call_id"] = seeded.calls[external_id]
    return at.run()


def _verdict_widgets(
    at: AppTest, seeded: Seeded, external_id: str, criterion: str
) -> tuple[Selectbox[Any], TextInput]:
    key = f"r{seeded.calls[external_id]}-{seeded.evaluations[external_id]}-{criterion}"
    return at.selectbox(key=f"{key}-outcome"), at.text_input(key=f"{key}-reason")


def test_call_review_shows_persian_right_to_left_with_evidence_marked(
    page_as: PageAs, seeded: Seeded
) -> None:
    at = _open_call(page_as, seeded, "reviewer", "sara-1")
    assert not at.exception and not at.error
    transcript = at.get("html")[0].proto.body
    assert '<div class="callqa-text" dir="rtl" lang="fa">' in transcript
    assert '<div class="callqa-text" dir="ltr"' not in transcript
    assert "سلام، به مرکز تماس خوش آمدید" in transcript
    assert 'class="callqa-utt agent evidence"' in transcript
    assert "evidence for: Greeting" in transcript


def test_russian_transcript_reads_left_to_right(page_as: PageAs, seeded: Seeded) -> None:
    at = _open_call(page_as, seeded, "reviewer", "ivan-1")
    transcript = at.get("html")[0].proto.body
    assert "Здравствуйте, контакт-центр" in transcript
    assert '<div class="callqa-text" dir="ltr" lang="ru">' in transcript
    assert '<div class="callqa-text" dir="rtl"' not in transcript


def test_clicking_evidence_starts_the_audio_there(page_as: PageAs, seeded: Seeded) -> None:
    at = _open_call(page_as, seeded, "reviewer", "sara-1")
    assert at.get("audio")[0].proto.start_time == 0
    next(b for b in at.button if b.label == "▶ 0:04").click().run()
    assert at.get("audio")[0].proto.start_time == 4
    assert "Playing from 0:04" in [c.value for c in at.caption]


def test_an_override_without_a_reason_is_refused_and_nothing_is_saved(
    page_as: PageAs, seeded: Seeded
) -> None:
    at = _open_call(page_as, seeded, "reviewer", "sara-1")
    outcome, _ = _verdict_widgets(at, seeded, "sara-1", "greeting")
    assert outcome.value == "fail"  # the automatic verdict is the starting point
    outcome.select("pass").run()
    at.button(key=f"r{seeded.calls['sara-1']}-submit").click().run()
    assert [e.value for e in at.error] == ["a reason is required to override: Politeness: Greeting"]
    with session_scope(seeded.url) as session:
        assert session.scalar(select(func.count()).select_from(VerdictOverride)) == 0
        human = select(func.count()).where(Evaluation.kind == EvaluationKind.human)
        assert session.scalar(human) == 0


def test_reviewer_overrides_a_verdict_and_the_human_evaluation_is_saved_beside_the_automatic(
    page_as: PageAs, seeded: Seeded
) -> None:
    with session_scope(seeded.url) as session:
        sample_calls(session)
    at = _open_call(page_as, seeded, "reviewer", "sara-3")
    evaluation_id = seeded.evaluations["sara-3"]
    outcome, reason = _verdict_widgets(at, seeded, "sara-3", "no_rude_language")
    outcome.select("pass").run()
    _, reason = _verdict_widgets(at, seeded, "sara-3", "no_rude_language")
    reason.input("The word was a quote of the customer, not the agent").run()
    call_id = seeded.calls["sara-3"]
    at.text_area(key=f"r{call_id}-comment").input("Good recovery after the hold.").run()
    at.button(key=f"r{call_id}-submit").click().run()
    assert not at.error and not at.exception
    with session_scope(seeded.url) as session:
        human = session.scalars(
            select(Evaluation).where(Evaluation.kind == EvaluationKind.human)
        ).one()
        assert human.reviews_evaluation_id == evaluation_id
        assert human.score == 100.0 and human.passed and not human.critical_failed
        automatic = session.get(Evaluation, evaluation_id)
        assert automatic is not None and automatic.critical_failed  # left untouched
        override = session.scalars(select(VerdictOverride)).one()
        assert (override.criterion, override.automatic_outcome, override.new_outcome) == (
            "no_rude_language",
            "fail",
            "pass",
        )
        assert session.scalars(select(Comment.body)).one() == "Good recovery after the hold."
        actions = set(session.scalars(select(AuditEntry.action)))
        assert {"verdict.override", "evaluation.review"} <= actions
        statuses = set(
            session.scalars(
                select(ReviewQueueItem.status).where(
                    ReviewQueueItem.call_id == seeded.calls["sara-3"]
                )
            )
        )
        assert statuses == {QueueStatus.done}
    assert any("review by Rita R." in m.value for m in at.markdown), [m.value for m in at.markdown]


def test_confirming_every_verdict_needs_no_reason(page_as: PageAs, seeded: Seeded) -> None:
    at = _open_call(page_as, seeded, "reviewer", "ivan-2")
    at.button(key=f"r{seeded.calls['ivan-2']}-submit").click().run()
    assert not at.error
    with session_scope(seeded.url) as session:
        human = session.scalars(
            select(Evaluation).where(Evaluation.kind == EvaluationKind.human)
        ).one()
        automatic = session.get(Evaluation, seeded.evaluations["ivan-2"])
        assert automatic is not None and human.score == automatic.score


def test_a_coach_reads_call_review_without_the_review_form(page_as: PageAs, seeded: Seeded) -> None:
    at = _open_call(page_as, seeded, "coach", "ivan-1")
    assert not at.error
    assert not [b for b in at.button if b.label == "Submit review"]
    assert any("Greeting" in m.value for m in at.markdown)


def _pick(at: AppTest, label: str, option: str) -> AppTest:
    box = next(s for s in at.selectbox if s.label == label)
    index = next(i for i, name in enumerate(box.options) if name == option)
    return box.select_index(index).run()


def test_review_queue_filters_by_client_team_language_date_and_reason(page_as: PageAs) -> None:
    at = page_as("review_queue", "reviewer").run()
    _pick(at, "Client", "Globex")
    assert set(at.dataframe[0].value["Agent"]) == {"Gina Lopez"}
    _pick(at, "Client", "All")
    _pick(at, "Team", "Moscow Desk")
    assert set(at.dataframe[0].value["Agent"]) == {"Ivan Petrov"}
    _pick(at, "Team", "All")
    # Languages are shown by their own names.
    _pick(at, "Language", "فارسی")
    assert set(at.dataframe[0].value["Language"]) == {"فارسی"}
    _pick(at, "Language", "All")
    at.date_input[0].set_value((date(2026, 11, 5), date(2026, 11, 5))).run()
    assert set(at.dataframe[0].value["Call"]) == {"sara-2", "ivan-2", "gina-2"}
    at.date_input[0].set_value(()).run()
    _pick(at, "Reason", "Critical fail")
    assert set(at.dataframe[0].value["Call"]) == {"sara-3", "ivan-3"}
