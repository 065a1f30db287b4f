"""Text normalisation shared by phrase lists and transcripts, so both sides compare alike.

One function for all three languages: the Persian and Russian rules never change English text,
and applying them unconditionally copes with calls whose detected language is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ARABIC_DIACRITICS = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u0640"]
_ZERO_WIDTH_JOINING = ["\u200b", "\u200d", "\u200e", "\u200f", "\ufeff", "\u00ad"]
_APOSTROPHES = ["'", "\u2019", "\u2018", "`", "\u02bc"]

_CHAR_MAP: dict[int, str | None] = {
    # Arabic letters that Persian writes differently.
    ord("ي"): "ی",
    ord("ى"): "ی",
    ord("ئ"): "ی",
    ord("ك"): "ک",
    ord("ة"): "ه",
    ord("ۀ"): "ه",
    ord("أ"): "ا",
    ord("إ"): "ا",
    ord("ٱ"): "ا",
    ord("آ"): "ا",
    ord("ؤ"): "و",
    # Russian: ё is optional in writing and speech recognisers use either.
    ord("ё"): "е",
    ord("Ё"): "е",
    # The zero-width non-joiner separates Persian morphemes ("می‌خواهم"); it becomes a space,
    # and the common prefixes and suffixes are then joined (see _PERSIAN_AFFIXES).
    ord("\u200c"): " ",
}
_CHAR_MAP.update({ord(ch): None for ch in _ARABIC_DIACRITICS + _ZERO_WIDTH_JOINING + _APOSTROPHES})
_CHAR_MAP.update({0x06F0 + d: str(d) for d in range(10)})  # Persian digits
_CHAR_MAP.update({0x0660 + d: str(d) for d in range(10)})  # Arabic-Indic digits

_NOT_WORD = re.compile(r"[^\w]+|_+")
# Persian writes a verb prefix or a plural / pronoun suffix joined, with a zero-width
# non-joiner or with a space ("میخواهم", "می‌خواهم", "می خواهم"; "کتابها", "کتاب‌ها"): all
# three become the joined form, so a phrase matches however either side spelled it.
_PERSIAN_PREFIX = re.compile(r"(?<!\S)(ن?می) (?=\S)")
_PERSIAN_SUFFIX = re.compile(r"(?<=\S) (هایی|هایم|هایت|هایش|های|ها|ترین|تر)(?!\S)")


def unify_script(text: str) -> str:
    """Lower-case text with one spelling per letter (Persian ی/ک, ё -> е), no diacritics or
    zero-width marks; punctuation kept (the n-gram reader needs masks such as "х*й")."""
    return unicodedata.normalize("NFC", text).translate(_CHAR_MAP).casefold()


def normalize(text: str) -> str:
    """Lower-case, script-unified, punctuation-free text with single spaces."""
    text = unify_script(text)
    text = " ".join(_NOT_WORD.sub(" ", text).split())
    return _PERSIAN_SUFFIX.sub(r"\1", _PERSIAN_PREFIX.sub(r"\1", text))


def normalize_digits(text: str) -> str:
    """Only Persian and Arabic-Indic digits to ASCII: what pattern checks need on raw text."""
    return text.translate(_DIGIT_MAP)


_DIGIT_MAP = {k: v for k, v in _CHAR_MAP.items() if v is not None and v.isdigit()}


@lru_cache(maxsize=65536)
def normalize_cached(text: str) -> str:
    """normalize() for strings that repeat across calls (phrases, lexicon words)."""
    return normalize(text)
