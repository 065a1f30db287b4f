"""`import asterisk`: register calls from what an Asterisk/FreePBX/Issabel system already writes."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from qa.cli.errors import exits_cleanly
from qa.cli.pipeline_commands import (
    CeleryOption,
    WorkersOption,
    outcome_summary,
    process_with_progress,
)
from qa.errors import QAError
from qa.i18n import _, ngettext
from qa.locale_format import join
from qa.settings import get_settings
from qa.storage.bootstrap import ensure_database_ready
from qa.storage.models import CallStatus
from qa.telephony.asterisk_cdr import read_cdr_database, read_cdr_file
from qa.telephony.asterisk_import import plan_import
from qa.telephony.json_records import read_json_records
from qa.telephony.queue_log import read_queue_log
from qa.telephony.registration import (
    ConsentRule,
    ImportPlan,
    ImportSettings,
    read_agent_table,
    register_plan,
)

import_app = typer.Typer(help="Register calls from a phone system's records and recordings.")

# Options every importer shares, so each phone system is configured the same way.
RecordingsOption = Annotated[
    Path, typer.Option("--recordings", help="The folder holding the recordings.")
]
AgentsOption = Annotated[
    Path,
    typer.Option(
        "--agents",
        help="CSV: extension (or username/identity), agent_id, agent_name, team, "
        "recording_consent (yes/no).",
    ),
]
ClientOption = Annotated[str, typer.Option("--client", help="The client these calls belong to.")]
ConsentColumnOption = Annotated[
    str | None,
    typer.Option(
        "--consent-column",
        "--consent-attribute",
        help="Column or contact attribute that records the customer's consent.",
    ),
]
ConsentValueOption = Annotated[
    str | None, typer.Option("--consent-value", help="Its value when consent was given.")
]
ConsentQueueOption = Annotated[
    list[str] | None,
    typer.Option("--consent-queue", help="A queue whose announcement asks consent (repeat)."),
]
SettleOption = Annotated[
    float, typer.Option("--settle-seconds", help="Skip recordings modified this recently.")
]


@exits_cleanly
def asterisk(
    recordings: RecordingsOption,
    agents: AgentsOption,
    client: ClientOption,
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
    consent_column: ConsentColumnOption = None,
    consent_value: ConsentValueOption = None,
    consent_queue: ConsentQueueOption = None,
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
    settle_seconds: SettleOption = 5.0,
    workers: WorkersOption = None,
    celery: CeleryOption = False,
) -> None:
    """Import Asterisk CDRs: calls with consent are processed, abandoned calls are counted."""
    if (cdr is None) == (cdr_url is None):
        raise QAError(_("give exactly one of --cdr FILE and --cdr-url URL"))
    if agent_channel not in ("left", "right"):
        raise QAError(_("--agent-channel must be left or right"))
    if agent_leg not in ("receive", "transmit"):
        raise QAError(_("--agent-leg must be receive or transmit"))
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
    _report_and_process([str(p) for p in batch.problems], plan, workers, celery)


def _report_and_process(
    read_problems: list[str], plan: ImportPlan, workers: int | None, celery: bool
) -> None:
    """Register what an importer planned, process the recorded calls, and say what happened."""
    app_settings = get_settings()
    url = app_settings.resolved_database_url
    ensure_database_ready(url)
    report = register_plan(url, plan, app_settings)
    problems = read_problems + report.problems
    for problem in problems:
        typer.echo(_("error: {problem}").format(problem=problem), err=True)
    for call_id in plan.waiting:
        typer.echo(
            _("{call}: recording still being written; import again later").format(call=call_id),
            err=True,
        )
    outcomes = process_with_progress(
        url, report.to_process, app_settings, workers, celery, _("processing")
    )
    calls = ngettext(
        "{new} new call: {recorded} recorded, {abandoned} abandoned, {metadata} without "
        "a recording, {waiting} still being written",
        "{new} new calls: {recorded} recorded, {abandoned} abandoned, {metadata} without "
        "a recording, {waiting} still being written",
        report.new,
    ).format(
        new=report.new,
        recorded=len(plan.recorded),
        abandoned=len(plan.abandoned),
        metadata=len(plan.metadata_only),
        waiting=len(plan.waiting),
    )
    problem_count = ngettext("{count} problem", "{count} problems", len(problems)).format(
        count=len(problems)
    )
    typer.echo(
        _("{calls}; {problems}; {outcomes}").format(
            calls=calls, problems=problem_count, outcomes=outcome_summary(outcomes)
        )
    )
    if problems or outcomes[CallStatus.failed]:
        raise typer.Exit(code=1)


@dataclass(frozen=True)
class CloudImport:
    """What the cloud importers are each told the same way: whose calls, the agent table, the
    consent rule, when a recording is finished, and how the recorded calls are processed."""

    client: str
    agents: Path
    consent_column: str | None
    consent_value: str | None
    consent_queue: list[str] | None
    settle_seconds: float
    workers: int | None
    celery: bool

    def settings(self, recordings: Path, agent_channel: str = "right") -> ImportSettings:
        return ImportSettings(
            client=self.client,
            recordings=recordings,
            agents=read_agent_table(self.agents),
            consent=ConsentRule(
                self.consent_column, self.consent_value, frozenset(self.consent_queue or ())
            ),
            agent_channel=agent_channel,
            settle_seconds=self.settle_seconds,
        )

    def report_and_process(self, read_problems: list[str], plan: ImportPlan) -> None:
        _report_and_process(read_problems, plan, self.workers, self.celery)


def _cloud_options() -> list[inspect.Parameter]:
    """CloudImport's fields as the command-line options they come from."""
    options: dict[str, tuple[object, object]] = {
        "agents": (AgentsOption, inspect.Parameter.empty),
        "client": (ClientOption, inspect.Parameter.empty),
        "consent_column": (ConsentColumnOption, None),
        "consent_value": (ConsentValueOption, None),
        "consent_queue": (ConsentQueueOption, None),
        "settle_seconds": (SettleOption, 5.0),
        "workers": (WorkersOption, None),
        "celery": (CeleryOption, False),
    }
    return [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=default)
        for name, (kind, default) in options.items()
    ]


def cloud_import(command: Callable[..., None]) -> Callable[..., None]:
    """A cloud importer's command: its own options and, where its parameter `shared` stands,
    the ones they all share, which it receives as one `CloudImport`."""
    parameters: list[inspect.Parameter] = []
    for parameter in inspect.signature(command, eval_str=True).parameters.values():
        if parameter.name == "shared":
            parameters += _cloud_options()  # in --help where `shared` stands
        else:
            parameters.append(parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY))
    shared_names = [field.name for field in fields(CloudImport)]

    def run(**options: Any) -> None:
        shared = CloudImport(**{name: options.pop(name) for name in shared_names})
        command(shared=shared, **options)

    run.__name__, run.__doc__ = command.__name__, command.__doc__
    run.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    return exits_cleanly(run)


@cloud_import
def twilio(
    calls: Annotated[
        Path, typer.Option("--calls", help="Twilio Call resources: an API page, array or lines.")
    ],
    recording_list: Annotated[
        Path,
        typer.Option("--recording-list", help="Twilio Recording resources (same JSON shapes)."),
    ],
    recordings: RecordingsOption,
    shared: CloudImport,
) -> None:
    """Import Twilio calls: dual-channel recordings keep the agent on their own channel."""
    from qa.telephony.twilio_import import plan_twilio_import

    legs = read_json_records(calls, ("calls",))
    listed = read_json_records(recording_list, ("recordings",))
    plan = plan_twilio_import(legs.records, listed.records, shared.settings(recordings))
    shared.report_and_process(legs.problems + listed.problems, plan)


@cloud_import
def connect(
    ctr: Annotated[
        Path,
        typer.Option("--ctr", help="Contact trace records: JSON array, lines or Firehose output."),
    ],
    recordings: RecordingsOption,
    shared: CloudImport,
) -> None:
    """Import Amazon Connect contacts; callers who hung up in the queue count as abandoned."""
    from qa.telephony.connect_import import plan_connect_import

    records = read_json_records(ctr, ("ContactTraceRecords", "Records"))
    plan = plan_connect_import(records.records, shared.settings(recordings))
    shared.report_and_process(records.problems, plan)


@cloud_import
def genesys(
    export: Annotated[
        Path,
        typer.Option("--export", help="The recording export: audio with *_metadata.json beside."),
    ],
    shared: CloudImport,
    agent_channel: Annotated[
        str, typer.Option("--agent-channel", help="Agent's channel in stereo recordings.")
    ] = "right",
) -> None:
    """Import a Genesys Cloud recording export."""
    from qa.telephony.genesys_import import plan_genesys_import

    if agent_channel not in ("left", "right"):
        raise QAError(_("--agent-channel must be left or right"))
    shared.report_and_process([], plan_genesys_import(shared.settings(export, agent_channel)))


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise QAError(
            _("unknown time zone {name} (use a name like Asia/Tehran)").format(name=repr(name))
        ) from None


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
        raise QAError(_("no webhook endpoints: set CALLQA_WEBHOOKS_FILE to a YAML file of them"))
    url = app_settings.resolved_database_url
    ensure_database_ready(url)
    report = dispatch(url, endpoints, backoff_seconds=backoff_seconds)
    counts = [
        ngettext("{count} event queued", "{count} events queued", report.queued).format(
            count=report.queued
        ),
        ngettext("{count} delivered", "{count} delivered", report.delivered).format(
            count=report.delivered
        ),
        ngettext("{count} to retry", "{count} to retry", report.retrying).format(
            count=report.retrying
        ),
        ngettext("{count} given up", "{count} given up", report.gave_up).format(
            count=report.gave_up
        ),
    ]
    typer.echo(join(counts))


def register(app: typer.Typer) -> None:
    import_app.command("asterisk")(asterisk)
    import_app.command("twilio")(twilio)
    import_app.command("connect")(connect)
    import_app.command("genesys")(genesys)
    app.add_typer(import_app, name="import")
    webhooks_app.command("send")(send)
    app.add_typer(webhooks_app, name="webhooks")
