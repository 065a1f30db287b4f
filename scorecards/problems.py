"""What is wrong with a scorecard, as messages each reader can get in their own language.

A scorecard's own checks raise `ValueError(explain(...))`, so pydantic carries the message
through; pydantic's own mistakes keep pydantic's English template and values, which a catalog
that has the template (qa's has the common ones) translates. The English text is unchanged.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails, PydanticKnownError

from scorecards.explanation import Explanation, Param


def validation_problem(error: ErrorDetails) -> Explanation:
    """One pydantic error as a message: the scorecard's own explanation, pydantic's template
    with its values, or (a template pydantic words otherwise) pydantic's text as it is."""
    context = error.get("ctx") or {}
    cause = context.get("error")
    if isinstance(cause, ValueError) and cause.args and isinstance(cause.args[0], Explanation):
        return cause.args[0]
    message = str(error["msg"]).removeprefix("Value error, ")
    error_type: Any = error["type"]  # any type pydantic raised, custom ones included
    try:
        template = PydanticKnownError(error_type, context).message_template
    except (KeyError, TypeError, ValueError):  # a custom error type has no known template
        return Explanation.verbatim(message)
    explanation = Explanation(template, {name: _param(value) for name, value in context.items()})
    try:
        rendered = str(explanation)
    except (KeyError, IndexError, ValueError):  # a value pydantic fills in itself ("too_short")
        return Explanation.verbatim(message)
    return explanation if rendered == message else Explanation.verbatim(message)


def _param(value: Any) -> Param:
    """A value as pydantic writes it in its message (a whole limit as `0`, not `0.0`)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int | float | str) else str(value)
