"""Personal data is masked in transcript text and words before anything is stored."""

from __future__ import annotations

import pytest

from qa.redaction import redact_text, redact_transcript, redact_words
from tests.scorecards.calls import call
from transcription.transcript import Utterance, Word


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


def _words(text: str, start: float) -> tuple[Word, ...]:
    return tuple(
        Word(start=start + i, end=start + i + 0.5, word=f" {w}", probability=0.9)
        for i, w in enumerate(text.split())
    )


def test_the_demo_card_number_as_one_recogniser_wrote_it_is_masked_in_text_and_words() -> None:
    # What the model wrote for demo_en_card_number on another machine: a stray letter inside.
    said = "My card number is 4530i1488034364667"
    assert redact_text(said) == "My card number is [CARD]"
    assert [w.word for w in redact_words(_words(said, 0.0))][-1] == " [CARD]"


def test_a_number_split_across_one_speakers_utterances_is_masked_in_both() -> None:
    lines = [
        ("customer", 0.0, 4.0, "my card is 4539 1488"),
        ("agent", 4.5, 5.0, "uh-huh"),
        ("customer", 5.5, 8.0, "0343 6467 thanks"),
        ("agent", 8.5, 9.0, "one two three four"),
    ]
    utterances = tuple(
        Utterance(speaker, start, end, text, words=_words(text, start))
        for speaker, start, end, text in lines
    )
    transcript = call("en", lines).with_utterances(utterances)
    masked = redact_transcript(transcript).utterances
    assert [u.text for u in masked] == [
        "my card is [CARD]",
        "uh-huh",
        "[CARD] thanks",
        "one two three four",
    ]
    assert [w.word for w in masked[2].words] == [" [CARD]", " thanks"]
    assert (masked[2].words[0].start, masked[2].words[0].end) == (5.5, 7.0)
