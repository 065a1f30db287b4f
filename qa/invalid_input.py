"""What is wrong with validated input (a manifest row, a vCon's metadata, a settings file),
field by field, in the reader's language."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from qa.i18n import N_, _

# Pydantic's messages for the mistakes a manifest row, vCon or scorecard commonly holds,
# translated; any other is shown as pydantic words it. A scorecard's problem keeps pydantic's
# template as its message (scorecards.problems), so these msgids translate it too.
_PYDANTIC_MESSAGES = {
    "missing": N_("Field required"),
    "string_type": N_("Input should be a valid string"),
    "bool_parsing": N_("Input should be a valid boolean"),
    "float_parsing": N_("Input should be a valid number"),
    "datetime_parsing": N_("Input should be a valid datetime"),
    "datetime_from_date_parsing": N_("Input should be a valid datetime or date"),
    "literal_error": N_("Input should be {expected}"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "dict_type": N_("Input should be a valid dictionary"),
    "list_type": N_("Input should be a valid list"),
    "float_type": N_("Input should be a valid number"),
}


def describe_invalid(error: ValidationError) -> str:
    """'field: what is wrong' for each mistake, in the reader's language where callqa knows
    the mistake (its own checks, and pydantic's common ones)."""
    parts = []
    for item in error.errors():
        field = ".".join(str(p) for p in item["loc"])
        problem = _problem(item)  # a check of the whole object names no field
        parts.append(
            _("{field}: {problem}").format(field=field, problem=problem) if field else problem
        )
    return "; ".join(parts)


def _problem(item: Any) -> str:
    context = item.get("ctx") or {}
    if item["type"] == "value_error" and isinstance(context.get("error"), ValueError):
        return str(context["error"])  # callqa's own check, translated where it was raised
    template = _PYDANTIC_MESSAGES.get(item["type"])
    if template is None:
        return str(item["msg"])
    return _(template).format(**context)
