"""Personal data is masked in transcript text and words before anything is stored."""

from __future__ import annotations

import pytest

from qa.redaction import redact_text, redact_words
from transcription.transcript import Word


@pytest.mark.parametrize(
    ("spoken", "masked"),
    [
        ("my card is 4539 1488 0343 6467 thanks", "my card is [CARD] thanks"),
        ("card 4539148803436467.", "card [CARD]."),
        # How ASR writes a spoken card number, one digit misheard (fails Luhn, still a card).
        ("number is 4,539,488,034,364,467 and", "number is [CARD] and"),
        ("call me at +98 912 345 6789", "call me at [PHONE]"),
        ("мой номер 8 916 123-45-67", "мой номер [PHONE]"),
        ("شماره من ۰۹۱۲۳۴۵۶۷۸۹ است", "شماره من [PHONE] است"),
        ("write to anna.smith@example.com", "write to [EMAIL]"),
        ("کد ملی من ۰۰۸۴۵۷۵۹۴۸ است", "کد ملی من [NATIONAL_ID] است"),
        ("паспорт 45 08 123456", "паспорт [PASSPORT]"),
        ("ИНН 500100732259", "ИНН [INN]"),
        ("СНИЛС 112-233-445 95", "СНИЛС [SNILS]"),
    ],
)
def test_personal_data_is_masked(spoken: str, masked: str) -> None:
    assert redact_text(spoken) == masked


@pytest.mark.parametrize(
    "ordinary", ["order 12345 costs 250 dollars", "it is 2,000 dollars in 2026", "page 3 of 10"]
)
def test_ordinary_numbers_are_kept(ordinary: str) -> None:
    assert redact_text(ordinary) == ordinary


def test_masked_words_keep_the_time_the_number_was_spoken() -> None:
    spoken = ["My", "card", "is", "4539", "1488", "0343", "6467.", "Thanks"]
    words = tuple(
        Word(start=float(i), end=i + 0.5, word=f" {w}", probability=0.9)
        for i, w in enumerate(spoken)
    )
    masked = redact_words(words)
    assert [w.word for w in masked] == [" My", " card", " is", " [CARD].", " Thanks"]
    card = masked[3]
    assert (card.start, card.end) == (3.0, 6.5)
