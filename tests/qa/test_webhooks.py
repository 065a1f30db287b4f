"""Webhooks: events go to a real local HTTP receiver, signed, retried after a 500, recorded once."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.errors import QAError
from qa.notifications.config import ResultEvent, WebhookEndpoint, load_webhooks
from qa.notifications.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, dispatch, verify
from qa.storage.db import session_scope
from qa.storage.models import (
    Agent,
    Call,
    Client,
    CoachingSession,
    Evaluation,
    EvaluationKind,
    Role,
    ScorecardVersion,
    User,
    WebhookDelivery,
)
from tests.conftest import SQLITE_ONLY
from tests.qa.conftest import run_cli

SECRET = "s3cret-shared-with-the-receiver"


class Receiver:
    """A real HTTP server on 127.0.0.1 that answers with the statuses it is told, in order."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver([500])
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.server.shutdown()


def _seed(url: str) -> None:
    """A call with a failing counted evaluation, and a coaching session whose follow-up is due."""
    with session_scope(url) as session:
        client = Client(name="Bank")
        agent = Agent(external_id="A1", name="Anna")
        coach = User(username="c", display_name="C", password_hash="x", role=Role.coach)
        session.add_all([client, agent, coach])
        session.flush()
        call = Call(
            external_id="call-1", client_id=client.id, agent_id=agent.id,
            started_at=datetime(2026, 11, 20, tzinfo=UTC), customer_consent=True,
            agent_consent=True,
        )  # fmt: skip
        version = ScorecardVersion(scorecard_key="compliance", version="v1", name="C", yaml_text="")
        session.add_all([call, version])
        session.flush()
        session.add(
            Evaluation(
                call_id=call.id, scorecard_version_id=version.id, scorecard_key="compliance",
                kind=EvaluationKind.automatic,
                score=40.0, passed=False, critical_failed=True, counts=True,
            )
        )  # fmt: skip
        session.add(
            CoachingSession(
                agent_id=agent.id, coach_id=coach.id, held_on=date(2026, 11, 1),
                follow_up_on=date(2026, 11, 15),
            )
        )  # fmt: skip


def test_events_are_signed_retried_after_a_500_and_sent_once(
    database_url: str, receiver: Receiver
) -> None:
    _seed(database_url)
    endpoint = WebhookEndpoint(
        name="helpdesk",
        url=receiver.url,
        secret=SECRET,
        events=(ResultEvent.critical_failed, ResultEvent.score_below, ResultEvent.coaching_due),
        score_below=70,
    )
    first = dispatch(database_url, [endpoint], backoff_seconds=0)
    assert (first.queued, first.delivered, first.retrying) == (3, 2, 1)  # one got the 500

    second = dispatch(database_url, [endpoint], backoff_seconds=0)
    assert (second.queued, second.delivered, second.retrying) == (0, 1, 0)
    third = dispatch(database_url, [endpoint], backoff_seconds=0)
    assert (third.queued, third.delivered) == (0, 0)

    assert len(receiver.received) == 4
    events = set()
    for headers, body in receiver.received:
        assert verify(SECRET.encode(), headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
        assert not verify(b"wrong", headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
        message = json.loads(body)
        events.add(message["event"])
        assert "transcript" not in json.dumps(message)
    assert events == {"critical_failed", "score_below", "coaching_due"}
    with session_scope(database_url) as session:
        deliveries = session.scalars(select(WebhookDelivery)).all()
        assert all(d.delivered for d in deliveries)
        assert sorted(d.attempts for d in deliveries) == [1, 1, 2]


def test_an_unreachable_endpoint_backs_off_and_gives_up(database_url: str) -> None:
    _seed(database_url)
    endpoint = WebhookEndpoint(
        name="down", url="http://127.0.0.1:9/", secret=SECRET,
        events=(ResultEvent.critical_failed,),
    )  # fmt: skip
    dispatch(database_url, [endpoint], backoff_seconds=3600)
    again = dispatch(database_url, [endpoint], backoff_seconds=3600)
    assert (again.delivered, again.retrying) == (0, 0)  # not due yet: backing off
    with session_scope(database_url) as session:
        [delivery] = session.scalars(select(WebhookDelivery)).all()
        assert delivery.attempts == 1 and delivery.last_error and not delivery.gave_up


@SQLITE_ONLY
def test_webhook_file_problems_are_clear(tmp_path: Path, database_url: str) -> None:
    path = tmp_path / "hooks.yaml"
    path.write_text("endpoints:\n  - name: x\n    url: ftp://x\n    events: [score_below]\n")
    with pytest.raises(QAError, match="url"):
        load_webhooks(path)
    result = run_cli(
        "webhooks", "send", home=tmp_path, database_url=database_url,
        extra_env={"CALLQA_WEBHOOKS_FILE": str(path)},
    )  # fmt: skip
    assert result.returncode != 0 and "error:" in result.stderr
    assert "Traceback" not in result.stderr
