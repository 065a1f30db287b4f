"""Mask personal data in transcripts before anything is scored or stored.

Detected: phone numbers (libphonenumber, Iranian/Russian/US/UK rules), payment card numbers
(13-19 digits passing Luhn, or any 15-19 digit run: a misheard card number), e-mail
addresses, Iranian national IDs (10 digits, official check digit), Russian passports (series
4 + number 6 digits), INN (10/12 digits with check digits) and SNILS (11 digits with check
sum). Each becomes a placeholder like `[CARD]`.
Persian and Arabic digits are read as ASCII digits first, so `۴۱۱۱ ...` is caught too.
Word timings are kept: the words a match covers are merged into one placeholder word that
spans their time, so evidence and playback still line up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import phonenumbers

from scorecards.validators import inn, iran_national_code, luhn_valid, snils
from transcription.transcript import CallTranscript, Utterance, Word

PHONE_REGIONS = ("IR", "RU", "US", "GB")
MISHEARD_CARD_MIN_DIGITS = 15

_DIGIT_TABLE = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Digits in groups joined by single spaces, dashes or commas: how people say numbers and how
# ASR writes them (it often renders a spoken card number as "4,539,488,034,...").
_DIGIT_RUN = re.compile(r"(?<![\w.+])\+?\d(?:[ ,\-]?\d)*(?![\w])")
_PASSPORT = re.compile(r"(?<!\d)\d{2} ?\d{2}[ \-№]+\d{6}(?!\d)")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    label: str


def normalize_digits(text: str) -> str:
    """Persian and Arabic-Indic digits as ASCII digits; one character for one, so offsets hold."""
    return text.translate(_DIGIT_TABLE)


def _classify_digits(digits: str) -> str | None:
    """The label of a standalone digit string, checked strictest first."""
    if 13 <= len(digits) <= 19 and luhn_valid(digits):
        return "CARD"
    if len(digits) == 11 and snils(digits):
        return "SNILS"
    if len(digits) == 12 and inn(digits):
        return "INN"
    if len(digits) == 10 and iran_national_code(digits):
        return "NATIONAL_ID"
    if len(digits) == 10 and inn(digits):
        return "INN"
    if MISHEARD_CARD_MIN_DIGITS <= len(digits) <= 19:
        # A card number the recogniser got one digit wrong fails Luhn but is still a card number.
        return "CARD"
    return None


def _emails(text: str) -> Iterable[Match]:
    return (Match(m.start(), m.end(), "EMAIL") for m in _EMAIL.finditer(text))


def _digit_runs(text: str) -> Iterable[Match]:
    for run in _DIGIT_RUN.finditer(text):
        yield from _numbers_in_run(run.group(), run.start())


def _numbers_in_run(run: str, offset: int) -> Iterable[Match]:
    """Whole run first; else the longest window of its digit groups that is a known number.

    A run like "4111 1111 1111 1111 5" (a card and a stray digit) is then still caught, and
    a whole run that is a phone number is not mistaken for a check-digit number inside it.
    """
    whole = _classify_digits(re.sub(r"\D", "", run))
    if whole is None and _is_phone_number(run):
        whole = "PHONE"
    if whole is not None:
        yield Match(offset, offset + len(run), whole)
        return
    groups = [(g.start(), g.end()) for g in re.finditer(r"\d+", run)]
    cursor = 0
    while cursor < len(groups):
        for last in range(len(groups) - 1, cursor - 1, -1):
            start, end = groups[cursor][0], groups[last][1]
            label = _classify_digits(re.sub(r"\D", "", run[start:end]))
            if label:
                yield Match(offset + start, offset + end, label)
                cursor = last
                break
        cursor += 1


def _is_phone_number(run: str) -> bool:
    for region in PHONE_REGIONS:
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(run, region)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


def _passports(text: str) -> Iterable[Match]:
    return (Match(m.start(), m.end(), "PASSPORT") for m in _PASSPORT.finditer(text))


def _phones(text: str) -> Iterable[Match]:
    for region in PHONE_REGIONS:
        for m in phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.VALID
        ):
            yield Match(m.start, m.end, "PHONE")


# Earlier detectors win where matches overlap: a passport's 2+2+6 digit shape is specific,
# then checksummed numbers, then looser phone patterns.
DETECTORS: tuple[Callable[[str], Iterable[Match]], ...] = (
    _emails,
    _passports,
    _digit_runs,
    _phones,
)


def find_personal_data(text: str) -> list[Match]:
    """Non-overlapping matches in `text`, in order of position."""
    normalized = normalize_digits(text)
    chosen: list[Match] = []
    for detector in DETECTORS:
        for match in detector(normalized):
            if all(match.end <= c.start or match.start >= c.end for c in chosen):
                chosen.append(match)
    return sorted(chosen, key=lambda m: m.start)


def redact_text(text: str) -> str:
    pieces, cursor = [], 0
    for match in find_personal_data(text):
        pieces += [text[cursor : match.start], f"[{match.label}]"]
        cursor = match.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def redact_words(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """Mask across word boundaries: the words a match touches become one placeholder word."""
    joined = "".join(w.word for w in words)
    matches = find_personal_data(joined)
    if not matches:
        return words
    offsets, cursor = [], 0
    for w in words:
        offsets.append((cursor, cursor + len(w.word)))
        cursor += len(w.word)
    result: list[Word] = []
    index = 0
    for match in matches:
        while index < len(words) and offsets[index][1] <= match.start:
            result.append(words[index])
            index += 1
        first = index
        while index < len(words) and offsets[index][0] < match.end:
            index += 1
        covered = words[first:index]
        if not covered:
            continue
        prefix = covered[0].word[: max(0, match.start - offsets[first][0])]
        suffix = covered[-1].word[max(0, match.end - offsets[index - 1][0]) :]
        result.append(
            Word(
                start=covered[0].start,
                end=covered[-1].end,
                word=f"{prefix}[{match.label}]{redact_text(suffix)}",
                probability=min(w.probability for w in covered),
            )
        )
    result.extend(words[index:])
    return tuple(result)


def redact_utterance(utterance: Utterance) -> Utterance:
    return replace(utterance, text=redact_text(utterance.text), words=redact_words(utterance.words))


def redact_transcript(transcript: CallTranscript) -> CallTranscript:
    """The same transcript with personal data masked in every utterance and word."""
    return transcript.with_utterances(tuple(redact_utterance(u) for u in transcript.utterances))
