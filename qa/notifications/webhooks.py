"""Send webhook events: signed with the endpoint's secret, retried with back-off, recorded.

Each event first becomes a `WebhookDelivery` row (the outbox), then due rows are POSTed. A
receiver checks `X-Callqa-Signature` = "sha256=" + HMAC-SHA256(secret, timestamp + "." + body),
with the timestamp from `X-Callqa-Timestamp` (reject old ones to stop replays); `verify` does it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa.notifications.config import WebhookEndpoint
from qa.notifications.events import events_for
from qa.storage.db import session_scope
from qa.storage.models import WebhookDelivery

SIGNATURE_HEADER = "X-Callqa-Signature"
TIMESTAMP_HEADER = "X-Callqa-Timestamp"
EVENT_HEADER = "X-Callqa-Event"
MAX_ATTEMPTS = 8
# While one dispatcher sends a row, others leave it alone for this long.
SENDING_LEASE = timedelta(minutes=2)


@dataclass
class DispatchReport:
    queued: int = 0
    delivered: int = 0
    retrying: int = 0
    gave_up: int = 0


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: bytes, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver runs: constant-time comparison of the signature it got."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def dispatch(
    database_url: str,
    endpoints: list[WebhookEndpoint],
    *,
    backoff_seconds: float = 30.0,
    timeout_seconds: float = 10.0,
) -> DispatchReport:
    """Queue new events for every endpoint, then send what is due; safe to run concurrently."""
    report = DispatchReport()
    by_name = {e.name: e for e in endpoints}
    for endpoint in endpoints:
        report.queued += _queue_new_events(database_url, endpoint)
    now = datetime.now(UTC)
    with session_scope(database_url) as session:
        due = session.scalars(
            select(WebhookDelivery.id).where(
                WebhookDelivery.delivered.is_(False),
                WebhookDelivery.gave_up.is_(False),
                WebhookDelivery.next_attempt_at <= now,
                WebhookDelivery.endpoint.in_(by_name),
            )
        ).all()
    for delivery_id in due:
        with session_scope(database_url) as session:
            delivery = _claim(session, delivery_id)
            if delivery is None:
                continue
            _send(delivery, by_name[delivery.endpoint], backoff_seconds, timeout_seconds)
            if delivery.delivered:
                report.delivered += 1
            elif delivery.gave_up:
                report.gave_up += 1
            else:
                report.retrying += 1
    return report


def _queue_new_events(database_url: str, endpoint: WebhookEndpoint) -> int:
    queued = 0
    with session_scope(database_url) as session:
        known = {
            (event, subject)
            for event, subject in session.execute(
                select(WebhookDelivery.event, WebhookDelivery.subject_id).where(
                    WebhookDelivery.endpoint == endpoint.name
                )
            ).all()
        }
        for event in events_for(session, endpoint, datetime.now(UTC)):
            if (event.event.value, event.subject_id) in known:
                continue
            try:
                with session.begin_nested():  # another dispatcher may queue it first
                    session.add(
                        WebhookDelivery(
                            endpoint=endpoint.name,
                            event=event.event.value,
                            subject_id=event.subject_id,
                            payload=event.payload,
                        )
                    )
                queued += 1
            except IntegrityError:
                continue
    return queued


def _claim(session: Session, delivery_id: int) -> WebhookDelivery | None:
    """Move the row's next attempt past the lease, so a second dispatcher skips it."""
    now = datetime.now(UTC)
    claimed = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.delivered.is_(False),
            WebhookDelivery.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + SENDING_LEASE)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(WebhookDelivery, delivery_id)


def _send(
    delivery: WebhookDelivery, endpoint: WebhookEndpoint, backoff: float, timeout: float
) -> None:
    body = json.dumps(
        {
            "event": delivery.event,
            "delivery": delivery.id,
            "occurred_at": delivery.created_at.isoformat(),
            "data": delivery.payload,
        },
        ensure_ascii=False,
    ).encode()
    timestamp = str(int(datetime.now(UTC).timestamp()))
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "callqa-webhooks",
            EVENT_HEADER: delivery.event,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(endpoint.signing_secret(), timestamp, body),
        },
    )
    delivery.attempts += 1
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            delivery.last_status = response.status
        delivery.delivered = True
        delivery.delivered_at = datetime.now(UTC)
        delivery.last_error = None
        return
    except urllib.error.HTTPError as error:
        delivery.last_status = error.code
        delivery.last_error = f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        delivery.last_error = str(getattr(error, "reason", error))[:500]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.gave_up = True
    else:
        wait = backoff * 2 ** (delivery.attempts - 1)
        delivery.next_attempt_at = datetime.now(UTC) + timedelta(seconds=wait)
