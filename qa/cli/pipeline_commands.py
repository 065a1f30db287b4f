"""`ingest`, `retry` and `rescore`: get calls into the database and through the pipeline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from qa.cli.errors import exits_cleanly
from qa.errors import QAError
from qa.i18n import _, ngettext
from qa.locale_format import join
from qa.pipeline.ingest import IngestReport, ingest_manifest
from qa.pipeline.rescore import calls_to_rescore, rescore_calls, scorecards_for_rescore
from qa.pipeline.runner import (
    Progress,
    calls_needing_admin,
    failed_calls,
    retryable_calls,
    run_calls,
)
from qa.settings import Settings, get_settings
from qa.storage.bootstrap import ensure_database_ready
from qa.storage.models import CallStatus
from qa.ui.components.labels import status_label

MANIFEST_NAME = "manifest.csv"

CeleryOption = Annotated[
    bool,
    typer.Option(
        "--celery",
        help="Send the calls to Celery workers (CALLQA_BROKER_URL, CALLQA_CELERY_QUEUE) "
        "and wait for them, instead of processing them here.",
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers", min=1, help="Processes that transcribe in parallel (default CALLQA_WORKERS)."
    ),
]


@exits_cleanly
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(help="A folder of recordings, or recording files.", show_default=False),
    ],
    manifest: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            help=f"Manifest CSV (default: {MANIFEST_NAME} in the folder). "
            "Columns: see README, section Manifest.",
        ),
    ] = None,
    create_unknown: Annotated[
        bool,
        typer.Option(
            "--create-unknown/--reject-unknown",
            help="Create clients and agents the database does not know, or reject their rows.",
        ),
    ] = True,
    workers: WorkersOption = None,
    celery: CeleryOption = False,
) -> None:
    """Register calls from a manifest and run them through transcription and scoring.

    A bad row is reported with its line number and the other rows go on; calls without both
    consents keep only their metadata. Re-running on the same files adds nothing.
    """
    settings = get_settings()
    url = settings.resolved_database_url
    ensure_database_ready(url)
    manifest_path, audio_root, files = _ingest_sources(paths, manifest)
    with tqdm(desc=_("registering"), unit=" " + _("rows"), leave=False) as bar:
        report = ingest_manifest(
            url,
            manifest_path,
            settings,
            audio_root=audio_root,
            only_files=files,
            create_unknown=create_unknown,
            on_row=bar.update,
        )
    _print_problems(report)
    to_process = report.to_process
    outcomes = process_with_progress(url, to_process, settings, workers, celery, _("processing"))
    typer.echo(_ingest_summary(report, outcomes))
    if report.problems or outcomes[CallStatus.failed] or outcomes[CallStatus.needs_admin]:
        raise typer.Exit(code=1)


@exits_cleanly
def retry(
    workers: WorkersOption = None,
    celery: CeleryOption = False,
    stale_minutes: Annotated[
        float | None,
        typer.Option(
            "--stale-minutes",
            min=0,
            help="Also restart calls mid-way whose worker showed no life for this long "
            "(default: calls whose worker is gone, CALLQA_STALE_SECONDS).",
        ),
    ] = None,
) -> None:
    """Process failed calls again, and calls whose worker died half-way."""
    settings = get_settings()
    url = settings.resolved_database_url
    ensure_database_ready(url)
    stale = timedelta(minutes=stale_minutes) if stale_minutes is not None else None
    call_ids = retryable_calls(url, stale)
    if not call_ids:
        typer.echo(_("nothing to retry"))
        _mention_needs_admin(url)
        return
    outcomes = process_with_progress(url, call_ids, settings, workers, celery, _("retrying"))
    retried = ngettext("{count} call retried", "{count} calls retried", len(call_ids))
    typer.echo(counts_and_outcomes([retried.format(count=len(call_ids))], outcomes))
    if outcomes[CallStatus.failed]:
        raise typer.Exit(code=1)


@exits_cleanly
def rescore(
    since: Annotated[
        datetime | None,
        typer.Option("--from", help="Only calls started at or after this date/time (UTC)."),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option("--to", help="Only calls started before this date/time (UTC)."),
    ] = None,
    scorecard: Annotated[
        str | None,
        typer.Option("--scorecard", help="Only this scorecard id (default: every active one)."),
    ] = None,
    version: Annotated[
        str | None,
        typer.Option(
            "--version", help="A stored version of --scorecard (default: its active version)."
        ),
    ] = None,
) -> None:
    """Score stored transcripts again without re-transcribing; existing evaluations are kept.
    Mono calls' agent and customer are decided again under the present role phrases and
    threshold; a call whose roles changed is scored again."""
    settings = get_settings()
    url = settings.resolved_database_url
    ensure_database_ready(url)
    if since and until and since >= until:
        raise QAError(_("--from must be before --to"))
    scorecards = scorecards_for_rescore(url, scorecard, version)
    call_ids = calls_to_rescore(url, _utc(since), _utc(until))
    with tqdm(total=len(call_ids), desc=_("rescoring"), unit=" " + _("calls"), leave=False) as bar:
        report = rescore_calls(url, call_ids, scorecards, lambda _: bar.update(), settings)
    typer.echo(
        join(
            [
                ngettext("{count} call rescored", "{count} calls rescored", report.calls).format(
                    count=report.calls
                ),
                ngettext(
                    "{count} new evaluation", "{count} new evaluations", report.evaluations_added
                ).format(count=report.evaluations_added),
            ]
        )
    )
    if report.roles_changed:
        typer.echo(
            ngettext(
                "{count} mono call's agent and customer were decided again (see the audit log)",
                "{count} mono calls' agent and customer were decided again (see the audit log)",
                report.roles_changed,
            ).format(count=report.roles_changed)
        )


@exits_cleanly
def watch(
    folder: Annotated[
        Path, typer.Argument(help="Folder the phone system writes recordings and manifest.csv to.")
    ],
    interval: Annotated[
        float, typer.Option("--interval", min=1, help="Seconds between looks.")
    ] = 30.0,
    settle_seconds: Annotated[
        float, typer.Option("--settle-seconds", help="A recording unchanged this long is complete.")
    ] = 10.0,
    rounds: Annotated[
        int | None, typer.Option("--rounds", min=1, help="Stop after this many looks.")
    ] = None,
    workers: WorkersOption = None,
    celery: CeleryOption = False,
) -> None:
    """Keep ingesting new calls from a folder as they arrive; each call once, across restarts."""
    from qa.pipeline.watch import watch as repeat
    from qa.pipeline.watch import watch_round

    if not folder.is_dir():
        raise QAError(_("not a folder: {folder}").format(folder=folder))
    settings = get_settings()
    url = settings.resolved_database_url
    ensure_database_ready(url)

    def one_round() -> None:
        result = watch_round(url, folder, settings, settle_seconds)
        _print_problems(result.report)
        outcomes = process_with_progress(
            url, result.report.to_process, settings, workers, celery, _("processing")
        )
        new = sum(1 for c in result.report.calls if c.new)
        counts = [
            ngettext("{count} new call", "{count} new calls", new).format(count=new),
            ngettext("{count} waiting", "{count} waiting", result.waiting).format(
                count=result.waiting
            ),
        ]
        typer.echo(counts_and_outcomes(counts, outcomes))

    try:
        repeat(one_round, interval, rounds)
    except KeyboardInterrupt:
        raise typer.Exit(code=130) from None


def _ingest_sources(
    paths: list[Path], manifest: Path | None
) -> tuple[Path, Path | None, list[Path]]:
    """Manifest, audio folder and (when files are named) the files to take from it."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise QAError(_("not found: {paths}").format(paths=join(missing)))
    if len(paths) == 1 and paths[0].is_dir():
        folder = paths[0]
        return manifest or folder / MANIFEST_NAME, folder, []
    folders = [str(p) for p in paths if p.is_dir()]
    if folders:
        raise QAError(
            _("give one folder or a list of files, not both ({folders})").format(
                folders=join(folders)
            )
        )
    if manifest is None:
        raise QAError(_("--manifest is required when recordings are given as files"))
    return manifest, None, paths


def process_with_progress(
    url: str,
    call_ids: Sequence[int],
    settings: Settings,
    workers: int | None,
    celery: bool,
    label: str,
) -> Counter[CallStatus]:
    """Run the calls here (a local pool) or on Celery workers, with a progress bar.

    Run here, this process is also a live worker for calls a dead worker left (live Celery
    workers sweep for those themselves)."""
    adopted: Counter[CallStatus] = Counter()
    with tqdm(total=len(call_ids), desc=label, unit=" " + _("calls"), leave=False) as bar:

        def progress(_call_id: int, _status: CallStatus) -> None:
            bar.update()

        def took_over(_call_id: int, status: CallStatus) -> None:
            adopted[status] += 1

        try:
            if celery:
                outcomes = _run_on_workers(url, call_ids, progress)
            else:
                outcomes = run_calls(
                    url, call_ids, settings, workers=workers, on_done=progress, on_adopted=took_over
                )
        except KeyboardInterrupt:
            typer.echo(
                _(
                    "interrupted: calls left unfinished are taken over by a running ingest, "
                    "watch or Celery worker, or by `python -m qa retry`"
                ),
                err=True,
            )
            raise typer.Exit(code=130) from None
    if adopted:
        typer.echo(
            ngettext(
                "{count} call left by a worker that is gone was taken over: {outcome}",
                "{count} calls left by a worker that is gone were taken over: {outcome}",
                adopted.total(),
            ).format(count=adopted.total(), outcome=outcome_summary(adopted))
        )
    for external_id, error, status in failed_calls(url, call_ids):
        hint = (
            _("an admin must look at it, retry leaves it alone")
            if status is CallStatus.needs_admin
            else _("run `python -m qa retry`")
        )
        typer.echo(
            _("error: call {call} failed: {error} ({hint})").format(
                call=external_id, error=error, hint=hint
            ),
            err=True,
        )
    return outcomes


def _run_on_workers(url: str, call_ids: Sequence[int], progress: Progress) -> Counter[CallStatus]:
    from kombu.exceptions import OperationalError

    from qa.worker import run_calls_on_workers

    try:
        return run_calls_on_workers(url, call_ids, progress)
    except OperationalError as error:
        raise QAError(_("cannot reach the Celery broker: {error}").format(error=error)) from error


def _mention_needs_admin(url: str) -> None:
    count = len(calls_needing_admin(url))
    if count:
        typer.echo(
            ngettext(
                "{count} call needs an admin (out of attempts or refused); see the Calls page",
                "{count} calls need an admin (out of attempts or refused); see the Calls page",
                count,
            ).format(count=count)
        )


def _print_problems(report: IngestReport) -> None:
    for problem in report.problems:
        typer.echo(_("error: {problem}").format(problem=problem), err=True)


def _ingest_summary(report: IngestReport, outcomes: Counter[CallStatus]) -> str:
    """'2 new calls, 0 already stored, 1 rejected without consent, 1 row error; 2 done'."""
    new = sum(1 for c in report.calls if c.new)
    stored, rejected = len(report.calls) - new, len(report.rejected)
    erased, problems = len(report.erased), len(report.problems)
    counts = [
        ngettext("{count} new call", "{count} new calls", new).format(count=new),
        ngettext("{count} already stored", "{count} already stored", stored).format(count=stored),
        ngettext(
            "{count} rejected without consent", "{count} rejected without consent", rejected
        ).format(count=rejected),
    ]
    if erased:
        counts.append(
            ngettext(
                "{count} erased (consent withdrawn)", "{count} erased (consent withdrawn)", erased
            ).format(count=erased)
        )
    counts.append(
        ngettext("{count} row error", "{count} row errors", problems).format(count=problems)
    )
    return counts_and_outcomes(counts, outcomes)


def counts_and_outcomes(counts: list[str], outcomes: Counter[CallStatus]) -> str:
    """What a command counted, then how the calls it processed ended: '1 new call; 1 done'."""
    return _("{counts}; {outcomes}").format(counts=join(counts), outcomes=outcome_summary(outcomes))


def outcome_summary(outcomes: Counter[CallStatus]) -> str:
    """'2 done, 1 failed': how the calls processed ended, in the reader's words."""
    if not outcomes:
        return _("nothing to process")
    return join([f"{count} {status_label(status)}" for status, count in sorted(outcomes.items())])


def _utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("retry")(retry)
    app.command("rescore")(rescore)
    app.command("watch")(watch)
