"""The Typer application; each command group lives in its own module and registers itself."""

from __future__ import annotations

import typer

from qa.cli import (
    admin_commands,
    agreement_command,
    demo_command,
    digest_command,
    export_command,
    import_commands,
    pipeline_commands,
    privacy_commands,
    score_command,
    train_command,
    transcribe_command,
    vcon_commands,
)
from qa.i18n import language_from_environment, set_language

app = typer.Typer(
    name="qa",
    help="callqa: quality assurance for contact-center calls.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for module in (
    admin_commands,
    pipeline_commands,
    privacy_commands,
    import_commands,
    transcribe_command,
    score_command,
    export_command,
    demo_command,
    agreement_command,
    vcon_commands,
    digest_command,
    train_command,
):
    module.register(app)


def main() -> None:
    # Messages in the terminal's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), as gettext does.
    set_language(language_from_environment())
    app()
