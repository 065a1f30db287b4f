"""The agreement measures against published worked examples."""

from __future__ import annotations

import pytest

from scorecards.agreement import (
    cohen_kappa,
    fleiss_kappa,
    group_agreement,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    two_rater_figures,
)

N = None


def _from_counts(rows: list[list[int]]) -> list[list[int | None]]:
    """A ratings matrix (units x raters) from per-unit category counts."""
    return [[category for category, count in enumerate(row) for _ in range(count)] for row in rows]


def _from_table(table: list[list[int]]) -> list[list[int | None]]:
    """Two raters' ratings from their contingency table (rows: rater A, columns: rater B)."""
    return [
        [a, b] for a, row in enumerate(table) for b, count in enumerate(row) for _ in range(count)
    ]


# Fleiss' kappa worked example (Wikipedia, "Fleiss' kappa", after Fleiss 1971): 14 raters put
# 10 subjects in 5 categories; P-bar = 0.378, P-bar-e = 0.213, kappa = 0.210.
FLEISS_EXAMPLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]

# Fleiss (1971), "Measuring nominal scale agreement among many raters", Table 1: six
# psychiatrists (not always the same six) diagnose 30 patients into five categories;
# kappa = 0.430.
FLEISS_1971 = [
    [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
    [0, 0, 5, 0, 1], [3, 0, 0, 1, 2], [5, 1, 0, 0, 0], [0, 2, 0, 4, 0], [1, 0, 2, 0, 3],
    [0, 0, 0, 0, 6], [0, 1, 0, 5, 0], [0, 2, 0, 1, 3], [2, 0, 0, 4, 0], [1, 0, 0, 4, 1],
    [0, 5, 0, 1, 0], [4, 0, 0, 0, 2], [0, 2, 0, 4, 0], [1, 0, 5, 0, 0], [0, 0, 0, 0, 6],
]  # fmt: skip

# Gwet (2021), Handbook of Inter-Rater Reliability, 5th ed., p. 165: five raters, 20 units,
# categories 0-3, many ratings missing; AC1 = 0.5021.
GWET_2021_P165 = [
    [1, 1, 2, N, 2], [1, 1, 0, 1, N], [2, 3, 3, 3, N], [N, 0, 0, N, 0], [0, 0, 0, N, 0],
    [0, 0, 0, N, 0], [1, 0, 2, N, 1], [1, N, 2, 0, N], [2, 2, 2, N, 2], [2, 1, 1, 1, N],
    [N, 1, 0, 0, N], [0, 0, 0, 0, N], [1, 2, 2, 2, N], [3, 3, 2, 2, 3], [1, 1, 1, N, 1],
    [1, 1, 1, N, 1], [2, 1, 2, N, 2], [1, 2, 3, 3, N], [1, 1, 0, 1, N], [0, 0, 0, N, 0],
]  # fmt: skip

# Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed.: two abstractors classify 100
# pregnancies (Ectopic, AIU, NIU); the irrCAC vignette prints Cohen's kappa 0.7964094,
# Gwet's AC1 0.8493305, Krippendorff's alpha 0.7972585 and percent agreement 0.89.
GWET_ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: four observers,
# twelve units, values 1-5, missing values; nominal alpha = 0.743.
KRIPPENDORFF_EXAMPLE = [
    [1, 1, N, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [N, 5, 5, 5],
    [N, N, 1, 1],
    [N, 3, N, N],
]


def test_fleiss_kappa_matches_the_worked_example() -> None:
    ratings = _from_counts(FLEISS_EXAMPLE)
    assert percent_agreement(ratings) == pytest.approx(0.378, abs=5e-4)
    assert fleiss_kappa(ratings) == pytest.approx(0.210, abs=5e-4)


def test_fleiss_kappa_matches_fleiss_1971_table_1() -> None:
    assert fleiss_kappa(_from_counts(FLEISS_1971)) == pytest.approx(0.430, abs=5e-4)


def test_ac1_with_missing_ratings_matches_gwets_handbook() -> None:
    # Krippendorff's reliability data, as Gwet (2021, p. 160) uses it: AC1 = 0.7754.
    assert gwet_ac1(KRIPPENDORFF_EXAMPLE, (1, 2, 3, 4, 5)) == pytest.approx(0.7754, abs=5e-5)
    assert gwet_ac1(GWET_2021_P165, (0, 1, 2, 3)) == pytest.approx(0.5021, abs=5e-5)


def test_two_rater_measures_match_gwets_handbook_example() -> None:
    ratings = _from_table(GWET_ABSTRACTORS)
    first = [row[0] for row in ratings]
    second = [row[1] for row in ratings]
    assert cohen_kappa(first, second) == pytest.approx(0.7964094, abs=1e-7)
    assert gwet_ac1(ratings) == pytest.approx(0.8493305, abs=1e-7)
    assert krippendorff_alpha(ratings) == pytest.approx(0.7972585, abs=1e-7)
    assert percent_agreement(ratings) == pytest.approx(0.89)


def test_krippendorffs_alpha_matches_his_example_with_missing_values() -> None:
    assert krippendorff_alpha(KRIPPENDORFF_EXAMPLE) == pytest.approx(0.743, abs=5e-4)


def test_group_agreement_reports_every_pair_and_leaves_unshared_units_out() -> None:
    summary = group_agreement(KRIPPENDORFF_EXAMPLE)
    assert summary.raters == 4
    assert summary.units == 11  # the last unit has one rating only
    assert [(p.first, p.second) for p in summary.pairs] == [
        (0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3),
    ]  # fmt: skip
    first_two = summary.pairs[0]
    assert first_two.units == 9
    assert first_two.agreement == pytest.approx(8 / 9)


def test_measures_are_undefined_rather_than_invented_when_everyone_always_agrees_on_one_value() -> (
    None
):
    ratings = [["pass", "pass"], ["pass", "pass"]]
    summary = group_agreement(ratings)
    assert summary.agreement == 1.0
    assert summary.fleiss_kappa is None
    assert summary.krippendorff_alpha is None
    assert summary.pairs[0].kappa is None
    assert summary.gwet_ac1 is None  # one category, none other possible


def test_ac1_counts_the_categories_that_were_possible_but_unused() -> None:
    # AC1's chance agreement is 0 when everyone picks one of three possible outcomes.
    assert gwet_ac1([["pass", "pass"], ["pass", "pass"]], ("pass", "fail", "na")) == 1.0


def test_two_rater_figures_from_pair_counts_match_the_handbook_example() -> None:
    categories = ("Ectopic", "AIU", "NIU")
    pairs = {
        (categories[a], categories[b]): count
        for a, row in enumerate(GWET_ABSTRACTORS)
        for b, count in enumerate(row)
    }
    figures = two_rater_figures(pairs, categories)
    assert figures.n == 100
    assert figures.agreement == pytest.approx(0.89)
    assert figures.kappa == pytest.approx(0.7964094, abs=1e-7)
    assert figures.ac1 == pytest.approx(0.8493305, abs=1e-7)
    assert two_rater_figures({}).n == 0
