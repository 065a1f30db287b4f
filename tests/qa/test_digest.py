"""E-mail digests go through a real local SMTP server (aiosmtpd): each subscriber gets the events
they chose, once; a send that fails records nothing; only leads and coaches get one."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from qa.errors import QAError
from qa.notifications.config import ResultEvent
from qa.notifications.digest import DigestSubscriber, SmtpServer, load_subscribers, send_digests
from qa.storage.db import session_scope
from qa.storage.models import (
    DigestItem,
    Dispute,
    Evaluation,
    EvaluationKind,
    Role,
    User,
)
from tests.qa.conftest import run_cli
from tests.qa.mail_server import SMTP_PASSWORD, SMTP_USER, Mailbox
from tests.qa.test_webhooks import _seed

# The test server has no certificate, so it asks for a login over plain text, on 127.0.0.1.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def _server(controller: Controller, starttls: bool = False) -> SmtpServer:
    return SmtpServer(
        host="127.0.0.1", port=controller.port, sender="callqa@bank.example",
        user=SMTP_USER, password=SMTP_PASSWORD, starttls=starttls,
    )  # fmt: skip


def _subscribers(database_url: str) -> list[DigestSubscriber]:
    """A reviewer (lead) who wants failures, and the coach who wants disputes and follow-ups."""
    _seed(database_url)
    with session_scope(database_url) as session:
        lead = User(username="lead", display_name="Lena Lead", password_hash="x",
                    role=Role.reviewer)  # fmt: skip
        session.add(lead)
        session.flush()
        evaluation = session.scalars(select(Evaluation)).one()
        session.add(
            Dispute(evaluation_id=evaluation.id, criterion="greeting", raised_by_id=lead.id,
                    reason="the agent did greet: 'good morning, my card number is 4111…'")
        )  # fmt: skip
    return [
        DigestSubscriber(
            username="lead", email="lead@bank.example", score_below=70,
            events=(ResultEvent.critical_failed, ResultEvent.score_below),
        ),
        DigestSubscriber(
            username="c", email="coach@bank.example",
            events=(ResultEvent.dispute_opened, ResultEvent.coaching_due),
        ),
    ]  # fmt: skip


def test_each_subscriber_gets_their_events_once(
    database_url: str, smtp: tuple[Controller, Mailbox]
) -> None:
    controller, mailbox = smtp
    subscribers = _subscribers(database_url)

    first = send_digests(database_url, subscribers, _server(controller))
    assert (first.sent, first.events, first.problems) == (2, 4, [])
    by_reader = {m["To"]: m for m in mailbox.messages}
    lead_text = by_reader["lead@bank.example"].get_payload(decode=True).decode()
    coach_text = by_reader["coach@bank.example"].get_payload(decode=True).decode()
    assert by_reader["lead@bank.example"]["Subject"] == "callqa digest: 2 new events"
    assert "Critical criterion failed (1)" in lead_text and "Score below" in lead_text
    assert "call call-1, agent A1, compliance: score 40" in lead_text
    assert "Dispute opened (1)" in coach_text and "criterion greeting" in coach_text
    assert "follow-up due on 2026-11-15" in coach_text
    assert "4111" not in coach_text  # a dispute's wording never leaves callqa

    again = send_digests(database_url, subscribers, _server(controller))
    assert (again.sent, again.quiet) == (0, 2) and len(mailbox.messages) == 2

    with session_scope(database_url) as session:
        evaluation = session.scalars(select(Evaluation)).one()
        evaluation.counts = False  # a reviewer's evaluation now counts for the call instead
        session.flush()
        session.add(
            Evaluation(
                call_id=evaluation.call_id, scorecard_version_id=evaluation.scorecard_version_id,
                scorecard_key=evaluation.scorecard_key, kind=EvaluationKind.human, score=55.0,
                passed=False, critical_failed=False, counts=True,
            )
        )  # fmt: skip
    later = send_digests(database_url, subscribers, _server(controller))
    assert (later.sent, later.events, later.quiet) == (1, 1, 1)
    assert "score 55" in mailbox.messages[-1].get_payload(decode=True).decode()


def test_a_send_that_fails_records_nothing_and_starttls_is_never_skipped(
    database_url: str, smtp: tuple[Controller, Mailbox]
) -> None:
    controller, mailbox = smtp
    subscribers = _subscribers(database_url)
    # This server offers no STARTTLS: the password and the digest are not sent in the clear.
    refused = send_digests(database_url, subscribers, _server(controller, starttls=True))
    assert refused.sent == 0 and len(refused.problems) == 2
    assert "STARTTLS" in refused.problems[0] and not mailbox.messages
    wrong_password = SmtpServer("127.0.0.1", controller.port, "callqa@bank.example",
                                SMTP_USER, "wrong", starttls=False, timeout=1)  # fmt: skip
    assert send_digests(database_url, subscribers, wrong_password).sent == 0
    with session_scope(database_url) as session:
        assert session.scalar(select(func.count()).select_from(DigestItem)) == 0

    assert send_digests(database_url, subscribers, _server(controller)).sent == 2


def test_digest_send_command_refuses_readers_who_may_not_see_every_call(
    database_url: str, smtp: tuple[Controller, Mailbox], tmp_path: Path
) -> None:
    controller, mailbox = smtp
    _subscribers(database_url)
    with session_scope(database_url) as session:
        session.add(User(username="anna", display_name="Anna", password_hash="x", role=Role.agent))
    digest_file = tmp_path / "digest.yaml"
    digest_file.write_text(
        "subscribers:\n"
        "  - {username: c, email: coach@bank.example, events: [coaching_due]}\n"
        "  - {username: anna, email: anna@bank.example, events: [critical_failed]}\n",
        encoding="utf-8",
    )
    env = {
        "CALLQA_DIGEST_FILE": str(digest_file), "CALLQA_SMTP_HOST": "127.0.0.1",
        "CALLQA_SMTP_PORT": str(controller.port), "CALLQA_SMTP_FROM": "callqa@bank.example",
        "CALLQA_SMTP_USER": SMTP_USER, "CALLQA_SMTP_PASSWORD": SMTP_PASSWORD,
        "CALLQA_SMTP_STARTTLS": "false",
    }  # fmt: skip
    result = run_cli("digest", "send", home=tmp_path, database_url=database_url, extra_env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "anna: not an active admin, reviewer or coach" in result.stderr
    assert "1 digest sent with 1 event" in result.stdout
    assert [m["To"] for m in mailbox.messages] == ["coach@bank.example"]


def test_digest_file_problems_are_clear(tmp_path: Path) -> None:
    path = tmp_path / "digest.yaml"
    path.write_text("subscribers:\n  - {username: x, email: nope, events: [coaching_due]}\n")
    with pytest.raises(QAError, match=r"subscribers\.0\.email"):
        load_subscribers(path)
    path.write_text("subscribers:\n  - {username: x, email: x@y.z, events: [score_below]}\n")
    with pytest.raises(QAError, match="score_below threshold"):
        load_subscribers(path)
