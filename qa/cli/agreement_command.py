"""`agreement`: how often the automatic scorer agrees with reviewers, per criterion.

Read with an admin's scope, like the other operator commands (see export_command).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from qa.cli.errors import exits_cleanly
from qa.cli.export_command import OPERATOR, FromDay, OnlyScorecard, ToDay
from qa.i18n import _
from qa.queries.ai_agreement import CriterionAgreement, agreement_json, ai_human_agreement
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.settings import get_settings
from qa.storage.bootstrap import ensure_database_ready
from qa.storage.db import session_scope


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _table(criteria: list[CriterionAgreement], threshold: float, min_reviews: int) -> str:
    header = (_("scorecard"), _("criterion"), "n", _("agreement"), "kappa", "AC1", "")
    rows = [
        (
            c.scorecard_key,
            c.criterion,
            str(c.figures.n),
            _number(c.figures.agreement),
            _number(c.figures.kappa),
            _number(c.figures.ac1),
            _("below threshold") if c.flagged(threshold, min_reviews) else "",
        )
        for c in criteria
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    )


@exits_cleanly
def agreement(
    start: FromDay,
    end: ToDay,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="A table to read, or JSON for scripts.")
    ] = OutputFormat.table,
    scorecard: OnlyScorecard = None,
) -> None:
    """Automatic verdicts against reviewers' final verdicts on reviewed calls, per criterion."""
    settings = get_settings()
    url = settings.resolved_database_url
    ensure_database_ready(url)
    view = EvaluationFilter(start=start.date(), end=end.date(), scorecard_key=scorecard)
    with session_scope(url) as session:
        criteria = ai_human_agreement(session, OPERATOR, view)
    threshold, min_reviews = settings.agreement_threshold, settings.agreement_min_reviews
    if output is OutputFormat.json:
        typer.echo(json.dumps(agreement_json(criteria, threshold, min_reviews), indent=2))
        return
    if not criteria:
        typer.echo(_("No reviewed calls in this period."), err=True)
        return
    typer.echo(_table(criteria, threshold, min_reviews))


def register(app: typer.Typer) -> None:
    app.command("agreement")(agreement)
