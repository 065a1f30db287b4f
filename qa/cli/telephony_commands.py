"""`import asterisk`: register the calls a PBX logged, then process those with consent."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qa.cli.errors import exits_cleanly
from qa.cli.pipeline_commands import CeleryOption, WorkersOption, process_with_progress
from qa.errors import QAError
from qa.i18n import _
from qa.settings import get_settings
from qa.storage.bootstrap import ensure_database_ready
from qa.storage.models import CallStatus
from qa.telephony.asterisk_import import AsteriskSource, import_cdr, read_agent_map
from qa.telephony.cdr import read_cdr_csv, read_cdr_database
from qa.telephony.consent_rule import ConsentRule
from qa.telephony.recordings import SETTLE_SECONDS

import_app = typer.Typer(help="Import calls from a phone system.", no_args_is_help=True)


@exits_cleanly
def asterisk(
    recordings: Annotated[
        Path,
        typer.Option("--recordings", help="The monitor folder (e.g. /var/spool/asterisk/monitor)."),
    ],
    client: Annotated[str, typer.Option("--client", help="The client these calls belong to.")],
    cdr: Annotated[
        Path | None,
        typer.Option("--cdr", help="Master.csv (cdr-csv order) or a FreePBX CDR CSV with header."),
    ] = None,
    cdr_url: Annotated[
        str | None,
        typer.Option("--cdr-url", help="SQLAlchemy URL of the CDR database (table `cdr`)."),
    ] = None,
    agents: Annotated[
        Path | None,
        typer.Option("--agents", help="CSV extension,agent_id,agent_name,team."),
    ] = None,
    consent_column: Annotated[
        str | None,
        typer.Option(
            "--consent-column", help="CDR column that says consent (e.g. userfield=consent=yes)."
        ),
    ] = None,
    consent_queues: Annotated[
        list[str] | None,
        typer.Option(
            "--consent-queue", help="A queue whose callers hear the consent announcement."
        ),
    ] = None,
    settle_seconds: Annotated[
        float,
        typer.Option("--settle-seconds", min=0, help="Skip recordings modified more recently."),
    ] = SETTLE_SECONDS,
    process: Annotated[
        bool, typer.Option("--process/--register-only", help="Transcribe and score after import.")
    ] = True,
    workers: WorkersOption = None,
    celery: CeleryOption = False,
) -> None:
    """Register an Asterisk/FreePBX/Issabel CDR's calls; consent comes only from your rule."""
    if (cdr is None) == (cdr_url is None):
        raise QAError(_("give exactly one of --cdr and --cdr-url"))
    rule = ConsentRule(column=consent_column, queues=frozenset(consent_queues or ()))
    if not rule.configured:
        typer.echo(
            _(
                "warning: no consent rule (--consent-column, --consent-queue): "
                "every call keeps metadata only"
            ),
            err=True,
        )
    settings = get_settings()
    url = settings.resolved_database_url
    ensure_database_ready(url)
    parsed = read_cdr_csv(cdr) if cdr is not None else read_cdr_database(str(cdr_url))
    source = AsteriskSource(
        client=client,
        recordings=recordings,
        consent=rule,
        agents=read_agent_map(agents) if agents else {},
        settle_seconds=settle_seconds,
    )
    report = import_cdr(url, parsed, source, settings)
    for problem in report.problems:
        typer.echo(_("error: {problem}").format(problem=problem), err=True)
    if process and report.to_process:
        process_with_progress(url, report.to_process, settings, workers, celery, "processing")
    new = sum(1 for c in report.calls if c.new)
    typer.echo(
        _(
            "{new} new call(s), {abandoned} without a recording, {rejected} without consent, "
            "{problems} row error(s)"
        ).format(
            new=new,
            abandoned=report.count(CallStatus.no_recording),
            rejected=report.count(CallStatus.rejected_no_consent),
            problems=len(report.problems),
        )
    )
    if report.problems:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    import_app.command("asterisk")(asterisk)
    app.add_typer(import_app, name="import")
