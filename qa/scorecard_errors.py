"""What is wrong with a scorecard, in the reader's language.

A scorecard's problems are messages (scorecards.problems): the admin page, the CLI and the
pages that load scorecards show each at its field, worded through the catalog.
"""

from __future__ import annotations

from qa.explanations import explanation_text
from qa.i18n import _
from scorecards.errors import CheckDefinitionError, ScorecardError, ScorecardFileError
from scorecards.explanation import Explanation


def problem_text(where: str, message: Explanation) -> str:
    """'field: what is wrong', or what is wrong with the whole file."""
    text = explanation_text(message)
    return _("{where}: {problem}").format(where=where, problem=text) if where else text


def scorecard_error_text(error: ScorecardError) -> str:
    """The error as str() words it in English, in the reader's language."""
    if isinstance(error, ScorecardFileError):
        problems = "; ".join(problem_text(where, message) for where, message in error.problems)
        return _("{where}: {problem}").format(where=error.source, problem=problems)
    if isinstance(error, CheckDefinitionError):
        return problem_text(error.path, error.message)
    return str(error)
