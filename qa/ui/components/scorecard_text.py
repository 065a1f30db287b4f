"""Scorecard, criterion and tip text in the signed-in user's language, for every page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TypeVar

from qa.i18n import current_language
from qa.queries import scorecard_texts as texts
from qa.ui.session import cached
from scorecards.results import CriterionVerdict, Evaluation

load_texts = cached(texts.scorecard_texts)
T = TypeVar("T")


def localized(evaluation: Evaluation) -> Evaluation:
    return texts.localize_evaluation(load_texts(), evaluation, current_language().code)


def localized_verdicts(evaluation: Evaluation) -> tuple[CriterionVerdict, ...]:
    return localized(evaluation).verdicts


def scorecard_name(evaluation: Evaluation) -> str:
    return localized(evaluation).scorecard_name


def scorecard_title(key: str, fallback: str) -> str:
    return texts.scorecard_name(load_texts(), key, fallback, current_language().code)


def criterion_title(key: str | None, criterion: str, fallback: str) -> str:
    return texts.criterion_name(load_texts(), key, criterion, fallback, current_language().code)


def with_criterion_names(rows: Iterable[T]) -> list[T]:
    """Rows with `criterion`, `name` and maybe `scorecard_key` (failure rates, weak spots,
    focus criteria), their names in the user's language."""
    return [
        replace(
            row,  # type: ignore[type-var]
            name=criterion_title(
                getattr(row, "scorecard_key", None),
                row.criterion,  # type: ignore[attr-defined]
                row.name,  # type: ignore[attr-defined]
            ),
        )
        for row in rows
    ]
