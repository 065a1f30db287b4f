"""all / any / not / criterion, the "resolved" composite and not-applicable rules."""

from __future__ import annotations

import pytest

from scorecards import Evaluation, score_call, shipped_scorecards
from tests.scorecards.calls import Line, call
from tests.scorecards.cards import verdict


def said(*phrases: str, speaker: str = "any") -> dict[str, object]:
    return {
        "type": "phrase_present",
        "params": {"phrases": {"en": list(phrases)}, "speaker": speaker},
    }


CALL = call(
    "en",
    [
        ("agent", 0.0, 2.0, "good afternoon"),
        ("customer", 2.5, 5.0, "my card is blocked"),
        ("agent", 5.5, 9.0, "i have unblocked it for you"),
    ],
)


def test_all_passes_only_when_every_child_passes() -> None:
    both = {"type": "all", "params": {"checks": [said("good afternoon"), said("unblocked it")]}}
    result = verdict(both, CALL)
    assert result.outcome == "pass"
    assert [e.utterance_index for e in result.evidence] == [0, 2]
    one_missing = {"type": "all", "params": {"checks": [said("good afternoon"), said("goodbye")]}}
    assert verdict(one_missing, CALL).outcome == "fail"


def test_any_passes_when_one_child_passes() -> None:
    either = {"type": "any", "params": {"checks": [said("goodbye"), said("unblocked it")]}}
    assert verdict(either, CALL).outcome == "pass"
    neither = {"type": "any", "params": {"checks": [said("goodbye"), said("see you")]}}
    assert verdict(neither, CALL).outcome == "fail"


def test_not_flips_and_keeps_the_evidence() -> None:
    result = verdict({"type": "not", "params": {"check": said("card is blocked")}}, CALL)
    assert result.outcome == "fail"
    assert [e.utterance_index for e in result.evidence] == [1]


def _resolution(lines: list[Line]) -> Evaluation:
    (scorecard,) = [s for s in shipped_scorecards() if s.id == "resolution"]
    (evaluation,) = score_call(call("en", lines), None, [scorecard])
    return evaluation


OPENING: list[Line] = [
    ("agent", 0.0, 4.0, "thank you for calling, how can i help you"),
    ("customer", 4.5, 9.0, "i was charged twice for the same coffee"),
    ("agent", 9.5, 12.0, "i'm sorry about that, let me check"),
]


def test_resolved_when_the_agent_resolves_and_the_customer_acknowledges() -> None:
    evaluation = _resolution(
        [
            *OPENING,
            ("agent", 20.0, 25.0, "the second charge has been refunded"),
            ("customer", 25.5, 28.0, "perfect, thanks a lot"),
        ]
    )
    resolved = evaluation.verdict("issue_resolved")
    assert resolved.outcome == "pass"
    assert {e.utterance_index for e in resolved.evidence} >= {3, 4}
    next_steps = evaluation.verdict("next_steps_explained")
    assert next_steps.outcome == "na"
    assert str(next_steps.explanation).startswith("Not applicable")
    assert evaluation.score == 100.0


@pytest.mark.parametrize(
    ("ending", "why"),
    [
        (
            [
                ("agent", 20.0, 25.0, "the charge has been refunded"),
                ("customer", 25.5, 27.0, "okay"),
            ],
            "no acknowledgement",
        ),
        (
            [
                (
                    "agent",
                    20.0,
                    25.0,
                    "the charge has been refunded and someone will call you back",
                ),
                ("customer", 25.5, 27.0, "thanks"),
            ],
            "call-back promise",
        ),
        (
            [
                ("agent", 20.0, 25.0, "the charge has been refunded"),
                ("customer", 25.5, 27.0, "thanks"),
                ("customer", 28.0, 32.0, "but wait it still doesn't work in the app"),
            ],
            "problem repeated",
        ),
        (
            [
                ("agent", 20.0, 25.0, "i'll transfer you to our disputes team"),
                ("customer", 25.5, 27.0, "thanks"),
            ],
            "transfer",
        ),
    ],
)
def test_not_resolved(ending: list[Line], why: str) -> None:
    evaluation = _resolution([*OPENING, *ending])
    assert evaluation.verdict("issue_resolved").outcome == "fail", why
    assert evaluation.verdict("next_steps_explained").outcome in ("pass", "fail"), why


def test_unresolved_call_needs_next_steps() -> None:
    evaluation = _resolution(
        [
            *OPENING,
            ("agent", 20.0, 26.0, "i've escalated this, you will receive an email within 48 hours"),
            ("customer", 26.5, 28.0, "alright"),
        ]
    )
    assert evaluation.verdict("issue_resolved").outcome == "fail"
    next_steps = evaluation.verdict("next_steps_explained")
    assert next_steps.outcome == "pass"
    assert next_steps.evidence[0].utterance_index == 3


def _politeness(lines: list[Line], language: str = "en") -> Evaluation:
    (scorecard,) = [s for s in shipped_scorecards() if s.id == "politeness"]
    (evaluation,) = score_call(call(language, lines), None, [scorecard])
    return evaluation


def test_empathy_is_not_applicable_when_the_customer_reports_no_problem() -> None:
    evaluation = _politeness(
        [
            ("agent", 0.0, 3.0, "good morning, how can i help"),
            ("customer", 3.5, 7.0, "i'd like to book an appointment for monday"),
            ("agent", 7.5, 10.0, "sure, monday at ten works, thank you"),
        ]
    )
    assert evaluation.verdict("empathy").outcome == "na"


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "en",
            [
                ("customer", 0.0, 4.0, "my card was stolen yesterday"),
                ("agent", 4.5, 7.0, "okay, what's the card number"),
            ],
        ),
        (
            "fa",
            [
                ("customer", 0.0, 4.0, "کارتم گم شده"),
                ("agent", 4.5, 7.0, "شماره کارت رو بگید"),
            ],
        ),
    ],
)
def test_empathy_fails_when_a_problem_gets_none(language: str, lines: list[Line]) -> None:
    evaluation = _politeness(lines, language)
    empathy = evaluation.verdict("empathy")
    assert empathy.outcome == "fail"
    assert empathy.evidence == ()
    assert evaluation.verdict("empathy").points == 0.0


def test_a_customer_asking_for_a_manager_makes_the_transfer_not_applicable() -> None:
    evaluation = _resolution(
        [
            *OPENING,
            ("customer", 13.0, 16.0, "i want to speak to a manager right now"),
            ("agent", 16.5, 19.0, "of course, let me transfer you to my supervisor"),
        ]
    )
    assert evaluation.verdict("no_unnecessary_transfer").outcome == "na"
