"""English politeness strategies (Danescu-Niculescu-Mizil et al. 2013), the third reader's input.

The paper's annotators judged a request by a few strategies: hedging, "please", gratitude,
apology, counterfactual "could/would you", versus direct questions ("what/why ..."), direct
starts ("so/and/but ..."), second-person starts and factuality ("in fact"). The n-gram reader
sees most of these words but not where they stand in a sentence; this reader sees each strategy
as one binary feature, so its weights can be read. The paper's positive and negative sentiment
lexicons are left out (the n-gram reader has the words), and so is a question mark: every
Stanford request is a question and no phrase-list example is, so "?" learned the domain, not
rudeness (with it, an agent's "ok, just to verify you already tried to use the code?" scored
0.599, rude). The same function computes the vector in training and at run time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_HEDGES = (
    r"think|thought|believe|suggest|suspect|guess|assume|suppose|presum\w*|maybe|perhaps|"
    r"possibl[ey]|probabl[ey]|apparently|seems?|seemed|appears?|likely|unclear|somewhat|"
    r"kind of|sort of|a bit|i wonder|wondering|might|if you don'?t mind|not sure"
)
_START = r"(?:^|[.!?;:]\s*)"

# (name, pattern on the lower-cased text); the order is the order of the weights on disk.
STRATEGIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("gratitude", r"\b(?:thanks?|thank you|thx|(?:i|we) (?:really )?appreciate)\b"),
        ("deference", _START + r"(?:great|good|nice|interesting|cool|excellent|awesome)\b"),
        ("greeting", _START + r"(?:hi|hello|hey|good (?:morning|afternoon|evening))\b"),
        ("apologizing", r"\b(?:sorry|oops|woops|apologi[sz]e|forgive me|excuse me|my bad)\b"),
        ("please", r"(?<![.!?;:]\s)(?<!^)\bplease\b"),
        ("please_start", _START + r"please\b"),
        ("indirect_btw", r"\bby the way\b|\bbtw\b"),
        ("direct_question", _START + r"(?:what|why|who|how|where|when)\b"),
        ("direct_start", _START + r"(?:so|then|and|but|or)\b"),
        ("counterfactual_modal", r"\b(?:could|would) you\b"),
        ("indicative_modal", r"\b(?:can|will) you\b"),
        ("first_person_start", _START + r"(?:i|my|mine|myself)\b"),
        ("first_person_plural", r"\b(?:we|our|ours|us|ourselves)\b"),
        ("first_person", r"(?<!^)\b(?:i|my|mine|myself)\b"),
        ("second_person", r"(?<!^)\b(?:you|your|yours|yourself)\b"),
        ("second_person_start", _START + r"(?:you|your|yours|yourself)\b"),
        ("hedges", r"\b(?:" + _HEDGES + r")\b"),
        (
            "factuality",
            r"\b(?:in fact|actually|the (?:point|reality|truth) is|clearly|obviously)\b",
        ),
        ("exclamation", r"!"),
    )
)


def features(text: str) -> np.ndarray:
    """One 0/1 per strategy: whether the text uses it."""
    lowered = " ".join(text.lower().replace("’", "'").split())
    return np.array([bool(pattern.search(lowered)) for _, pattern in STRATEGIES], np.float64)


def matrix(texts: Sequence[str]) -> np.ndarray:
    """The strategy vectors of texts, one row each."""
    if not texts:
        return np.zeros((0, len(STRATEGIES)))
    return np.stack([features(text) for text in texts])
