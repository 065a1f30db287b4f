"""`import asterisk`: register calls from what an Asterisk/FreePBX/Issabel system already writes."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from qa.cli.errors import exits_cleanly
from qa.cli.pipeline_commands import CeleryOption, WorkersOption, process_with_progress
from qa.errors import QAError
from qa.pipeline.ingest import RegisteredCall, register_call, register_without_recording
from qa.pipeline.manifest import ManifestRow
from qa.settings import Settings, get_settings
from qa.storage.bootstrap import ensure_database_ready
from qa.storage.db import session_scope
from qa.storage.models import CallStatus
from qa.telephony.asterisk_cdr import CdrBatch, read_cdr_database, read_cdr_file
from qa.telephony.asterisk_import import (
    ConsentRule,
    ImportPlan,
    ImportSettings,
    plan_import,
    read_agent_table,
)
from qa.telephony.queue_log import read_queue_log
from qa.telephony.recording_legs import RecordingLegs, merge_legs
from transcription.errors import TranscriptionError

import_app = typer.Typer(help="Register calls from a phone system's records and recordings.")


@exits_cleanly
def asterisk(
    recordings: Annotated[
        Path, typer.Option("--recordings", help="The recordings folder (e.g. .../monitor).")
    ],
    agents: Annotated[
        Path,
        typer.Option(
            "--agents",
            help="CSV: extension, agent_id, agent_name, team, recording_consent (yes/no).",
        ),
    ],
    client: Annotated[str, typer.Option("--client", help="The client these calls belong to.")],
    cdr: Annotated[
        Path | None, typer.Option("--cdr", help="cdr-csv Master.csv, or a CDR table CSV export.")
    ] = None,
    cdr_url: Annotated[
        str | None,
        typer.Option("--cdr-url", help="SQLAlchemy URL of the CDR database (table `cdr`)."),
    ] = None,
    since: Annotated[
        datetime | None, typer.Option("--since", help="With --cdr-url: calls from this time.")
    ] = None,
    queue_log: Annotated[
        Path | None, typer.Option("--queue-log", help="Asterisk queue_log, for wait and ring.")
    ] = None,
    timezone: Annotated[
        str, typer.Option("--timezone", help="The PBX's zone for CDR times, e.g. Asia/Tehran.")
    ] = "UTC",
    consent_column: Annotated[
        str | None, typer.Option("--consent-column", help="CDR column that records consent.")
    ] = None,
    consent_value: Annotated[
        str | None, typer.Option("--consent-value", help="Its value when consent was given.")
    ] = None,
    consent_queue: Annotated[
        list[str] | None,
        typer.Option("--consent-queue", help="A queue whose announcement asks consent (repeat)."),
    ] = None,
    consent_app_data: Annotated[
        str | None,
        typer.Option(
            "--consent-app-data", help="Text in a leg's application data, e.g. recording-notice."
        ),
    ] = None,
    agent_channel: Annotated[
        str, typer.Option("--agent-channel", help="Agent's channel in stereo recordings.")
    ] = "right",
    agent_leg: Annotated[
        str,
        typer.Option(
            "--agent-leg",
            help=(
                "Calls recorded as two legs (MixMonitor r()/t(), -in/-out): the leg that "
                "carries the agent on inbound calls, receive or transmit; outbound take the other."
            ),
        ),
    ] = "transmit",
    settle_seconds: Annotated[
        float,
        typer.Option("--settle-seconds", help="Skip recordings modified this recently."),
    ] = 5.0,
    workers: WorkersOption = None,
    celery: CeleryOption = False,
) -> None:
    """Import Asterisk CDRs: calls with consent are processed, abandoned calls are counted."""
    if (cdr is None) == (cdr_url is None):
        raise QAError("give exactly one of --cdr FILE and --cdr-url URL")
    if agent_channel not in ("left", "right"):
        raise QAError("--agent-channel must be left or right")
    if agent_leg not in ("receive", "transmit"):
        raise QAError("--agent-leg must be receive or transmit")
    zone = _zone(timezone)
    batch = read_cdr_file(cdr, zone) if cdr else read_cdr_database(str(cdr_url), zone, since)
    settings = ImportSettings(
        client=client,
        recordings=recordings,
        agents=read_agent_table(agents),
        consent=ConsentRule(
            consent_column, consent_value, frozenset(consent_queue or ()), consent_app_data
        ),
        agent_channel=agent_channel,
        settle_seconds=settle_seconds,
        agent_leg="receive" if agent_leg == "receive" else "transmit",
    )
    visits = read_queue_log(queue_log) if queue_log else {}
    plan = plan_import(batch.records, visits, settings)
    _report_and_process(batch, plan, workers, celery)


def _report_and_process(
    batch: CdrBatch, plan: ImportPlan, workers: int | None, celery: bool
) -> None:
    app_settings = get_settings()
    url = app_settings.resolved_database_url
    ensure_database_ready(url)
    problems = [str(p) for p in batch.problems] + plan.problems
    to_process: list[int] = []
    new = 0
    for row, source in plan.recorded:
        try:
            registered = _register_recording(url, row, source, app_settings)
        except (QAError, OSError, TranscriptionError) as error:
            problems.append(f"{row.call_id}: {error}")
            continue
        new += registered.new
        if registered.needs_processing:
            to_process.append(registered.call_id)
    for rows, status in (
        (plan.abandoned, CallStatus.abandoned),
        (plan.metadata_only, CallStatus.no_recording),
    ):
        for row in rows:
            with session_scope(url) as session:
                new += register_without_recording(session, row, status, app_settings).new
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)
    for call_id in plan.waiting:
        typer.echo(f"{call_id}: recording still being written; import again later", err=True)
    outcomes = process_with_progress(url, to_process, app_settings, workers, celery, "processing")
    typer.echo(
        f"{new} new call(s): {len(plan.recorded)} recorded, {len(plan.abandoned)} abandoned, "
        f"{len(plan.metadata_only)} without a recording, {len(plan.waiting)} still being "
        f"written; {len(problems)} problem(s); "
        + ", ".join(f"{n} {s.value}" for s, n in sorted(outcomes.items()))
    )
    if problems or outcomes[CallStatus.failed]:
        raise typer.Exit(code=1)


def _register_recording(
    url: str, row: ManifestRow, source: Path | RecordingLegs, app_settings: Settings
) -> RegisteredCall:
    """Register the call; two legs are merged into one two-channel file first, which callqa
    then owns (moved into storage, or deleted without consent)."""
    if isinstance(source, Path):
        with session_scope(url) as session:
            return register_call(session, row, source, app_settings)
    with tempfile.TemporaryDirectory(prefix="callqa-legs-") as staging:
        max_duration = app_settings.max_audio_hours * 3600.0
        merged = merge_legs(source, row.agent_channel, Path(staging), max_duration)
        with session_scope(url) as session:
            return register_call(session, row, merged, app_settings, uploaded=True)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise QAError(f"unknown time zone {name!r} (use a name like Asia/Tehran)") from None


webhooks_app = typer.Typer(help="Send results to the endpoints in CALLQA_WEBHOOKS_FILE.")


@exits_cleanly
def send(
    backoff_seconds: Annotated[
        float,
        typer.Option("--backoff-seconds", min=0, help="First retry delay; doubles each time."),
    ] = 30.0,
) -> None:
    """Queue new events and send the due ones (run it every minute, e.g. from cron)."""
    from qa.notifications.config import load_webhooks
    from qa.notifications.webhooks import dispatch

    app_settings = get_settings()
    endpoints = load_webhooks(app_settings.webhooks_file)
    if not endpoints:
        raise QAError("no webhook endpoints: set CALLQA_WEBHOOKS_FILE to a YAML file of them")
    url = app_settings.resolved_database_url
    ensure_database_ready(url)
    report = dispatch(url, endpoints, backoff_seconds=backoff_seconds)
    typer.echo(
        f"{report.queued} event(s) queued, {report.delivered} delivered, "
        f"{report.retrying} to retry, {report.gave_up} given up"
    )


def register(app: typer.Typer) -> None:
    import_app.command("asterisk")(asterisk)
    app.add_typer(import_app, name="import")
    webhooks_app.command("send")(send)
    app.add_typer(webhooks_app, name="webhooks")
