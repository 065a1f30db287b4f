"""Chance-corrected agreement between raters of nominal verdicts (pass / fail / n/a).

Pure arithmetic over a ratings matrix (one row per rated unit, one column per rater, None where
a rater gave no rating), shared by calibration sessions and the AI-vs-human agreement report.

Krippendorff's alpha comes from the `krippendorff` package. Cohen's kappa, Fleiss' kappa and
Gwet's AC1 are written here: the one library that has all of them (irrCAC) pins NumPy 1 and
pandas 2, and statsmodels or scikit-learn would bring SciPy for three short formulas. The
formulas follow Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., chapters 2-5, whose
multiple-rater forms accept units that not every rater rated; tests check them against the
handbook's and Fleiss' (1971) and Krippendorff's (2011) published examples.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TypeVar

import krippendorff
import numpy as np

H = TypeVar("H", bound=Hashable)
Rating = Hashable | None
Ratings = Sequence[Sequence[Rating]]


@dataclass(frozen=True)
class PairAgreement:
    """Two raters over the units both rated."""

    first: int
    second: int
    units: int
    agreement: float | None
    kappa: float | None


@dataclass(frozen=True)
class GroupAgreement:
    """Every measure a calibration shows for one set of ratings; None where undefined."""

    units: int
    raters: int
    agreement: float | None
    fleiss_kappa: float | None
    krippendorff_alpha: float | None
    gwet_ac1: float | None
    pairs: tuple[PairAgreement, ...]


def _categories(ratings: Ratings) -> list[Hashable]:
    seen = {value for row in ratings for value in row if value is not None}
    return sorted(seen, key=str)


def _counts(ratings: Ratings, categories: list[Hashable]) -> np.ndarray:
    """Units x categories: how many raters put each unit in each category."""
    index = {category: position for position, category in enumerate(categories)}
    counts = np.zeros((len(ratings), len(categories)))
    for unit, row in enumerate(ratings):
        for value in row:
            if value is not None:
                counts[unit, index[value]] += 1
    return counts


def _chance_corrected(observed: float, expected: float) -> float | None:
    """(po - pe) / (1 - pe); undefined when chance alone explains full agreement."""
    if np.isclose(expected, 1.0):
        return None
    return float((observed - expected) / (1.0 - expected))


def _multi_rater_observed(counts: np.ndarray) -> tuple[float | None, np.ndarray]:
    """Gwet's observed agreement over units with two ratings or more, and those units' counts."""
    per_unit = counts.sum(axis=1)
    rated = counts[per_unit >= 2]
    if len(rated) == 0:
        return None, rated
    totals = rated.sum(axis=1)
    agreeing = (rated * (rated - 1)).sum(axis=1) / (totals * (totals - 1))
    return float(agreeing.mean()), rated


def percent_agreement(ratings: Ratings) -> float | None:
    """Share of agreeing rater pairs per unit, averaged over units rated at least twice."""
    categories = _categories(ratings)
    observed, _ = _multi_rater_observed(_counts(ratings, categories))
    return observed


def fleiss_kappa(ratings: Ratings) -> float | None:
    """Fleiss' kappa (1971), in Gwet's form for units with unequal numbers of ratings."""
    categories = _categories(ratings)
    counts = _counts(ratings, categories)
    observed, _ = _multi_rater_observed(counts)
    if observed is None:
        return None
    per_unit = counts.sum(axis=1)
    rated = counts[per_unit > 0]
    shares = (rated / rated.sum(axis=1, keepdims=True)).mean(axis=0)
    return _chance_corrected(observed, float((shares**2).sum()))


def gwet_ac1(ratings: Ratings, domain: Sequence[Hashable] = ()) -> float | None:
    """Gwet's AC1 (2008): chance agreement from how far category shares are from uniform.

    Unlike the kappas it depends on how many categories were possible, so pass the `domain`
    (e.g. pass, fail and n/a) when raters may not have used them all.
    """
    categories = _categories(ratings)
    categories += [value for value in domain if value not in categories]
    counts = _counts(ratings, categories)
    observed, _ = _multi_rater_observed(counts)
    if observed is None:
        return None
    if len(categories) < 2:
        return None
    per_unit = counts.sum(axis=1)
    rated = counts[per_unit > 0]
    shares = (rated / rated.sum(axis=1, keepdims=True)).mean(axis=0)
    expected = float((shares * (1 - shares)).sum() / (len(categories) - 1))
    return _chance_corrected(observed, expected)


def krippendorff_alpha(ratings: Ratings) -> float | None:
    """Nominal Krippendorff's alpha; None when fewer than two values were ever given."""
    categories = _categories(ratings)
    if len(categories) < 2:
        return None
    codes = {category: float(position) for position, category in enumerate(categories)}
    # krippendorff wants raters x units, with NaN for a missing rating.
    matrix = np.array(
        [[np.nan if value is None else codes[value] for value in row] for row in ratings]
    ).T
    pairable = (~np.isnan(matrix)).sum(axis=0) >= 2
    if not pairable.any():
        return None
    return float(
        krippendorff.alpha(
            reliability_data=matrix[:, pairable],
            level_of_measurement="nominal",
            value_domain=list(codes.values()),
        )
    )


def cohen_kappa(first: Sequence[Rating], second: Sequence[Rating]) -> float | None:
    """Cohen's kappa (1960) of two raters over the units both rated."""
    both = [(a, b) for a, b in zip(first, second, strict=True) if a is not None and b is not None]
    if not both:
        return None
    categories = _categories(both)
    index = {category: position for position, category in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)))
    for a, b in both:
        table[index[a], index[b]] += 1
    table /= table.sum()
    observed = float(np.trace(table))
    expected = float(table.sum(axis=1) @ table.sum(axis=0))
    return _chance_corrected(observed, expected)


def group_agreement(ratings: Ratings, domain: Sequence[Hashable] = ()) -> GroupAgreement:
    """All the measures for one ratings matrix (units x raters); `domain` as for AC1."""
    raters = len(ratings[0]) if ratings else 0
    pairs = []
    for first, second in combinations(range(raters), 2):
        column_a = [row[first] for row in ratings]
        column_b = [row[second] for row in ratings]
        shared = [
            (a, b)
            for a, b in zip(column_a, column_b, strict=True)
            if a is not None and b is not None
        ]
        pairs.append(
            PairAgreement(
                first=first,
                second=second,
                units=len(shared),
                agreement=(sum(a == b for a, b in shared) / len(shared)) if shared else None,
                kappa=cohen_kappa(column_a, column_b),
            )
        )
    return GroupAgreement(
        units=sum(1 for row in ratings if sum(value is not None for value in row) >= 2),
        raters=raters,
        agreement=percent_agreement(ratings),
        fleiss_kappa=fleiss_kappa(ratings),
        krippendorff_alpha=krippendorff_alpha(ratings),
        gwet_ac1=gwet_ac1(ratings, domain),
        pairs=tuple(pairs),
    )


@dataclass(frozen=True)
class TwoRaterFigures:
    """Two raters (e.g. the automatic scorer and the reviewer) from their paired outcomes."""

    n: int
    agreement: float | None
    kappa: float | None
    ac1: float | None


def two_rater_figures(
    pairs: Mapping[tuple[H, H], int], domain: Sequence[H] = ()
) -> TwoRaterFigures:
    """Agreement, Cohen's kappa and AC1 from counts of (first, second) outcome pairs."""
    ratings = [[a, b] for (a, b), count in pairs.items() for _ in range(count)]
    if not ratings:
        return TwoRaterFigures(0, None, None, None)
    return TwoRaterFigures(
        n=len(ratings),
        agreement=sum(a == b for a, b in ratings) / len(ratings),
        kappa=cohen_kappa([a for a, _b in ratings], [b for _a, b in ratings]),
        ac1=gwet_ac1(ratings, domain),
    )
