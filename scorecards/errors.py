"""Errors raised while loading scorecards or scoring with them."""

from __future__ import annotations

from scorecards.explanation import Explanation


class ScorecardError(Exception):
    """Base class: a scorecard that cannot be loaded or used, with the file and field at fault."""


class ScorecardFileError(ScorecardError):
    """A scorecard or phrase-list file that is not valid; says where and what is wrong (each
    problem a message the admin page and CLI show in the reader's language; str() is English)."""

    def __init__(self, source: str, problems: list[tuple[str, Explanation]]) -> None:
        self.source = source
        self.problems = problems
        lines = [f"{path}: {message}" if path else str(message) for path, message in problems]
        super().__init__(f"{source}: " + "; ".join(lines))


class UnknownScorecard(ScorecardError):
    """A scorecard id that no loaded scorecard has."""


class CheckDefinitionError(ScorecardError):
    """A check whose type or parameters are wrong, at a field path inside the scorecard."""

    def __init__(self, path: str, message: Explanation) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")
