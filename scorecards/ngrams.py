"""Hashed character and word n-grams of an utterance, for the learned checks' second reader.

Embeddings read meaning but smooth over the surface that marks most rudeness in Russian and
Persian: swear-word stems, their inflections and their disguises ("х*й", "xуй", "пиздeц" with a
Latin e). Character n-grams (1-5, inside word boundaries) catch those; word uni- and bigrams
catch set expressions. Features are hashed with CRC-32 (stdlib, stable across processes and
platforms) into a fixed number of buckets, so training (scikit-learn) and run time (numpy)
compute the very same vector from this one function.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Sequence

import numpy as np

from scorecards.normalize import unify_script

BUCKETS = 1 << 18
CHAR_N = (1, 5)

# Latin letters and digits that look like Cyrillic ones: inside a Cyrillic word they are a
# disguise (or a keyboard slip), never English.
_LOOKALIKE = str.maketrans(
    {
        "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "o": "о",
        "p": "р", "t": "т", "x": "х", "y": "у", "u": "и", "n": "п", "r": "г",
        "0": "о", "3": "з", "4": "ч", "6": "б", "@": "а",
    }
)  # fmt: skip
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# A word: letters, digits, and masking characters between letters ("х*й", "б..ть", "п#здец").
_TOKEN = re.compile(r"\w+(?:[*#$%@.]+\w+)*[*#$%@]*|[!?]")
_MASK = re.compile(r"[*#$%@.]+")
_REPEAT = re.compile(r"(.)\1{2,}")


def tokens(text: str) -> list[str]:
    """Words as the n-gram reader sees them: script-unified, lower-case, disguises undone,
    masks ("*", "#", "...") inside a word reduced to one "*", letters repeated 3+ times to two;
    "!" and "?" kept (they carry tone)."""
    text = unify_script(unicodedata.normalize("NFKC", text))
    out = []
    for token in _TOKEN.findall(text):
        token = _REPEAT.sub(r"\1\1", token)
        if _CYRILLIC.search(token):
            token = token.translate(_LOOKALIKE)
        out.append(_MASK.sub("*", token))
    return out


def features(text: str) -> dict[int, float]:
    """Bucket -> weight: sublinear counts of the n-grams, L2-normalised."""
    words = tokens(text)
    grams: Counter[str] = Counter()
    for word in words:
        padded = f" {word} "
        for n in range(CHAR_N[0], CHAR_N[1] + 1):
            grams.update("c" + padded[i : i + n] for i in range(len(padded) - n + 1))
        grams["w" + word] += 1
    grams.update(f"b{a} {b}" for a, b in zip(words, words[1:], strict=False))
    buckets: dict[int, float] = {}
    for gram, count in grams.items():
        index = zlib.crc32(gram.encode("utf-8")) % BUCKETS
        buckets[index] = buckets.get(index, 0.0) + 1.0 + math.log(count)
    norm = math.sqrt(sum(v * v for v in buckets.values())) or 1.0
    return {k: v / norm for k, v in buckets.items()}


def margins(texts: Sequence[str], weights: np.ndarray, bias: float) -> np.ndarray:
    """w·x + c for each text's hashed n-gram vector, without building a matrix."""
    out = np.full(len(texts), bias, dtype=np.float64)
    for row, text in enumerate(texts):
        found = features(text)
        if found:
            index = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
            value = np.fromiter(found.values(), dtype=np.float64, count=len(found))
            out[row] += float(weights[index].astype(np.float64) @ value)
    return out
