"""Lexicon sentiment for short utterances: words with a polarity, flipped by nearby negation.

Negation reaches a few words and never past punctuation: "не доволен" is negative, but in
"Нет, большое спасибо" the "нет" answers a question and the thanks stays thanks.

Crude on purpose: no model can be downloaded where the platform runs, and a scorecard only
asks whether the customer ended the call in a worse or better mood than they began it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from scorecards.normalize import normalize

LEXICON_FILE = Path(__file__).parent / "lexicons" / "sentiment.yaml"
NEGATION_REACH = 3
_CLAUSE_END = re.compile(r"[.,!?;:\u2026\u060c\u061b\u061f\n]+")


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, float]  # exact words and phrases (phrases as space-joined words)
    prefixes: dict[str, float]  # written with a trailing * in the lexicon
    prefix_lengths: tuple[int, ...]  # longest first: the most specific prefix decides
    negators: frozenset[str]
    negators_after: frozenset[str]
    longest_entry: int  # words in the longest multi-word entry

    def polarity(self, word: str) -> float:
        found = self.words.get(word)
        if found is not None:
            return found
        for length in self.prefix_lengths:
            value = self.prefixes.get(word[:length]) if len(word) >= length else None
            if value is not None:
                return value
        return 0.0


@lru_cache(maxsize=8)
def lexicon(language: str) -> Lexicon:
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    entry = data.get(language) or data["en"]
    words: dict[str, float] = {}
    prefixes: dict[str, float] = {}
    for key, value in (("positive", 1.0), ("negative", -1.0)):
        for raw in _strings(entry, key):
            if raw.endswith("*"):
                prefixes[normalize(raw[:-1])] = value
            else:
                words[normalize(raw)] = value
    return Lexicon(
        words,
        prefixes,
        tuple(sorted({len(p) for p in prefixes}, reverse=True)),
        frozenset(normalize(w) for w in _strings(entry, "negators")),
        frozenset(normalize(w) for w in _strings(entry, "negators_after")),
        max((len(w.split()) for w in words), default=1),
    )


def _strings(entry: dict[str, list[object]], key: str) -> list[str]:
    values = entry.get(key) or []
    wrong = [v for v in values if not isinstance(v, str)]
    if wrong:
        # YAML reads a bare `no` as false: quote such words in the lexicon.
        raise ValueError(f"{LEXICON_FILE}: {key} has non-text entries {wrong}; quote them")
    return [str(v) for v in values]


def text_sentiment(text: str, language: str) -> float:
    """-1 (all negative) .. +1 (all positive); 0 when no sentiment word is present."""
    lex = lexicon(language)
    positive = negative = 0
    for clause in _CLAUSE_END.split(text):
        for value in _polarities(lex, normalize(clause).split()):
            positive += value > 0
            negative += value < 0
    if positive + negative == 0:
        return 0.0
    return (positive - negative) / (positive + negative)


def _polarities(lex: Lexicon, tokens: list[str]) -> list[float]:
    """The polarity of each sentiment entry in one clause, negation applied."""
    found = []
    position = 0
    while position < len(tokens):
        value, length = _sentiment_at(lex, tokens, position)
        if value:
            before = tokens[max(0, position - NEGATION_REACH) : position]
            after = tokens[position + length : position + length + NEGATION_REACH]
            negated = any(t in lex.negators for t in before) or any(
                t in lex.negators_after for t in after
            )
            found.append(-value if negated else value)
        position += length
    return found


def _sentiment_at(lex: Lexicon, tokens: list[str], position: int) -> tuple[float, int]:
    """The polarity of the longest lexicon entry starting at `position`, and its word count."""
    for length in range(min(lex.longest_entry, len(tokens) - position), 1, -1):
        value = lex.words.get(" ".join(tokens[position : position + length]))
        if value is not None:
            return value, length
    return lex.polarity(tokens[position]), 1


def closing_sentiment(texts: Sequence[str], language: str, portion: float = 0.34) -> float | None:
    """The mean sentiment of the last `portion` of a speaker's utterances (at least one);
    None when there are none. How the customer sounded as the call ended."""
    if not texts:
        return None
    count = max(1, round(len(texts) * portion))
    closing = texts[-count:]
    return sum(text_sentiment(text, language) for text in closing) / len(closing)
