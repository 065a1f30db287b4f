"""E-mail digests: each subscriber (a lead or coach) gets the events they chose since their last
digest, through the SMTP server the admin configures.

Subscribers are kept in a YAML file (`CALLQA_DIGEST_FILE`), each tied to a callqa user whose
role sees every call (admin, reviewer, coach), so a digest never shows more than its reader
may open in the app:

```yaml
subscribers:
  - username: lead1
    email: lead1@bank.example
    events: [critical_failed, score_below, dispute_opened, coaching_due]
    score_below: 70
```

The events a digest carries are recorded (`DigestItem`) in the same transaction that sends it:
a send that fails records nothing and the next run tries again; a sent event is never repeated.
Like webhooks, a digest names calls, agents and scores, never transcript text.
"""

from __future__ import annotations

import smtplib
import ssl
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from qa.errors import QAError
from qa.i18n import N_, _, ngettext
from qa.notifications.config import EventSubscription, ResultEvent, read_yaml_file
from qa.notifications.events import PendingEvent, events_for
from qa.settings import Settings
from qa.storage.db import session_scope
from qa.storage.models import DigestItem, Role, User

# Roles that may open every call, and so may read a digest of them.
DIGEST_ROLES = (Role.admin, Role.reviewer, Role.coach)
HEADINGS = {
    ResultEvent.critical_failed: N_("Critical criterion failed"),
    ResultEvent.score_below: N_("Score below the threshold"),
    ResultEvent.dispute_opened: N_("Dispute opened"),
    ResultEvent.coaching_due: N_("Coaching session due"),
}


class DigestSubscriber(EventSubscription):
    username: str = Field(min_length=1, max_length=100)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")


class _DigestFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subscribers: list[DigestSubscriber] = []


def load_subscribers(path: Path | None) -> list[DigestSubscriber]:
    """The configured subscribers; none when no file is set."""
    if path is None:
        return []
    return read_yaml_file(path, _DigestFile, "CALLQA_DIGEST_FILE").subscribers


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    sender: str
    user: str = ""
    password: str = ""
    starttls: bool = True
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpServer:
        if not settings.smtp_host or not settings.smtp_from:
            raise QAError(_("no SMTP server: set CALLQA_SMTP_HOST and CALLQA_SMTP_FROM"))
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            user=settings.smtp_user,
            password=settings.smtp_password.get_secret_value(),
            starttls=settings.smtp_starttls,
        )

    def send(self, message: EmailMessage) -> None:
        """Deliver one message; with STARTTLS on, a server that cannot upgrade is refused
        rather than sent the password and the digest in the clear."""
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as client:
            if self.starttls:
                client.starttls(context=ssl.create_default_context())
            if self.user:
                client.login(self.user, self.password)
            client.send_message(message)


@dataclass
class DigestReport:
    sent: int = 0
    events: int = 0
    quiet: int = 0  # subscribers with nothing new
    problems: list[str] = field(default_factory=list)


class _NotSent(Exception):
    """Raised inside the transaction so that a failed send records nothing."""


def send_digests(
    database_url: str,
    subscribers: list[DigestSubscriber],
    server: SmtpServer,
    now: datetime | None = None,
) -> DigestReport:
    """Send every subscriber the events they have not had yet; one subscriber's failure
    (unknown user, SMTP refusal) is reported and the others go on."""
    moment = now or datetime.now(UTC)
    report = DigestReport()
    for subscriber in subscribers:
        try:
            with session_scope(database_url) as session:
                user = session.scalar(select(User).where(User.username == subscriber.username))
                if user is None or not user.active or user.role not in DIGEST_ROLES:
                    report.problems.append(
                        _("{user}: not an active admin, reviewer or coach; no digest sent").format(
                            user=subscriber.username
                        )
                    )
                    continue
                sent_before = {
                    (event, subject)
                    for event, subject in session.execute(
                        select(DigestItem.event, DigestItem.subject_id).where(
                            DigestItem.subscriber == subscriber.username
                        )
                    )
                }
                new = [
                    e
                    for e in events_for(session, subscriber, moment)
                    if (e.event.value, e.subject_id) not in sent_before
                ]
                if not new:
                    report.quiet += 1
                    continue
                session.add_all(
                    DigestItem(subscriber=subscriber.username, event=e.event.value,
                               subject_id=e.subject_id, sent_at=moment)
                    for e in new
                )  # fmt: skip
                session.flush()  # claims the events before the mail goes out
                try:
                    server.send(compose(subscriber, user.display_name, new, server.sender))
                except (smtplib.SMTPException, OSError) as error:
                    raise _NotSent(str(error) or type(error).__name__) from error
            report.sent += 1
            report.events += len(new)
        except _NotSent as error:
            report.problems.append(
                _("{user}: the SMTP server did not take the digest: {error}").format(
                    user=subscriber.username, error=error
                )
            )
        except IntegrityError:
            continue  # another run is sending this subscriber's digest right now
    return report


def compose(
    subscriber: DigestSubscriber, name: str, events: list[PendingEvent], sender: str
) -> EmailMessage:
    """A plain-text digest grouped by kind of event: what happened, on which call or agent."""
    grouped: dict[ResultEvent, list[PendingEvent]] = defaultdict(list)
    for event in events:
        grouped[event.event].append(event)
    lines = [
        ngettext(
            "Hello {name}, {count} new event in callqa since your last digest.",
            "Hello {name}, {count} new events in callqa since your last digest.",
            len(events),
        ).format(name=name, count=len(events)),
    ]
    for kind in ResultEvent:
        if grouped[kind]:
            lines += ["", f"{_(HEADINGS[kind])} ({len(grouped[kind])})"]
            lines += [f"  - {_line(event)}" for event in grouped[kind]]
    message = EmailMessage()
    message["Subject"] = ngettext(
        "callqa digest: {count} new event", "callqa digest: {count} new events", len(events)
    ).format(count=len(events))
    message["From"] = sender
    message["To"] = subscriber.email
    message.set_content("\n".join(lines) + "\n")
    return message


def _line(event: PendingEvent) -> str:
    data = event.payload
    if event.event is ResultEvent.coaching_due:
        return _("agent {agent}: follow-up due on {date}").format(
            agent=data.get("agent") or "?", date=data.get("follow_up_on")
        )
    if event.event is ResultEvent.dispute_opened:
        return _("call {call}, agent {agent}, {scorecard}: criterion {criterion}").format(
            call=data.get("call"),
            agent=data.get("agent") or "?",
            scorecard=data.get("scorecard"),
            criterion=data.get("criterion"),
        )
    return _("call {call}, agent {agent}, {scorecard}: score {score:.0f}").format(
        call=data.get("call"),
        agent=data.get("agent") or "?",
        scorecard=data.get("scorecard"),
        score=data.get("score") or 0.0,
    )
