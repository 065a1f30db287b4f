"""Webhooks reach a real HTTP receiver signed with the shared secret, retrying after a 500."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.notify.webhooks import WebhookEvent, WebhookTarget, send_event, signature
from qa.storage.db import session_scope
from qa.storage.models import AuditEntry

SECRET = "s3cret"


class Receiver(BaseHTTPRequestHandler):
    """Answers 500 to the first request, then checks the signature like a real receiver."""

    received: list[dict[str, object]] = []
    answers: list[int] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        valid = self.headers["X-Callqa-Signature"] == signature(SECRET, body)
        status = self.answers.pop(0) if self.answers else (200 if valid else 401)
        if status == 200:
            self.received.append(json.loads(body))
        self.send_response(status)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.received, Receiver.answers = [], [500]
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def test_a_chosen_event_is_signed_retried_after_a_500_and_recorded(
    database_url: str, receiver: str, tmp_path: Path
) -> None:
    target = WebhookTarget(
        receiver, SECRET, frozenset({WebhookEvent.critical_failed}), first_delay_seconds=0.05
    )
    with session_scope(database_url) as session:
        delivery = send_event(session, target, WebhookEvent.critical_failed, {"call": "c1"})
        skipped = send_event(session, target, WebhookEvent.dispute_opened, {"call": "c1"})
    assert delivery is not None and (delivery.delivered, delivery.attempts) == (True, 2)
    assert skipped is None
    assert Receiver.received == [{"event": "critical_failed", "data": {"call": "c1"}}]
    with session_scope(database_url) as session:
        actions = session.scalars(select(AuditEntry.action)).all()
    assert actions == ["webhook.delivered"]


def test_a_wrong_secret_is_refused_and_the_failure_recorded(
    database_url: str, receiver: str
) -> None:
    Receiver.answers = []
    target = WebhookTarget(
        receiver, "wrong", frozenset(WebhookEvent), attempts=2, first_delay_seconds=0.01
    )
    with session_scope(database_url) as session:
        delivery = send_event(session, target, WebhookEvent.coaching_due, {})
    assert delivery is not None and (delivery.delivered, delivery.last_status) == (False, 401)
    assert Receiver.received == []


def test_the_admin_configures_url_secret_and_events_and_mistakes_are_refused() -> None:
    from qa.errors import QAError
    from qa.notify.webhooks import webhook_target
    from qa.settings import Settings

    assert webhook_target(Settings()) is None
    target = webhook_target(
        Settings(webhook_url="http://x/", webhook_secret="k", webhook_events=["dispute_opened"])
    )
    assert target is not None and target.events == {WebhookEvent.dispute_opened}
    with pytest.raises(QAError, match="known events"):
        webhook_target(Settings(webhook_url="u", webhook_secret="k", webhook_events=["nope"]))
    with pytest.raises(QAError, match="SECRET"):
        webhook_target(Settings(webhook_url="u"))
