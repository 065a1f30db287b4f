"""`qa transcribe AUDIO`: one recording to a speaker-attributed JSON transcript on stdout."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from qa.cli.errors import exits_cleanly
from qa.i18n import _
from qa.locale_format import join
from qa.pipeline.transcribe import transcribe as transcribe_audio
from qa.pipeline.transcribe import transcription_options
from qa.settings import get_settings


class AgentChannelChoice(StrEnum):
    left = "left"
    right = "right"


@exits_cleanly
def transcribe(
    audio: Annotated[Path, typer.Argument(help="Call recording (WAV, MP3, OGG/Opus, FLAC, M4A).")],
    language: Annotated[
        str | None,
        typer.Option(help="Language of the call (fa, ru or en); detected when left out."),
    ] = None,
    agent_channel: Annotated[
        AgentChannelChoice, typer.Option(help="Stereo channel that carries the agent.")
    ] = AgentChannelChoice.left,
) -> None:
    """Transcribe one call and print the transcript as JSON."""
    settings = get_settings()
    if language is not None and language not in settings.languages:
        raise typer.BadParameter(
            _(
                "{language} is not one of the configured languages ({languages}); "
                "set CALLQA_LANGUAGES to add it."
            ).format(language=repr(language), languages=join(list(settings.languages))),
            param_hint="--language",
        )
    options = transcription_options(settings, language, agent_channel.value)
    typer.echo(transcribe_audio(audio, options).to_json())


def register(app: typer.Typer) -> None:
    """Add `transcribe` to the app."""
    app.command("transcribe")(transcribe)
