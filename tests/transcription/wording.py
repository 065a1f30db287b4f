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
