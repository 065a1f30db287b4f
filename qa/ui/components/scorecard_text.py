"""Scorecard, criterion and tip text in the signed-in user's language, for every page."""

from __future__ import annotations

from collections.abc import Iterable
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


def scorecard_title(key: str, fallback: str, version: str = texts.NEWEST) -> str:
    return texts.scorecard_name(load_texts(), key, fallback, current_language().code, version)


def criterion_title(key: str | None, criterion: str, fallback: str) -> str:
    return texts.criterion_name(load_texts(), key, criterion, fallback, current_language().code)


def with_criterion_names(rows: Iterable[T]) -> list[T]:
    """Rows with `criterion`, `name` and maybe `scorecard_key`, named in the user's language."""
    return texts.with_criterion_names(load_texts(), rows, current_language().code)
