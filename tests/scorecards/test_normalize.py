"""Text normalisation: what makes a transcript and a phrase list comparable in every language."""

from __future__ import annotations

import pytest

from scorecards.normalize import normalize, normalize_digits


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("كيف", "کیف"),  # Arabic kaf and yeh become Persian ones
        ("مي‌خواهم", "میخواهم"),  # verb prefix joined, whatever separated it
        ("مي خواهم", "میخواهم"),
        ("کتاب‌ها و دفتر ها", "کتابها و دفترها"),  # plural suffix joined
        ("امر دیگه‌ای", "امر دیگه ای"),  # other zero-width non-joiners become spaces
        ("مُتَشَكِّرَم", "متشکرم"),  # diacritics go
        ("لطفاً", "لطفا"),  # tanwin goes
        ("متأسفم", "متاسفم"),
        ("۴ رقم آخر", "4 رقم اخر"),  # Persian digits, alef with madda
        ("٤٥٦", "456"),  # Arabic-Indic digits
        ("ЕЩЁ раз, Алёна!", "еще раз алена"),
        ("Thank you, Ma'am!", "thank you maam"),
        ("  Hello…   there  ", "hello there"),
    ],
)
def test_normalize_unifies_script_case_digits_and_punctuation(written: str, expected: str) -> None:
    assert normalize(written) == expected


def test_normalize_digits_leaves_everything_but_digits_alone() -> None:
    assert normalize_digits("کارت ۶۰۳۷-٩٩٧٥ Card") == "کارت 6037-9975 Card"
