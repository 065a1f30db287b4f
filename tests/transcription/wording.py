"""Word lists and word error rate, for comparing what was heard with what was said."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

_NOT_IN_WORDS = re.compile(r"[^\w'\u200c]+")


def words_of(text: str) -> list[str]:
    """Lower-case words without punctuation; Persian zero-width non-joiners kept inside words."""
    return _NOT_IN_WORDS.sub(" ", text.lower()).split()


def word_error_rate(reference: list[str], hypothesis: list[str]) -> float:
    """Word-level edit distance over reference length (substitutions, insertions, deletions)."""
    return Levenshtein.distance(reference, hypothesis) / max(1, len(reference))


# Spellings Whisper and people use interchangeably: Arabic and Persian yeh and kaf, Russian yo.
_SAME_LETTER = str.maketrans({"ي": "ی", "ك": "ک", "ё": "е", "\u200c": " "})


def letters_of(text: str) -> str:
    """Lower-case text without punctuation, one space between words, variant letters unified."""
    return " ".join(words_of(text.lower().translate(_SAME_LETTER)))


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Character-level edit distance over reference length, after `letters_of` on both."""
    said, heard = letters_of(reference), letters_of(hypothesis)
    return Levenshtein.distance(said, heard) / max(1, len(said))
