"""`export` (evaluations as CSV) and `report` (a client's monthly HTML report).

The CLI is run by whoever operates the server, who can read the database anyway, so it reads
with an admin's scope; `--client` narrows the export to one client.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from qa.cli.errors import exits_cleanly
from qa.i18n import _, ngettext
from qa.locale_format import format_month
from qa.queries.access import Viewer
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.reports.evaluations_csv import evaluations_csv
from qa.settings import get_settings
from qa.storage.bootstrap import ensure_database_ready
from qa.storage.db import session_scope
from qa.storage.directory import UnknownEntity, find_client
from qa.storage.models import Role

OPERATOR = Viewer(user_id=0, username="cli", role=Role.admin)
DAY = ["%Y-%m-%d"]
# The options every report command shares: the call days it covers and the scorecard.
FromDay = Annotated[
    datetime, typer.Option("--from", formats=DAY, help="First call day (YYYY-MM-DD, UTC).")
]
ToDay = Annotated[datetime, typer.Option("--to", formats=DAY, help="Last call day, included.")]
OnlyScorecard = Annotated[
    str | None, typer.Option("--scorecard", help="Only this scorecard (its id).")
]


def _client_id(session: Session, name: str) -> int:
    client = find_client(session, name)
    if client is None:
        raise UnknownEntity(_("there is no client named {name}").format(name=repr(name)))
    return client.id


def _not_a_folder(out: Path | None) -> Path | None:
    """Refuse a folder as --out before any work is done (it ended in IsADirectoryError)."""
    if out is not None and out.is_dir():
        raise typer.BadParameter(
            _("{path} is a folder; give a file name, e.g. {example}").format(
                path=out, example=out / "report.html"
            )
        )
    return out


def _write(text: str, out: Path | None) -> None:
    """Write all or nothing: a failed export never leaves half a file behind."""
    if out is None:
        sys.stdout.write(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_bytes(data: bytes, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.part")
    temporary.write_bytes(data)
    os.replace(temporary, out)


@exits_cleanly
def export(
    start: FromDay,
    end: ToDay,
    client: Annotated[
        str | None, typer.Option("--client", help="Only this client's calls (by name).")
    ] = None,
    scorecard: OnlyScorecard = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="CSV file to write (default: standard output).",
            callback=_not_a_folder,
        ),
    ] = None,
) -> None:
    """Export evaluations as CSV: one row per call and scorecard, the evaluation that counts."""
    url = get_settings().resolved_database_url
    ensure_database_ready(url)
    with session_scope(url) as session:
        view = EvaluationFilter(
            start=start.date(),
            end=end.date(),
            client_id=None if client is None else _client_id(session, client),
            scorecard_key=scorecard,
        )
        text = evaluations_csv(session, view, OPERATOR)
    _write(text, out)
    if out is not None:
        rows = text.count("\n") - 1
        typer.echo(
            ngettext(
                "wrote {count} evaluation to {path}", "wrote {count} evaluations to {path}", rows
            ).format(count=rows, path=out),
            err=True,
        )


@exits_cleanly
def report(
    client: Annotated[str, typer.Option("--client", help="The client (by name).")],
    month: Annotated[
        datetime, typer.Option("--month", formats=["%Y-%m"], help="The month (YYYY-MM).")
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="File to write: HTML, or PDF when it ends in .pdf.",
            callback=_not_a_folder,
        ),
    ],
) -> None:
    """Write a client's monthly report (KPIs and charts) as self-contained HTML, or as PDF."""
    # Imported here: plotly and pandas take a second to load, which every other command skips.
    from qa.reports.monthly import build_monthly_report, monthly_report_html

    url = get_settings().resolved_database_url
    ensure_database_ready(url)
    with session_scope(url) as session:
        first = date(month.year, month.month, 1)
        built = build_monthly_report(session, OPERATOR, _client_id(session, client), first)
    html = monthly_report_html(built)
    if out.suffix.lower() == ".pdf":
        from qa.reports.pdf import html_to_pdf

        _write_bytes(html_to_pdf(html), out)
    else:
        _write(html, out)
    typer.echo(
        _("wrote the {month} report for {client} to {path}").format(
            month=format_month(built.month), client=built.client, path=out
        ),
        err=True,
    )


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("report")(report)
