"""`digest send`: e-mail each subscriber the events they have not had yet."""

from __future__ import annotations

import typer

from qa.cli.errors import exits_cleanly
from qa.errors import QAError
from qa.i18n import _, ngettext
from qa.settings import get_settings
from qa.storage.bootstrap import ensure_database_ready

digest_app = typer.Typer(help="E-mail digests to the subscribers in CALLQA_DIGEST_FILE.")


@exits_cleanly
def send() -> None:
    """Send due digests now (Celery beat sends them daily at CALLQA_DIGEST_HOUR)."""
    from qa.notifications.digest import SmtpServer, load_subscribers, send_digests

    settings = get_settings()
    subscribers = load_subscribers(settings.digest_file)
    if not subscribers:
        raise QAError(_("no digest subscribers: set CALLQA_DIGEST_FILE to a YAML file of them"))
    server = SmtpServer.from_settings(settings)
    url = settings.resolved_database_url
    ensure_database_ready(url)
    report = send_digests(url, subscribers, server)
    for problem in report.problems:
        typer.echo(_("error: {problem}").format(problem=problem), err=True)
    typer.echo(
        ngettext(
            "{sent} digest sent with {events}; {quiet}",
            "{sent} digests sent with {events}; {quiet}",
            report.sent,
        ).format(
            sent=report.sent,
            events=ngettext("{count} event", "{count} events", report.events).format(
                count=report.events
            ),
            quiet=ngettext(
                "{count} subscriber had nothing new",
                "{count} subscribers had nothing new",
                report.quiet,
            ).format(count=report.quiet),
        )
    )
    if report.problems:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    digest_app.command("send")(send)
    app.add_typer(digest_app, name="digest")
