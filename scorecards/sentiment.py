"""Lexicon sentiment for short utterances: words with a polarity, flipped by nearby negation.

Crude on purpose: no model can be downloaded where the platform runs, and a scorecard only
asks whether the customer ended the call in a worse or better mood than they began it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from scorecards.normalize import normalize

LEXICON_FILE = Path(__file__).parent / "lexicons" / "sentiment.yaml"
NEGATION_REACH = 3


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, float]  # exact words and phrases (phrases as space-joined words)
    prefixes: dict[str, float]  # written with a trailing * in the lexicon
    prefix_lengths: tuple[int, ...]  # longest first: the most specific prefix decides
    negators: frozenset[str]
    negators_after: frozenset[str]

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
        for raw in entry[key]:
            raw = str(raw)
            if raw.endswith("*"):
                prefixes[normalize(raw[:-1])] = value
            else:
                words[normalize(raw)] = value
    return Lexicon(
        words,
        prefixes,
        tuple(sorted({len(p) for p in prefixes}, reverse=True)),
        frozenset(normalize(str(w)) for w in entry["negators"]),
        frozenset(normalize(str(w)) for w in entry.get("negators_after") or ()),
    )


def utterance_sentiment(normalized_text: str, language: str) -> float:
    """-1 (all negative) .. +1 (all positive); 0 when no sentiment word is present."""
    lex = lexicon(language)
    tokens = normalized_text.split()
    positive = negative = 0
    for position, token in enumerate(tokens):
        value = lex.polarity(token)
        if position + 1 < len(tokens):
            value = value or lex.words.get(f"{token} {tokens[position + 1]}", 0.0)
        if not value:
            continue
        before = tokens[max(0, position - NEGATION_REACH) : position]
        after = tokens[position + 1 : position + 1 + NEGATION_REACH]
        if any(t in lex.negators for t in before) or any(t in lex.negators_after for t in after):
            value = -value
        if value > 0:
            positive += 1
        else:
            negative += 1
    if positive + negative == 0:
        return 0.0
    return (positive - negative) / (positive + negative)
