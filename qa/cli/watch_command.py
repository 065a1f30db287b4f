"""`watch DIR`: ingest and process what a phone system drops into a folder, as it arrives."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from qa.cli.errors import exits_cleanly
from qa.cli.pipeline_commands import CeleryOption, WorkersOption, process_with_progress
from qa.i18n import _
from qa.pipeline.watch import watch_once
from qa.settings import get_settings
from qa.storage.bootstrap import ensure_database_ready
from qa.telephony.recordings import SETTLE_SECONDS


@exits_cleanly
def watch(
    folder: Annotated[Path, typer.Argument(help="The folder the phone system writes into.")],
    interval: Annotated[
        float, typer.Option("--interval", min=0.1, help="Seconds between looks.")
    ] = 30.0,
    settle_seconds: Annotated[
        float,
        typer.Option("--settle-seconds", min=0, help="Leave files modified more recently."),
    ] = SETTLE_SECONDS,
    once: Annotated[bool, typer.Option("--once", help="Look once and exit.")] = False,
    workers: WorkersOption = None,
    celery: CeleryOption = False,
) -> None:
    """Ingest each new manifest and recording once (remembered across restarts)."""
    settings = get_settings()
    url = settings.resolved_database_url
    ensure_database_ready(url)
    while True:
        outcome = watch_once(url, folder, settings, settle_seconds)
        if outcome.ingested is not None:
            for problem in outcome.ingested.problems:
                typer.echo(_("error: {problem}").format(problem=problem), err=True)
            new = sum(1 for c in outcome.ingested.calls if c.new)
            typer.echo(_("{new} new call(s)").format(new=new))
            if outcome.ingested.to_process:
                process_with_progress(
                    url, outcome.ingested.to_process, settings, workers, celery, "processing"
                )
        for path in outcome.waiting:
            typer.echo(_("waiting: {name} is still being written").format(name=path.name))
        if once:
            return
        time.sleep(interval)


def register(app: typer.Typer) -> None:
    app.command("watch")(watch)
