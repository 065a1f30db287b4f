"""Webhooks: an event's JSON, signed with the shared secret, retried with back-off, recorded.

The receiver checks `X-Callqa-Signature: sha256=<hex HMAC-SHA256 of the body>` with the
secret; `X-Callqa-Event` names the event. Every attempt's outcome goes to the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from qa.errors import QAError
from qa.settings import Settings
from qa.storage import audit


class WebhookEvent(StrEnum):
    critical_failed = "critical_failed"
    score_below_threshold = "score_below_threshold"
    dispute_opened = "dispute_opened"
    coaching_due = "coaching_due"


@dataclass(frozen=True)
class WebhookTarget:
    url: str
    secret: str
    events: frozenset[WebhookEvent]
    attempts: int = 5
    first_delay_seconds: float = 1.0
    timeout_seconds: float = 10.0


@dataclass(frozen=True)
class Delivery:
    delivered: bool
    attempts: int
    last_status: int | None
    last_error: str | None


def webhook_target(settings: Settings) -> WebhookTarget | None:
    """The admin's webhook from CALLQA_WEBHOOK_URL/_SECRET/_EVENTS; None when no URL is set."""
    if not settings.webhook_url:
        return None
    if not settings.webhook_secret:
        raise QAError("CALLQA_WEBHOOK_URL is set without CALLQA_WEBHOOK_SECRET to sign with")
    try:
        events = frozenset(WebhookEvent(e) for e in settings.webhook_events)
    except ValueError as error:
        known = ", ".join(e.value for e in WebhookEvent)
        raise QAError(f"CALLQA_WEBHOOK_EVENTS: {error}; known events: {known}") from None
    return WebhookTarget(settings.webhook_url, settings.webhook_secret, events)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_event(
    session: Session, target: WebhookTarget, event: WebhookEvent, payload: dict[str, Any]
) -> Delivery | None:
    """Deliver when the admin chose this event; None when they did not."""
    if event not in target.events:
        return None
    body = json.dumps({"event": event.value, "data": payload}, sort_keys=True).encode()
    delivery = _deliver(target, event, body)
    audit.record(
        session,
        "webhook.delivered" if delivery.delivered else "webhook.failed",
        "webhook",
        event.value,
        url=target.url,
        attempts=delivery.attempts,
        status=delivery.last_status,
        error=delivery.last_error,
    )
    return delivery


def _deliver(target: WebhookTarget, event: WebhookEvent, body: bytes) -> Delivery:
    headers = {
        "Content-Type": "application/json",
        "X-Callqa-Event": event.value,
        "X-Callqa-Signature": signature(target.secret, body),
    }
    status: int | None = None
    error: str | None = None
    for attempt in range(1, target.attempts + 1):
        request = urllib.request.Request(target.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=target.timeout_seconds) as response:  # noqa: S310
                status, error = response.status, None
            return Delivery(True, attempt, status, None)
        except urllib.error.HTTPError as failure:
            status, error = failure.code, str(failure)
        except (urllib.error.URLError, OSError) as failure:
            status, error = None, str(failure)
        if attempt < target.attempts:
            # Exponential back-off: 1, 2, 4, 8 ... seconds by default.
            time.sleep(target.first_delay_seconds * 2 ** (attempt - 1))
    return Delivery(False, target.attempts, status, error)
