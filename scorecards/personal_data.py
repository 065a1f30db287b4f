"""Personal data in call text: one set of rules for cards, accounts, IDs, phones and e-mails.

Used by `qa.redaction` (mask before anything is stored) and by the sensitive-data criterion
(fail a call that reads one out), so the two never disagree. Rules, in en/ru/fa:

- A *number* is a run of digit groups and number words ("4539 one four eight eight", "forty
  five thirty nine", "چهار پنج ۳۹") joined by spaces, dashes, dots, slashes, commas or
  brackets, with ASR noise inside (a stray letter between digits: "4530i1488"). Persian and
  Arabic-Indic digits count as digits; number words come from number-parser's CLDR tables.
- A number of 10 digits or more is masked whatever it is (a card, an account, a phone, an ID:
  when unsure, mask); its label says what it most likely is (check digits first). Shorter ones
  (prices, times, dates, short order numbers) stay readable, except a US social security number.
- E-mail addresses written or spoken ("maria dot lopez at example dot com").
- A number continued in the same speaker's next utterance is judged as one number
  (`before`/`after`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from number_parser.data import en as _en
from number_parser.data import fa as _fa
from number_parser.data import ru as _ru

from scorecards.validators import inn, iran_national_code, luhn_valid, snils


class Label(StrEnum):
    CARD = "CARD"
    ACCOUNT = "ACCOUNT"
    IBAN = "IBAN"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    NATIONAL_ID = "NATIONAL_ID"
    PASSPORT = "PASSPORT"
    SNILS = "SNILS"
    INN = "INN"
    SSN = "SSN"
    NUMBER = "NUMBER"

    @property
    def token(self) -> str:
        """The placeholder that replaces the data in stored text: `[CARD]`."""
        return f"[{self.value}]"


CARD_LABELS = frozenset({Label.CARD})
ID_LABELS = frozenset({Label.NATIONAL_ID, Label.PASSPORT, Label.SNILS, Label.INN, Label.SSN})
LANGUAGES = ("en", "ru", "fa")
PHONE_REGIONS = {"en": ("US", "GB"), "ru": ("RU",), "fa": ("IR",)}
# The shortest number masked whatever it is: 10 digits is a phone, a national ID, a passport.
MASK_FROM_DIGITS = 10

_DIGIT_TABLE = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    label: Label


def normalize_digits(text: str) -> str:
    """Persian and Arabic-Indic digits as ASCII digits; one character for one, so offsets hold."""
    return text.translate(_DIGIT_TABLE)


# ---- number words -------------------------------------------------------------------------

_UNIT, _DIRECT, _TENS, _HUNDREDS, _HUNDRED, _BIG, _DOUBLE, _AND = range(8)
_SCALES = (_HUNDRED, _HUNDREDS, _BIG)
# Colloquial forms and digit names CLDR leaves out ("oh" for zero, Persian "شیش" for six).
_EXTRA_WORDS = {
    "en": {"oh": (_UNIT, 0), "o": (_UNIT, 0), "nought": (_UNIT, 0), "double": (_DOUBLE, 2),
           "triple": (_DOUBLE, 3), "and": (_AND, 0)},
    "ru": {"нуль": (_UNIT, 0), "ноль": (_UNIT, 0), "и": (_AND, 0)},
    "fa": {"شیش": (_UNIT, 6), "یه": (_UNIT, 1), "صد": (_HUNDRED, 100), "و": (_AND, 0)},
}  # fmt: skip


def _vocabulary(language: str, info: dict[str, object]) -> dict[str, tuple[int, int]]:
    words: dict[str, tuple[int, int]] = {}
    for key, kind in (("UNIT_NUMBERS", _UNIT), ("DIRECT_NUMBERS", _DIRECT), ("TENS", _TENS),
                      ("HUNDREDS", _HUNDREDS), ("BIG_POWERS_OF_TEN", _BIG)):  # fmt: skip
        table = info[key]
        assert isinstance(table, dict)
        for word, value in table.items():
            if " " not in word:
                words[word] = (_HUNDRED if value == 100 else kind, value)
    words.update(_EXTRA_WORDS[language])
    return words


_VOCABULARY = {
    language: _vocabulary(language, module.info)
    for language, module in (("en", _en), ("ru", _ru), ("fa", _fa))
}
_ALL_WORDS = {w: v for language in LANGUAGES for w, v in _VOCABULARY[language].items()}


def _words_of(language: str | None) -> dict[str, tuple[int, int]]:
    return _VOCABULARY.get(language or "", _ALL_WORDS)


def _spoken_digits(kinds: list[tuple[int, int]]) -> str:
    """The digits a run of number words stands for: 'forty five thirty nine' -> '4539'.

    Digit-by-digit readings stay digit by digit; compounds combine as said ('one hundred and
    thirty five' -> '135', 'twelve hundred' -> '1200', 'double five' -> '55').
    """
    out: list[str] = []
    value: int | None = None
    last, repeat = -1, 1
    for kind, number in kinds:
        if kind == _AND:
            continue
        if value is not None and _adds_to(value, last, kind, number):
            value += number
        elif value is not None and kind in (_HUNDRED, _BIG) and value < number:
            value *= number
        else:
            if value is not None:
                out.append(str(value))
            if last == _DOUBLE:
                out.extend(str(number) for _ in range(repeat - 1))
            value = None if kind == _DOUBLE else number
        repeat = number if kind == _DOUBLE else 1
        last = kind
    if value is not None:
        out.append(str(value))
    return "".join(out)


def _adds_to(value: int, last: int, kind: int, number: int) -> bool:
    """Whether a number word continues the compound before it ('forty' + 'five')."""
    if kind == _UNIT:
        return number > 0 and (last == _TENS or (last in _SCALES and value % 10 == 0))
    if kind in (_DIRECT, _TENS):
        return last in _SCALES and value % 100 == 0
    return kind == _HUNDREDS and last == _BIG and value % 1000 == 0


# ---- runs of digits and number words -------------------------------------------------------

_TOKEN = re.compile(r"\d+|[^\W\d_]+")
# What may stand between the parts of one number: spaces, dashes, dots, slashes, commas, brackets.
_JOINER = re.compile(r"[\s\-.,/()\u200c]{0,4}")


@dataclass(frozen=True)
class _Number:
    """A run of digits and number words; `digits` is what was said, as digits."""

    start: int
    end: int
    digits: str
    plus: bool


def _numbers(text: str, words: dict[str, tuple[int, int]]) -> Iterator[_Number]:
    tokens = list(_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        if not _is_number_token(tokens[i], words):
            i += 1
            continue
        last = i
        while (
            last + 1 < len(tokens)
            and _joined(text, tokens[last].end(), tokens[last + 1].start())
            and _continues(text, tokens, last + 1, words)
        ):
            last += 1
        while not _is_number_token(tokens[last], words):
            last -= 1
        parts: list[str] = []
        spoken: list[tuple[int, int]] = []
        for token in tokens[i : last + 1]:
            word = token.group()
            if word.isdigit():
                parts += [_spoken_digits(spoken), word]
                spoken = []
            elif word.lower() in words:
                spoken.append(words[word.lower()])
        parts.append(_spoken_digits(spoken))
        start = tokens[i].start()
        while start > 0 and text[start - 1] in "+(":
            start -= 1
        plus = "+" in text[start : tokens[i].start()]
        if not _inside_a_word(text, start, tokens[last].end()):
            yield _Number(start, tokens[last].end(), "".join(parts), plus)
        i = last + 1


def _continues(
    text: str, tokens: list[re.Match[str]], i: int, words: dict[str, tuple[int, int]]
) -> bool:
    """Whether token `i` still belongs to the number before it."""
    word = tokens[i].group()
    return word.isdigit() or word.lower() in words or _stray_letter(tokens, i)


def _inside_a_word(text: str, start: int, end: int) -> bool:
    """Digits glued to letters outside them are an identifier (a file hash), not a number said."""
    return (start > 0 and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha())


def _is_number_token(token: re.Match[str], words: dict[str, tuple[int, int]]) -> bool:
    word = token.group()
    return word.isdigit() or words.get(word.lower(), (_AND, 0))[0] not in (_AND, _DOUBLE)


def _stray_letter(tokens: list[re.Match[str]], i: int) -> bool:
    """ASR noise inside a number: one letter glued between two digit groups ('4530i1488')."""
    token = tokens[i]
    return (
        len(token.group()) == 1
        and 0 < i < len(tokens) - 1
        and tokens[i - 1].end() == token.start()
        and tokens[i + 1].start() == token.end()
        and tokens[i - 1].group().isdigit()
        and tokens[i + 1].group().isdigit()
    )


def _joined(text: str, end: int, start: int) -> bool:
    return _JOINER.fullmatch(text, end, start) is not None


# ---- what a number is ----------------------------------------------------------------------


def classify_digits(
    digits: str, *, plus: bool = False, regions: Iterable[str] = ()
) -> Label | None:
    """The label of a number said as `digits`, strictest check first; None: an ordinary number."""
    n = len(digits)
    if plus and n >= 8 and _valid_phone("+" + digits, ("ZZ",)):
        return Label.PHONE
    if 13 <= n <= 19 and luhn_valid(digits) and len(set(digits)) > 1:
        return Label.CARD
    if n == 11 and snils(digits):
        return Label.SNILS
    if n == 12 and inn(digits):
        return Label.INN
    if n == 10 and iran_national_code(digits):
        return Label.NATIONAL_ID
    if n == 10 and inn(digits):
        return Label.INN
    if 10 <= n <= 13 and _valid_phone(digits, regions or ("IR", "RU", "US", "GB")):
        return Label.PHONE
    if 15 <= n <= 19:
        # A card number the recogniser got one digit wrong fails Luhn but is still a card.
        return Label.CARD
    if n >= MASK_FROM_DIGITS:
        return Label.ACCOUNT if n >= 20 else Label.NUMBER
    return None


def _valid_phone(number: str, regions: Iterable[str]) -> bool:
    for region in regions:
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(number, region)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


# ---- patterns that are not plain numbers ---------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+ ?@ ?[\w-]+(?:\.[\w-]+)+")
_DOT = r"(?:dot|точка|نقطه|دات)"
_AT = r"(?:at|собака|эт|ات|اَت)"
_TLD = r"(?:com|org|net|ru|ir|uk|io|info|edu|gov|de|ком|ру|рф|орг|нет|کام|دات کام)"
_SPOKEN_EMAIL = re.compile(
    rf"(?i)\b[\w.+-]+(?:\s+{_DOT}\s+[\w-]+)*\s+{_AT}\s+[\w-]+(?:\s+{_DOT}\s+[\w-]+)*"
    rf"\s+{_DOT}\s+{_TLD}\b"
)
_PASSPORT = re.compile(r"(?<!\d)\d{2} ?\d{2}[ \-№]+\d{6}(?!\d)")
_SSN = re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)")
# Country code in capitals (any IBAN), or Iran's in any case as ASR writes it ("ir 06 ...").
_IBAN = re.compile(r"(?<![\w])(?:[A-Z]{2}|[Ii][Rr])[ -]?\d{2}(?:[ -]?\d){10,30}(?!\d)")


def _patterns(text: str) -> Iterator[Finding]:
    for pattern, label in (
        (_EMAIL, Label.EMAIL),
        (_SPOKEN_EMAIL, Label.EMAIL),
        (_IBAN, Label.IBAN),
        (_PASSPORT, Label.PASSPORT),
        (_SSN, Label.SSN),
    ):
        for m in pattern.finditer(text):
            yield Finding(m.start(), m.end(), label)


# ---- the entry points ----------------------------------------------------------------------


def find_personal_data(
    text: str, language: str | None = None, *, before: str = "", after: str = ""
) -> list[Finding]:
    """Non-overlapping findings in `text`, in order of position.

    `before` and `after` are the same speaker's previous and next utterances: a number cut in
    two by a pause is judged whole, and each part is masked where it stands.
    """
    normalized = normalize_digits(text)
    words = _words_of(language)
    regions = PHONE_REGIONS.get(language or "", ())
    chosen = list(_patterns(normalized))
    numbers = list(_numbers(normalized, words))
    for index, number in enumerate(numbers):
        digits = number.digits
        if index == 0 and before and normalized[: number.start].strip(" ,.-") == "":
            digits = _trailing_digits(normalize_digits(before), words) + digits
        if index == len(numbers) - 1 and after and normalized[number.end :].strip(" ,.-?!") == "":
            digits += _leading_digits(normalize_digits(after), words)
        label = classify_digits(digits, plus=number.plus, regions=regions)
        if label is not None:
            _add(chosen, Finding(number.start, number.end, label))
    return sorted(chosen, key=lambda f: f.start)


def _add(chosen: list[Finding], finding: Finding) -> None:
    if all(finding.end <= c.start or finding.start >= c.end for c in chosen):
        chosen.append(finding)


def _trailing_digits(text: str, words: dict[str, tuple[int, int]]) -> str:
    numbers = list(_numbers(text, words))
    if numbers and text[numbers[-1].end :].strip(" ,.-") == "":
        return numbers[-1].digits
    return ""


def _leading_digits(text: str, words: dict[str, tuple[int, int]]) -> str:
    first = next(_numbers(text, words), None)
    if first is not None and text[: first.start].strip(" ,.-") == "":
        return first.digits
    return ""


def mask_text(text: str, language: str | None = None, *, before: str = "", after: str = "") -> str:
    """`text` with every finding replaced by its placeholder (`[CARD]`, `[PHONE]`, ...)."""
    pieces, cursor = [], 0
    for finding in find_personal_data(text, language, before=before, after=after):
        pieces += [text[cursor : finding.start], finding.label.token]
        cursor = finding.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def labels_said(text: str, language: str | None = None) -> set[Label]:
    """What kinds of personal data `text` says, for checks that only need to know whether."""
    return {finding.label for finding in find_personal_data(text, language)}
