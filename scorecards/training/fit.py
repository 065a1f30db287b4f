"""Fitting and measuring one language head: logistic readers, a calibrated stack, a band.

The embedding reader, the n-gram reader and (English) the strategy reader are each
cross-validated (grouped, seeded folds); their out-of-fold margins train the logistic stack,
which is itself cross-validated on the same folds to give every text a probability from a stack
that did not see its label. So calibration and the abstain band come from scores of texts the
readers were not trained on. (The readers that produced the other folds' margins did see the
held-out fold: a 3-parameter stack gains nothing measurable from that; full nesting would cost
five times the training.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold

from scorecards import ngrams
from scorecards.learned import LanguageHead, NgramReader, StrategyReader

# Inverse L2 strength. Embedding reader, by 5-fold CV on 1,200 texts per language: C 1 -> 16
# raised balanced accuracy ru 0.817 -> 0.852, fa 0.726 -> 0.741, en 0.843 -> 0.844 (64: no
# better). N-gram reader, on all dev texts: C 4 -> 16 raised ru 0.905 -> 0.917; fa 16 and 64
# both 0.826.
C_EMBEDDING = 16.0
C_NGRAM = 16.0
# Strategy reader (20 binary features): C 0.1, 1 and 10 gave the same English stack with the
# n-gram reader (decided 0.865 / 0.864 / 0.864 on its own out-of-fold margins).
C_STRATEGY = 1.0
C_STACK = 1.0
FOLDS = 5
BOOTSTRAP = 1000


@dataclass(frozen=True)
class CrossValidated:
    """Out-of-fold probabilities of the calibration rows, and the stack fitted on all of them:
    coefficients of the embedding, n-gram and (when read) strategy margins, and the intercept."""

    probabilities: np.ndarray
    stack: tuple[float, ...]


def ngram_matrix(texts: Sequence[str]) -> sp.csr_matrix:
    """The hashed n-gram vectors of texts as one sparse matrix (what `ngrams.margins` reads)."""
    indptr: list[int] = [0]
    indices: list[int] = []
    values: list[float] = []
    for text in texts:
        found = ngrams.features(text)
        indices += found.keys()
        values += found.values()
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.array(values, np.float64), np.array(indices, np.int64), np.array(indptr)),
        shape=(len(texts), ngrams.BUCKETS),
    )


def _logistic(c: float, seed: int) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=seed)


def cross_validate(
    x: np.ndarray,
    h: sp.csr_matrix | None,
    y: np.ndarray,
    groups: np.ndarray,
    seed: int,
    weights: np.ndarray | None = None,
    calibrate: np.ndarray | None = None,
    s: np.ndarray | None = None,
) -> CrossValidated:
    """`calibrate` marks the rows the stack is fitted and measured on (the public texts:
    curated phrase examples train the readers but would tilt the calibration); `s` is the
    strategy matrix, for the languages that read it."""
    calibrate = np.ones(len(y), bool) if calibrate is None else calibrate
    folds = list(StratifiedGroupKFold(FOLDS, shuffle=True, random_state=seed).split(x, y, groups))
    margins = np.zeros((len(y), 2 if s is None else 3))
    for train, test in folds:
        w = None if weights is None else weights[train]
        reader = _logistic(C_EMBEDDING, seed).fit(x[train], y[train], sample_weight=w)
        margins[test, 0] = reader.decision_function(x[test])
        if h is not None:
            reader = _logistic(C_NGRAM, seed).fit(h[train], y[train], sample_weight=w)
            margins[test, 1] = reader.decision_function(h[test])
        if s is not None:
            reader = _logistic(C_STRATEGY, seed).fit(s[train], y[train], sample_weight=w)
            margins[test, 2] = reader.decision_function(s[test])
    probabilities = np.zeros(len(y))
    for train, test in folds:
        fitted = train[calibrate[train]]
        probabilities[test] = _stack(margins[fitted], y[fitted], seed).predict_proba(margins[test])[
            :, 1
        ]
    final = _stack(margins[calibrate], y[calibrate], seed)
    stack = (*(float(v) for v in final.coef_[0]), float(final.intercept_[0]))
    return CrossValidated(probabilities[calibrate], stack)


def _stack(margins: np.ndarray, y: np.ndarray, seed: int) -> LogisticRegression:
    return LogisticRegression(C=C_STACK, class_weight="balanced", random_state=seed).fit(margins, y)


def fit_head(
    x: np.ndarray,
    h: sp.csr_matrix | None,
    y: np.ndarray,
    cv: CrossValidated,
    band: tuple[float, float],
    seed: int,
    weights: np.ndarray | None = None,
    s: np.ndarray | None = None,
) -> LanguageHead:
    """The readers refitted on every row, with the cross-validated stack and band."""
    a, a_ngram, *a_strategy, b = cv.stack
    model = _logistic(C_EMBEDDING, seed).fit(x, y, sample_weight=weights)
    reader = None
    if h is not None:
        fitted = _logistic(C_NGRAM, seed).fit(h, y, sample_weight=weights)
        ngram_weights = fitted.coef_[0].astype(np.float16)
        reader = NgramReader(ngram_weights, float(fitted.intercept_[0]), a_ngram)
    rounded = (round(band[0], 3), round(band[1], 3))
    embedding_weights = model.coef_[0].astype(np.float32)
    strategy = None
    if s is not None:
        fitted = _logistic(C_STRATEGY, seed).fit(s, y, sample_weight=weights)
        strategy = StrategyReader(fitted.coef_[0], float(fitted.intercept_[0]), a_strategy[0])
    return LanguageHead(
        embedding_weights, float(model.intercept_[0]), a, b, rounded, reader, strategy
    )


def balanced_accuracy(y: np.ndarray, predicted: np.ndarray) -> float:
    recalls = [
        float(np.mean(predicted[y == label] == label)) for label in (0, 1) if (y == label).any()
    ]
    return float(np.mean(recalls))


def with_ci(y: np.ndarray, predicted: np.ndarray, seed: int) -> tuple[float, float, float]:
    """Balanced accuracy and its 95 % bootstrap interval (percentile, 1,000 resamples)."""
    rng = np.random.default_rng(seed)
    draws = [
        balanced_accuracy(y[idx], predicted[idx])
        for idx in (rng.integers(0, len(y), len(y)) for _ in range(BOOTSTRAP))
    ]
    low, high = np.percentile(draws, [2.5, 97.5])
    return balanced_accuracy(y, predicted), float(low), float(high)


def abstain_band(probabilities: np.ndarray, threshold: float, share: float) -> tuple[float, float]:
    """The widest band around the threshold that holds at most `share` of the texts."""
    distance = np.sort(np.abs(probabilities - threshold))
    k = int(np.floor(share * len(distance)))
    half = float(distance[k - 1]) if k > 0 else 0.0
    return max(0.0, threshold - half), min(1.0, threshold + half)
