"""Celery beat: the watch folder, webhook sends and retries and the e-mail digest are scheduled,
and each task, called as beat calls it, does the work its command does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from sqlalchemy import select

from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus
from tests.conftest import REPO_ROOT
from tests.qa.mail_server import SMTP_PASSWORD, SMTP_USER, Mailbox
from tests.qa.phone_exports import write_tones
from tests.qa.test_webhooks import SECRET, Receiver, _seed

# Redis db 10 and a queue of the test's own, so no running worker takes its messages.
BROKER_URL = os.environ.get("CALLQA_TEST_BEAT_BROKER_URL", "redis://127.0.0.1:6379/10")
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def test_beat_schedules_the_watch_folder_webhooks_and_digest() -> None:
    from qa.worker import app

    schedule = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"callqa.watch_folder", "callqa.webhooks", "callqa.digest", "callqa.purge"} <= schedule
    assert schedule <= set(app.tasks)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver([])
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.server.shutdown()


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(BROKER_URL)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {BROKER_URL}")
    yield client
    client.close()


def test_beats_tasks_take_the_folder_send_webhooks_and_mail_the_digest(
    database_url: str,
    tmp_path: Path,
    receiver: Receiver,
    smtp: tuple[Controller, Mailbox],
    broker: redis.Redis,
) -> None:
    _seed(database_url)  # a failing evaluation and a coaching follow-up that is due
    folder = tmp_path / "incoming"
    write_tones(folder / "call-7.wav")
    (folder / "manifest.csv").write_text(
        "call_id,audio_file,client,started_at,customer_consent,agent_consent\n"
        "call-7,call-7.wav,Bank,2026-11-20T10:00:00Z,yes,yes\n"
        "call-8,call-8.wav,Bank,2026-11-20T10:05:00Z,yes,yes\n",  # not written yet
        encoding="utf-8",
    )
    (tmp_path / "hooks.yaml").write_text(
        f"endpoints:\n  - {{name: helpdesk, url: '{receiver.url}', secret: {SECRET}, "
        "events: [critical_failed]}\n",
        encoding="utf-8",
    )
    (tmp_path / "digest.yaml").write_text(
        "subscribers:\n  - {username: c, email: coach@bank.example, events: [coaching_due]}\n",
        encoding="utf-8",
    )
    controller, mailbox = smtp
    queue = f"callqa-beat-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "CALLQA_HOME": str(tmp_path / "home"), "DATABASE_URL": database_url,
        "CALLQA_BROKER_URL": BROKER_URL, "CALLQA_CELERY_QUEUE": queue,
        "CALLQA_WATCH_DIR": str(folder), "CALLQA_WEBHOOKS_FILE": str(tmp_path / "hooks.yaml"),
        "CALLQA_DIGEST_FILE": str(tmp_path / "digest.yaml"), "CALLQA_SMTP_HOST": "127.0.0.1",
        "CALLQA_SMTP_PORT": str(controller.port), "CALLQA_SMTP_FROM": "callqa@bank.example",
        "CALLQA_SMTP_USER": SMTP_USER, "CALLQA_SMTP_PASSWORD": SMTP_PASSWORD,
        "CALLQA_SMTP_STARTTLS": "false",
    }  # fmt: skip
    run = (
        "import json; from qa import worker; print(json.dumps([worker.watch_folder_task(), "
        "worker.webhooks_task(), worker.digest_task()]))"
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", run], cwd=REPO_ROOT, env=env, capture_output=True,
            text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        watched, webhooks, digest = json.loads(result.stdout.strip().splitlines()[-1])
        queued = broker.llen(queue)
    finally:
        broker.delete(queue)

    assert watched == {"new": 1, "queued": 1, "waiting": 1, "problems": 0}
    assert queued == 1  # the new call waits on the queue for a worker
    with session_scope(database_url) as session:
        call = session.scalars(select(Call).where(Call.external_id == "call-7")).one()
        assert call.status is CallStatus.pending and call.audio_path
    assert webhooks["queued"] == webhooks["delivered"] == 1 and len(receiver.received) == 1
    assert digest == {"sent": 1, "events": 1, "problems": 0}
    assert [m["To"] for m in mailbox.messages] == ["coach@bank.example"]
