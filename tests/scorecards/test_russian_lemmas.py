"""Russian phrases are found in any inflection: as written, or else in dictionary forms."""

from __future__ import annotations

from scorecards.phrases import Phrase, lemmatized
from tests.scorecards.calls import call
from tests.scorecards.cards import verdict

VERIFY = {"type": "phrase_present", "params": {"phrases": {"ru": ["кодовое слово"]}}}
RUDE = {"type": "phrase_absent", "params": {"phrases": {"ru": ["идиот*", "заткнись"]}}}


def said(text: str) -> list[tuple[str, float, float, str]]:
    return [("agent", 0.0, 4.0, text)]


def test_a_phrase_said_in_another_inflection_is_found_with_the_utterance_as_evidence() -> None:
    text = "Без кодового слова я не могу продолжить."
    result = verdict(VERIFY, call("ru", said(text)))
    assert result.outcome == "pass"
    assert (result.evidence[0].phrase, result.evidence[0].text) == ("кодовое слово", text)


def test_lemmas_add_to_matching_as_written_and_leave_other_languages_alone() -> None:
    assert verdict(VERIFY, call("ru", said("Назовите кодовое слово."))).outcome == "pass"
    assert verdict(VERIFY, call("ru", said("Какое слово вы ищете?"))).outcome == "fail"
    assert verdict(VERIFY, call("en", said("Без кодового слова нельзя."))).outcome == "fail"
    assert Phrase.compile("confirm your identity", "en", 85).lemmas is None
    assert Phrase.compile("идиот*", "ru", 85).lemmas is None  # a prefix covers inflections


def test_an_inflected_rude_word_fails_the_agent() -> None:
    assert verdict(RUDE, call("ru", said("Да заткнитесь вы уже."))).outcome == "fail"
    assert lemmatized("заткнитесь вы") == "заткнуться вы"


def test_an_ordered_step_said_only_in_another_inflection_is_placed_where_it_was_said() -> None:
    verify_first = {
        "type": "ordered_steps",
        "params": {
            "steps": [
                {"name": "verify", "phrases": {"ru": ["кодовое слово"]}},
                {"name": "balance", "phrases": {"ru": ["ваш баланс"]}},
            ]
        },
    }
    lines = [
        ("agent", 0.0, 3.0, "Ваш баланс сто рублей."),
        ("agent", 4.0, 7.0, "Без кодового слова я не могу продолжить."),
    ]
    result = verdict(verify_first, call("ru", lines))
    assert result.outcome == "fail"
    assert "came before 'verify' at 4.0 s" in str(result.explanation)
