"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the tests of e-mail digests."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword

SMTP_USER, SMTP_PASSWORD = "callqa", "smtp-pass"


class Mailbox:
    """What the SMTP server accepted: one parsed message per delivery."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.original_content or b""))
        return "250 OK"


def _authenticate(server, session, envelope, mechanism, data) -> AuthResult:  # noqa: ANN001
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        SMTP_USER.encode(),
        SMTP_PASSWORD.encode(),
    )
    return AuthResult(success=ok)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, Mailbox]]:
    """A real SMTP server on 127.0.0.1 that takes mail only after a login (no TLS here)."""
    mailbox = Mailbox()
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=_free_port(),
        authenticator=_authenticate, auth_required=True, auth_require_tls=False,
    )  # fmt: skip
    controller.start()
    yield controller, mailbox
    controller.stop()
