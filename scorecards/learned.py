"""Learned text classifiers applied with numpy: per language, two or three readers stacked.

One logistic regression reads the E5 embedding (meaning), one reads hashed character and word
n-grams (`scorecards/ngrams.py`: the surface of swear words and their disguises), and in English
one reads the politeness strategies of a request (`scorecards/strategies.py`: hedges, "please",
direct questions); a calibrated logistic stack of their margins gives the probability. Weights
are trained offline (`scorecards/training/`) and stored as a small `.npz` file with the decision
threshold and the abstain band on the calibrated probability. Applying them needs no
scikit-learn.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from scorecards import ngrams, strategies
from scorecards.embedding import EmbeddingService, embedding_service

MODELS_DIR = Path(__file__).parent / "models"
SHIPPED = {"rude": "rude.npz", "politeness": "politeness.npz"}


class UnknownModel(LookupError):
    """A scorecard names a classifier that is not shipped."""


class IncompatibleModel(ValueError):
    """A stored model reads features this version of callqa does not compute."""


@dataclass(frozen=True)
class NgramReader:
    """A logistic regression over hashed n-grams (dense over the buckets, float16 on disk)
    and its weight `a` in the stack."""

    weights: np.ndarray
    bias: float
    a: float

    def margins(self, texts: Sequence[str]) -> np.ndarray:
        return ngrams.margins(texts, self.weights, self.bias)


@dataclass(frozen=True)
class StrategyReader:
    """A logistic regression over the binary politeness strategies (`strategies.STRATEGIES`,
    in that order) and its weight `a` in the stack."""

    weights: np.ndarray
    bias: float
    a: float

    def margins(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(strategies.matrix(texts) @ self.weights + self.bias)


@dataclass(frozen=True)
class LanguageHead:
    """p = σ(a·(w·x + c) + a_n·(v·h(text) + c_n) + a_s·(u·s(text) + c_s) + b): the embedding
    reader's margin and, when present, the n-gram and strategy readers', combined by a logistic
    stack fitted on out-of-fold margins (with one reader it is plain Platt scaling).

    `band`: calibrated probabilities too close to call, chosen per language from
    cross-validation so that at most a tenth of the dev texts fall inside."""

    weights: np.ndarray
    bias: float
    platt_a: float
    platt_b: float
    band: tuple[float, float] = (0.4, 0.6)
    ngram: NgramReader | None = None
    strategy: StrategyReader | None = None

    def probability(self, embeddings: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        logit = self.platt_a * (embeddings @ self.weights + self.bias) + self.platt_b
        if self.ngram is not None:
            logit = logit + self.ngram.a * self.ngram.margins(texts)
        if self.strategy is not None:
            logit = logit + self.strategy.a * self.strategy.margins(texts)
        return 1.0 / (1.0 + np.exp(-logit))


@dataclass(frozen=True)
class TextClassifier:
    """One learned check (e.g. rude language), with a head per language it was trained for."""

    name: str
    heads: Mapping[str, LanguageHead]
    threshold: float = 0.5
    embedding_model: str = ""
    trained: Mapping[str, Any] = field(default_factory=dict)  # data, seed, metrics

    @property
    def version(self) -> str:
        """A content hash of the weights and settings, like a scorecard's version."""
        digest = hashlib.sha256(json.dumps(self._meta(), sort_keys=True).encode())
        for language in sorted(self.heads):
            head = self.heads[language]
            digest.update(language.encode())
            digest.update(np.ascontiguousarray(head.weights, dtype=np.float32).tobytes())
            digest.update(np.array(_params(head)).tobytes())
            if head.ngram is not None:
                digest.update(np.ascontiguousarray(head.ngram.weights, np.float16).tobytes())
                digest.update(np.array([head.ngram.bias, head.ngram.a]).tobytes())
            if head.strategy is not None:
                digest.update(np.ascontiguousarray(head.strategy.weights, np.float64).tobytes())
                digest.update(np.array([head.strategy.bias, head.strategy.a]).tobytes())
        return digest.hexdigest()[:12]

    @property
    def label(self) -> str:
        """How evaluations record the model that scored them."""
        return f"{self.name}@{self.version}"

    def probabilities(
        self,
        embeddings: np.ndarray,
        texts: Sequence[str],
        languages: Sequence[str],
        fallback: str,
    ) -> np.ndarray:
        """The calibrated probability of the positive class for each embedded text."""
        out = np.zeros(len(languages), dtype=np.float64)
        for language in set(languages):
            rows = [i for i, lang in enumerate(languages) if lang == language]
            head = self.head(language, fallback)
            out[rows] = head.probability(embeddings[rows], [texts[i] for i in rows])
        return out

    def head(self, language: str, fallback: str) -> LanguageHead:
        """The language's own head; else the call language's; else English (E5 is multilingual)."""
        for candidate in (language, fallback, "en"):
            if candidate in self.heads:
                return self.heads[candidate]
        return next(iter(self.heads.values()))

    def to_bytes(self) -> bytes:
        arrays: dict[str, np.ndarray] = {"meta": np.array(json.dumps(self._meta()))}
        for language, head in self.heads.items():
            arrays[f"{language}_weights"] = head.weights.astype(np.float32)
            arrays[f"{language}_params"] = np.array(_params(head))
            if head.ngram is not None:
                arrays[f"{language}_ngram_weights"] = head.ngram.weights.astype(np.float16)
                arrays[f"{language}_ngram_params"] = np.array([head.ngram.bias, head.ngram.a])
            if head.strategy is not None:
                arrays[f"{language}_strategy_names"] = np.array(strategy_names())
                arrays[f"{language}_strategy_weights"] = head.strategy.weights.astype(np.float64)
                arrays[f"{language}_strategy_params"] = np.array(
                    [head.strategy.bias, head.strategy.a]
                )
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> TextClassifier:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            meta = json.loads(str(stored["meta"]))
            heads = {}
            for language in meta["languages"]:
                bias, a, b, low, high = (float(v) for v in stored[f"{language}_params"])
                weights = stored[f"{language}_weights"]
                reader = None
                if f"{language}_ngram_weights" in stored:  # versions stored before n-grams lack it
                    ngram_bias, ngram_a = (float(v) for v in stored[f"{language}_ngram_params"])
                    reader = NgramReader(stored[f"{language}_ngram_weights"], ngram_bias, ngram_a)
                heads[language] = LanguageHead(
                    weights, bias, a, b, (low, high), reader, _strategy_reader(stored, language)
                )
        return cls(
            name=meta["name"],
            heads=heads,
            threshold=float(meta["threshold"]),
            embedding_model=meta["embedding_model"],
            trained=meta.get("trained", {}),
        )

    def _meta(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "languages": sorted(self.heads),
            "threshold": self.threshold,
            "embedding_model": self.embedding_model,
            "trained": dict(self.trained),
        }


def strategy_names() -> list[str]:
    return [name for name, _ in strategies.STRATEGIES]


def _strategy_reader(stored: Mapping[str, np.ndarray], language: str) -> StrategyReader | None:
    """The head's strategy reader; None in versions stored before it. Weights are matched to
    the strategies by name, so a file from another strategy list is refused, not misread."""
    if f"{language}_strategy_weights" not in stored:
        return None
    names = [str(n) for n in stored[f"{language}_strategy_names"]]
    if names != strategy_names():
        raise IncompatibleModel(
            f"the {language} head reads strategies {names}, this callqa computes "
            f"{strategy_names()}; retrain with `python -m scorecards.training`"
        )
    bias, a = (float(v) for v in stored[f"{language}_strategy_params"])
    return StrategyReader(stored[f"{language}_strategy_weights"], bias, a)


def _params(head: LanguageHead) -> list[float]:
    return [head.bias, head.platt_a, head.platt_b, head.band[0], head.band[1]]


@cache
def shipped_classifier(name: str) -> TextClassifier:
    """A classifier committed to the repo, read once per process."""
    if name not in SHIPPED:
        raise UnknownModel(f"no learned model {name!r}; shipped: {', '.join(sorted(SHIPPED))}")
    return TextClassifier.from_bytes((MODELS_DIR / SHIPPED[name]).read_bytes())


def utterance_language(text: str, fallback: str) -> str:
    """The script tells ru / fa / en apart well enough to pick a head, per utterance."""
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in text)
    arabic = sum("\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" for ch in text)
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    counts = {"ru": cyrillic, "fa": arabic, "en": latin}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else fallback


def score_texts(
    classifier: TextClassifier,
    texts: Sequence[str],
    fallback_language: str,
    service: EmbeddingService | None = None,
) -> np.ndarray:
    """Calibrated probabilities for texts, embedded in one batch (cached per text)."""
    if not texts:
        return np.zeros(0)
    embeddings = (service or embedding_service()).embed(texts)
    languages = [utterance_language(t, fallback_language) for t in texts]
    return classifier.probabilities(embeddings, texts, languages, fallback_language)
