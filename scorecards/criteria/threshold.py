"""The limit shared by metric and metadata thresholds: at most and/or at least a figure."""

from __future__ import annotations

from pydantic import model_validator

from scorecards.explanation import Explanation, explain
from scorecards.registry import CheckParams


class Limits(CheckParams):
    at_most: float | None = None
    at_least: float | None = None

    @model_validator(mode="after")
    def _some_limit(self) -> Limits:
        if self.at_most is None and self.at_least is None:
            raise ValueError(explain("give 'at_most' and/or 'at_least'"))
        return self

    def allows(self, value: float) -> bool:
        if self.at_most is not None and value > self.at_most:
            return False
        return not (self.at_least is not None and value < self.at_least)

    def describe(self) -> Explanation:
        if self.at_most is None:
            return explain("at least {low:g}", low=self.at_least or 0.0)
        if self.at_least is None:
            return explain("at most {high:g}", high=self.at_most)
        return explain(
            "at least {low:g} and at most {high:g}", low=self.at_least, high=self.at_most
        )
