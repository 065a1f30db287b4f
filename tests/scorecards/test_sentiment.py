"""sentiment_shift: the customer's mood at the end of the call against the start."""

from __future__ import annotations

import pytest

from scorecards.sentiment import text_sentiment
from tests.scorecards.calls import Line, call
from tests.scorecards.cards import verdict

SHIFT = {"type": "sentiment_shift", "params": {"speaker": "customer"}}

CALMED_DOWN: dict[str, list[Line]] = {
    "en": [
        ("customer", 1.0, 5.0, "this is ridiculous my card was declined again"),
        ("agent", 5.5, 8.0, "i'm sorry, let me look"),
        ("customer", 9.0, 11.0, "okay"),
        ("agent", 12.0, 15.0, "it's fixed now"),
        ("customer", 16.0, 19.0, "great thank you so much that's really helpful"),
    ],
    "ru": [
        ("customer", 1.0, 5.0, "Безобразие, опять списали деньги, я очень недоволен"),
        ("agent", 5.5, 8.0, "Понимаю вас, сейчас проверю"),
        ("customer", 9.0, 11.0, "Ну давайте"),
        ("agent", 12.0, 15.0, "Деньги вернутся завтра"),
        ("customer", 16.0, 19.0, "Отлично, спасибо большое, вы мне очень помогли"),
    ],
    "fa": [
        ("customer", 1.0, 5.0, "خيلي ناراحتم، دوباره کارتم مشکل داره"),
        ("agent", 5.5, 8.0, "متاسفم، بررسی می‌کنم"),
        ("customer", 9.0, 11.0, "باشه"),
        ("agent", 12.0, 15.0, "درست شد"),
        ("customer", 16.0, 19.0, "عالیه، خيلي ممنون"),
    ],
}


@pytest.mark.parametrize("language", ["en", "ru", "fa"])
def test_a_customer_who_calms_down_passes_with_start_and_end_as_evidence(language: str) -> None:
    result = verdict(SHIFT, call(language, CALMED_DOWN[language]), speaker="customer")
    assert result.outcome == "pass"
    start, end = result.evidence
    assert (start.utterance_index, end.utterance_index) == (0, 4)
    assert start.phrase is not None and start.phrase.startswith("sentiment at the start: -")
    assert end.phrase is not None and end.phrase.startswith("sentiment at the end: +")


@pytest.mark.parametrize("language", ["en", "ru", "fa"])
def test_a_customer_who_ends_upset_fails(language: str) -> None:
    lines = CALMED_DOWN[language]
    reversed_mood = [
        (speaker, start, end, lines[len(lines) - 1 - position][3])
        for position, (speaker, start, end, _) in enumerate(lines)
    ]
    result = verdict(SHIFT, call(language, reversed_mood), speaker="customer")
    assert result.outcome == "fail"
    assert "at the end" in str(result.explanation)


def test_negation_flips_a_word() -> None:
    lines: list[Line] = [
        ("customer", 0.0, 2.0, "راضی هستم"),
        ("customer", 3.0, 5.0, "هيچ مشکلی نيست"),
        ("customer", 6.0, 8.0, "اصلا راضی نيستم"),
    ]
    result = verdict(SHIFT, call("fa", lines), speaker="customer")
    assert result.outcome == "fail"
    english: list[Line] = [
        ("customer", 0.0, 2.0, "i'm happy with the card"),
        ("customer", 3.0, 5.0, "fine"),
        ("customer", 6.0, 8.0, "no i'm not happy at all"),
    ]
    assert verdict(SHIFT, call("en", english), speaker="customer").outcome == "fail"


def test_on_a_mono_recording_the_customers_mood_is_not_applicable() -> None:
    mono = call("en", CALMED_DOWN["en"], layout="mono")
    result = verdict(SHIFT, mono, speaker="customer")
    assert result.outcome == "na"
    assert "stereo" in str(result.explanation)


def test_too_few_customer_utterances_is_not_applicable() -> None:
    lines: list[Line] = [("agent", 0.0, 2.0, "hello"), ("customer", 2.0, 4.0, "thanks")]
    assert verdict(SHIFT, call("en", lines), speaker="customer").outcome == "na"


@pytest.mark.parametrize(
    ("language", "text", "mood"),
    [
        ("fa", "دستت درد نکنه", 1.0),  # a three-word thanks, not "pain"
        ("fa", "راضی نيستم", -1.0),  # negated after the word
        ("fa", "درست نشد", -1.0),
        ("ru", "Спасибо, всё понятно", 1.0),
        ("ru", "Я не доволен", -1.0),
        ("en", "I'm not happy", -1.0),
        ("en", "the account number is 42", 0.0),
        # A "no" that answers a question does not negate the thanks after it.
        ("en", "No, thank you so much. Goodbye.", 1.0),
        ("ru", "Нет, большое спасибо. До свидания.", 1.0),
        ("fa", "نه، خیلی ممنون. خداحافظ.", 1.0),
        ("en", "no, i'm not happy", -1.0),
    ],
)
def test_text_sentiment(language: str, text: str, mood: float) -> None:
    assert text_sentiment(text, language) == mood
