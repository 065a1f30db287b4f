"""`score`: a transcript JSON file against the scorecards, evaluations printed as JSON.

Scores without a database, so a scorecard can be tried on a transcript before it is stored.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Annotated, Any

import typer

from qa.cli.errors import exits_cleanly
from qa.errors import QAError
from qa.i18n import N_, _
from qa.locale_format import join
from qa.settings import get_settings
from scorecards import (
    CallMetadata,
    Scorecard,
    load_scorecards_dir,
    score_call,
    select_scorecards,
    shipped_scorecards,
)
from transcription.transcript import CallTranscript


class UnreadableInput(QAError):
    """A transcript or metadata file that is missing or not in the expected JSON shape."""


@exits_cleanly
def score(
    transcript_file: Annotated[
        Path, typer.Argument(help="Transcript JSON, as written by `qa transcribe`.")
    ],
    scorecard_ids: Annotated[
        list[str] | None,
        typer.Option("--scorecard", help="Scorecard id to apply; repeat for more (default: all)."),
    ] = None,
    metadata_file: Annotated[
        Path | None,
        typer.Option(
            "--metadata",
            help="JSON with call facts: ring_seconds, wait_seconds, handle_seconds, "
            "customer_feedback, direction, queue.",
        ),
    ] = None,
) -> None:
    """Score a transcript with the shipped scorecards (and those in CALLQA_SCORECARDS_DIR)."""
    transcript = _read_transcript(transcript_file)
    metadata = _read_metadata(metadata_file) if metadata_file else None
    available = _available_scorecards()
    chosen = select_scorecards(available, scorecard_ids) if scorecard_ids else available
    evaluations = score_call(transcript, metadata, chosen)
    typer.echo(json.dumps([e.to_dict() for e in evaluations], ensure_ascii=False, indent=2))


def _available_scorecards() -> list[Scorecard]:
    """The shipped scorecards, then CALLQA_SCORECARDS_DIR's; one there with a shipped id
    replaces the shipped one, so a local edit can be tried before it is stored."""
    extra_dir = get_settings().scorecards_dir
    extra = load_scorecards_dir(extra_dir) if extra_dir else []
    by_id = {s.id: s for s in shipped_scorecards()} | {s.id: s for s in extra}
    return list(by_id.values())


def _read_json(path: Path, unreadable: str, not_json: str) -> Any:
    """The file's JSON; `unreadable` and `not_json` (marked with N_) say what went wrong."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UnreadableInput(_(unreadable).format(path=path, error=error.strerror)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableInput(_(not_json).format(path=path, error=error)) from None


def _read_transcript(path: Path) -> CallTranscript:
    data = _read_json(
        path,
        N_("{path}: cannot read the transcript: {error}"),
        N_("{path}: the transcript is not valid JSON: {error}"),
    )
    try:
        return CallTranscript.from_dict(data)
    except KeyError as error:
        raise UnreadableInput(
            _("{path}: not a transcript: missing field {field}").format(path=path, field=error)
        ) from None
    except (TypeError, ValueError, AttributeError) as error:
        raise UnreadableInput(
            _("{path}: not a transcript: {error}").format(path=path, error=error)
        ) from None


def _read_metadata(path: Path) -> CallMetadata:
    data = _read_json(
        path,
        N_("{path}: cannot read the call metadata: {error}"),
        N_("{path}: the call metadata is not valid JSON: {error}"),
    )
    known = {f.name for f in fields(CallMetadata)}
    if not isinstance(data, dict):
        raise UnreadableInput(
            _("{path}: call metadata must be an object with fields {fields}").format(
                path=path, fields=join(sorted(known))
            )
        )
    unknown = sorted(set(data) - known)
    if unknown:
        raise UnreadableInput(
            _("{path}: call metadata must be an object with fields {fields}; unknown: {unknown}")
            .format(path=path, fields=join(sorted(known)), unknown=join(unknown))
        )  # fmt: skip
    return CallMetadata(**data)


def register(app: typer.Typer) -> None:
    app.command("score")(score)
