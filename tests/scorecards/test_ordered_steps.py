"""ordered_steps: identity is verified before any account detail is given."""

from __future__ import annotations

from tests.scorecards.calls import call
from tests.scorecards.cards import verdict

VERIFY_THEN_DISCLOSE = {
    "type": "ordered_steps",
    "params": {
        "steps": [
            {"name": "identity verified", "lists": ["identity_verification"]},
            {"name": "account details given", "lists": ["account_details"]},
        ]
    },
}


def test_verification_before_the_balance_passes_with_both_places_as_evidence() -> None:
    transcript = call(
        "en",
        [
            ("agent", 0.0, 3.0, "thanks for calling how can i help"),
            ("customer", 3.5, 6.0, "i'd like my balance"),
            ("agent", 6.5, 10.0, "sure, can you confirm your date of birth"),
            ("customer", 10.5, 12.0, "may fifth eighty one"),
            ("agent", 12.5, 16.0, "thanks, your current balance is four hundred dollars"),
        ],
    )
    result = verdict(VERIFY_THEN_DISCLOSE, transcript)
    assert result.outcome == "pass"
    assert [(e.utterance_index, e.start) for e in result.evidence] == [(2, 6.5), (4, 12.5)]


def test_the_balance_before_verification_fails_and_says_when() -> None:
    transcript = call(
        "ru",
        [
            ("agent", 0.0, 3.0, "Здравствуйте, слушаю вас"),
            ("agent", 4.0, 8.0, "Так, ваш баланс двенадцать тысяч рублей"),
            ("agent", 9.0, 12.0, "Ой, назовите пожалуйста вашу дату рождения"),
        ],
    )
    result = verdict(VERIFY_THEN_DISCLOSE, transcript)
    assert result.outcome == "fail"
    assert "at 4.0 s came before 'identity verified' at 9.0 s" in str(result.explanation)
    assert [e.utterance_index for e in result.evidence] == [2, 1]


def test_account_details_without_any_verification_fail() -> None:
    transcript = call(
        "fa",
        [
            ("agent", 0.0, 3.0, "سلام، بفرمایید"),
            ("agent", 4.0, 8.0, "موجودي حسابتون دويست هزار تومنه"),
        ],
    )
    result = verdict(VERIFY_THEN_DISCLOSE, transcript)
    assert result.outcome == "fail"
    assert "without 'identity verified' before it" in str(result.explanation)
    assert [e.utterance_index for e in result.evidence] == [1]


def test_no_account_details_at_all_is_not_applicable() -> None:
    transcript = call("en", [("agent", 0.0, 3.0, "please confirm your date of birth")])
    assert verdict(VERIFY_THEN_DISCLOSE, transcript).outcome == "na"
    strict = {
        "type": "ordered_steps",
        "params": {**VERIFY_THEN_DISCLOSE["params"], "when_later_missing": "fail"},  # type: ignore[dict-item]
    }
    assert verdict(strict, transcript).outcome == "fail"
