"""Phrase lists: what is said, in each language, compiled once when a scorecard loads.

A phrase is matched one of three ways, chosen from its normalised length so that short phrases
cannot match everything: fuzzily (long phrases), as a whole word or words (short ones, so "hi"
never matches inside "this"), or as a word prefix when written with a trailing `*` (Russian
inflections: "идиот*" matches "идиотка", "идиоты").

Russian phrases are also matched in dictionary forms (pymorphy3 lemmas), as well as, not
instead of, as written: "спасибо за ваше обращение" then says "спасибо за обращение".
bench/phrase_matching.py measured it (docs/scorecards.md, "Matching").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal

from scorecards.explanation import Explanation, explain
from scorecards.normalize import normalize_cached

MatchMode = Literal["fuzzy", "words", "prefix"]

# Normalised phrases this short must match whole words exactly.
EXACT_BELOW = 6
# Phrases below this length get a stricter fuzzy threshold: one typo in a short phrase is a
# larger share of it, and partial matching finds near-misses everywhere.
SHORT_PHRASE = 12
SHORT_PHRASE_MIN_THRESHOLD = 90.0


@dataclass(frozen=True, eq=False)
class Phrase:
    """One phrase as matched. Equal phrases are one object (see `compile`), so matching can
    remember its results per phrase by identity, the cheapest key there is."""

    text: str
    normalized: str
    language: str
    mode: MatchMode
    threshold: float
    pattern: re.Pattern[str] | None
    words: frozenset[str]
    lemmas: Phrase | None = None  # the phrase in dictionary forms (Russian, not prefixes)

    @staticmethod
    @cache
    def compile(text: str, language: str, threshold: float) -> Phrase:
        prefix = text.rstrip().endswith("*")
        normalized = normalize_cached(text.rstrip().rstrip("*"))
        lemmas = None
        if language == LEMMATISED and not prefix:
            # Even a phrase already in dictionary forms is looked for in the utterances' ones.
            lemmas = Phrase.compile(lemmatized(normalized), f"{language}-lemmas", threshold)
        if prefix:
            mode: MatchMode = "prefix"
            pattern: re.Pattern[str] | None = re.compile(rf"(?<!\w){re.escape(normalized)}\w*")
        elif len(normalized) < EXACT_BELOW:
            mode = "words"
            pattern = re.compile(rf"(?<!\w){re.escape(normalized)}(?!\w)")
        else:
            mode = "fuzzy"
            pattern = None
            if len(normalized) < SHORT_PHRASE:
                threshold = max(threshold, SHORT_PHRASE_MIN_THRESHOLD)
        words = frozenset(normalized.split())
        return Phrase(text, normalized, language, mode, threshold, pattern, words, lemmas)


# The language whose phrases and calls are also matched in dictionary forms.
LEMMATISED = "ru"


@cache
def _morphology() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str:
    return str(_morphology().parse(word)[0].normal_form).replace("ё", "е")


def lemmatized(normalized: str) -> str:
    """Normalised Russian text with each word in its dictionary form."""
    return " ".join(_lemma(word) for word in normalized.split())


@dataclass(frozen=True)
class PhraseSet:
    """Phrases by language; a call uses its own language's, or all of them if it has none."""

    by_language: Mapping[str, tuple[Phrase, ...]]

    @classmethod
    def compile(cls, texts: Mapping[str, Iterable[str]], threshold: float) -> PhraseSet:
        by_language: dict[str, tuple[Phrase, ...]] = {}
        for language, phrases in texts.items():
            compiled: dict[tuple[str, MatchMode], Phrase] = {}
            for text in phrases:
                phrase = Phrase.compile(text, language, threshold)
                if phrase.normalized:
                    compiled.setdefault((phrase.normalized, phrase.mode), phrase)
            by_language[language] = tuple(compiled.values())
        return cls(by_language)

    def for_language(self, language: str) -> tuple[Phrase, ...]:
        own = self.by_language.get(language)
        if own:
            return own
        return tuple(p for phrases in self.by_language.values() for p in phrases)

    def describe(self, language: str, limit: int = 3) -> Explanation:
        """A few of the phrases (the scorecard's own words, shown as written) and how many more."""
        phrases = self.for_language(language)
        shown = ", ".join(f"'{p.text}'" for p in phrases[:limit])
        if len(phrases) <= limit:
            return Explanation.verbatim(shown)
        return explain("{shown} and {more} more", shown=shown, more=len(phrases) - limit)
