"""`vcon export` and `vcon import`: exchange calls with other tools as vCon JSON documents."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from qa.cli.errors import exits_cleanly
from qa.cli.pipeline_commands import (
    CeleryOption,
    WorkersOption,
    counts_and_outcomes,
    process_with_progress,
)
from qa.errors import QAError
from qa.i18n import _, ngettext
from qa.pipeline.ingest import register_call, register_without_recording
from qa.settings import get_settings
from qa.storage.bootstrap import ensure_database_ready
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus
from qa.telephony.vcon import VconError, export_vcon, read_vcon

vcon_app = typer.Typer(help="Exchange calls as vCon (IETF draft-ietf-vcon-vcon-core) JSON.")


@exits_cleanly
def export(
    call_id: Annotated[str, typer.Argument(help="The call's id (as in the manifest).")],
    out: Annotated[Path, typer.Option("--out", help="The .vcon.json file to write.")],
    audio: Annotated[
        bool, typer.Option("--audio/--no-audio", help="Include the recording inline.")
    ] = True,
) -> None:
    """Write one call with its recording, masked transcript and counted evaluations."""
    if out.is_dir():
        raise QAError(_("--out names a folder: {out}; give a file name").format(out=out))
    url = get_settings().resolved_database_url
    ensure_database_ready(url)
    with session_scope(url) as session:
        call = session.scalar(select(Call).where(Call.external_id == call_id))
        if call is None:
            raise QAError(_("no call {call}").format(call=call_id))
        document = export_vcon(session, call, with_audio=audio)
    out.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    typer.echo(_("wrote {path}").format(path=out))


@exits_cleanly
def import_(
    files: Annotated[list[Path], typer.Argument(help="vCon JSON files.", show_default=False)],
    client: Annotated[
        str | None, typer.Option("--client", help="Client for vCons that name none.")
    ] = None,
    workers: WorkersOption = None,
    celery: CeleryOption = False,
) -> None:
    """Register the calls of vCon files; those with consent are transcribed and scored."""
    settings = get_settings()
    url = settings.resolved_database_url
    ensure_database_ready(url)
    to_process: list[int] = []
    problems = 0
    for path in files:
        try:
            to_process += _import_one(url, path, client)
        except (QAError, OSError, ValueError) as error:
            problems += 1
            problem = _("{where}: {problem}").format(where=path, problem=error)
            typer.echo(_("error: {problem}").format(problem=problem), err=True)
    outcomes = process_with_progress(url, to_process, settings, workers, celery, _("processing"))
    read = len(files) - problems
    counts = [
        ngettext("{count} vCon read", "{count} vCons read", read).format(count=read),
        ngettext("{count} refused", "{count} refused", problems).format(count=problems),
    ]
    typer.echo(counts_and_outcomes(counts, outcomes))
    if problems or outcomes[CallStatus.failed]:
        raise typer.Exit(code=1)


def _import_one(url: str, path: Path, client: str | None) -> list[int]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise VconError(_("not JSON: {error}").format(error=error)) from error
    imported = read_vcon(document, client)
    settings = get_settings()
    with session_scope(url) as session:
        if imported.audio is None:
            register_without_recording(session, imported.row, CallStatus.no_recording, settings)
            return []
        incoming = settings.home / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=incoming, suffix=imported.suffix, delete=False
        ) as handle:
            handle.write(imported.audio)
        # An upload: moved into storage with consent, deleted without.
        registered = register_call(
            session, imported.row, Path(handle.name), settings, uploaded=True
        )
        Path(handle.name).unlink(missing_ok=True)
    return [registered.call_id] if registered.needs_processing else []


def register(app: typer.Typer) -> None:
    vcon_app.command("export")(export)
    vcon_app.command("import")(import_)
    app.add_typer(vcon_app, name="vcon")
