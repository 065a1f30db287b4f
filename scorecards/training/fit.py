"""Fitting and measuring one language head: logistic regression, Platt scaling, abstain band.

Out-of-fold scores from grouped, seeded cross-validation calibrate the probabilities and choose
the abstain band, so neither is fitted on texts the head was trained on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold

from scorecards.learned import LanguageHead

# Inverse L2 strength, by 5-fold CV on 1,200 texts per language: C 1 -> 16 raised balanced
# accuracy ru 0.817 -> 0.852, fa 0.726 -> 0.741, en 0.843 -> 0.844 (64: no better).
C = 16.0
FOLDS = 5
BOOTSTRAP = 1000


@dataclass(frozen=True)
class CrossValidated:
    """Out-of-fold calibrated probabilities of every text, and the Platt parameters."""

    probabilities: np.ndarray
    platt_a: float
    platt_b: float


def _logistic(seed: int) -> LogisticRegression:
    return LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=seed)


def cross_validate(
    x: np.ndarray, y: np.ndarray, groups: np.ndarray, seed: int, weights: np.ndarray | None = None
) -> CrossValidated:
    margins = np.zeros(len(y))
    folds = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    for train, test in folds.split(x, y, groups):
        model = _logistic(seed).fit(
            x[train], y[train], sample_weight=None if weights is None else weights[train]
        )
        margins[test] = model.decision_function(x[test])
    platt = _logistic(seed).fit(margins.reshape(-1, 1), y)
    a, b = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    return CrossValidated(1.0 / (1.0 + np.exp(-(a * margins + b))), a, b)


def fit_head(
    x: np.ndarray,
    y: np.ndarray,
    cv: CrossValidated,
    band: tuple[float, float],
    seed: int,
    weights: np.ndarray | None = None,
) -> LanguageHead:
    model = _logistic(seed).fit(x, y, sample_weight=weights)
    weights_out = model.coef_[0].astype(np.float32)
    rounded = (round(band[0], 3), round(band[1], 3))
    return LanguageHead(weights_out, float(model.intercept_[0]), cv.platt_a, cv.platt_b, rounded)


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
