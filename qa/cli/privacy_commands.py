"""`redact`, `erase` and `purge`: check the personal-data policy, honour erasure and retention."""

from __future__ import annotations

import sys
from typing import Annotated, Literal

import typer

from qa.cli.errors import exits_cleanly
from qa.erasure import calls_of, customer_ref, erase_calls, purge
from qa.errors import QAError
from qa.i18n import _, ngettext
from qa.settings import get_settings
from qa.storage.bootstrap import ensure_database_ready
from qa.storage.db import session_scope
from scorecards.personal_data import mask_text


@exits_cleanly
def redact(
    language: Annotated[
        Literal["fa", "ru", "en"] | None,
        typer.Option("--language", help="Read number words of this language only (default: all)."),
    ] = None,
) -> None:
    """Print each line of standard input with personal data masked, one line out per line in.

    For checking the redaction policy on samples: `echo "card 4111 1111 1111 1111" | python -m qa
    redact` prints `card [CARD]`.
    """
    for line in sys.stdin:
        typer.echo(mask_text(line.rstrip("\n"), language))


@exits_cleanly
def erase(
    call: Annotated[
        str | None, typer.Option("--call", help="The external id of the call to erase.")
    ] = None,
    customer: Annotated[
        str | None,
        typer.Option("--customer", help="Erase every call of this customer (phone or ID)."),
    ] = None,
) -> None:
    """Erase calls for good: audio, transcript, evaluations, reviews and evidence.

    An audit entry records how many calls were erased, and nothing that identifies them.
    """
    if (call is None) == (customer is None):
        raise QAError(_("give exactly one of --call and --customer"))
    settings = get_settings()
    url = settings.resolved_database_url
    ensure_database_ready(url)
    with session_scope(url) as session:
        if call is not None:
            ids = calls_of(session, external_id=call)
            reason = "erase --call"
        else:
            ids = calls_of(session, ref=customer_ref(customer or "", settings.customer_key))
            reason = "erase --customer"
        erased = erase_calls(session, ids, reason)
    # The id or phone asked for is not echoed back: terminals and CI logs keep what is printed.
    typer.echo(ngettext("{n} call erased", "{n} calls erased", erased).format(n=erased))


@exits_cleanly
def purge_command() -> None:
    """Apply CALLQA_RETAIN_AUDIO_DAYS and CALLQA_RETAIN_TRANSCRIPT_DAYS (scores are kept)."""
    settings = get_settings()
    url = settings.resolved_database_url
    ensure_database_ready(url)
    with session_scope(url) as session:
        report = purge(session, settings.retain_audio_days, settings.retain_transcript_days)
    typer.echo(
        _("{recordings} and {transcripts} past retention deleted").format(
            recordings=ngettext(
                "{count} recording", "{count} recordings", report.audio_removed
            ).format(count=report.audio_removed),
            transcripts=ngettext(
                "{count} transcript", "{count} transcripts", report.transcripts_removed
            ).format(count=report.transcripts_removed),
        )
    )


def register(app: typer.Typer) -> None:
    app.command("redact")(redact)
    app.command("erase")(erase)
    app.command("purge")(purge_command)
