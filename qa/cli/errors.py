"""Turn the platform's own errors into a message and a non-zero exit, never a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from sqlalchemy.exc import SQLAlchemyError

from qa.errors import QAError
from qa.i18n import N_, _
from qa.scorecard_errors import scorecard_error_text
from qa.storage.bootstrap import database_problem
from scorecards.errors import ScorecardError
from transcription.errors import TranscriptionError

P = ParamSpec("P")
R = TypeVar("R")

USER_ERRORS = (QAError, TranscriptionError, FileNotFoundError)
DATABASE_HINT = N_(
    "check that DATABASE_URL points at a reachable database, "
    "and run `python -m qa init` to create or migrate it"
)


def exits_cleanly(command: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ScorecardError as error:
            typer.echo(_("error: {message}").format(message=scorecard_error_text(error)), err=True)
            raise typer.Exit(code=1) from None
        except USER_ERRORS as error:
            typer.echo(_("error: {message}").format(message=error), err=True)
            raise typer.Exit(code=1) from None
        except SQLAlchemyError as error:
            problem = _("database error: {problem}").format(problem=database_problem(error))
            message = _("error: {message}").format(message=problem)
            typer.echo(f"{message}\n{_(DATABASE_HINT)}", err=True)
            raise typer.Exit(code=1) from None

    return wrapper
