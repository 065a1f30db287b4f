"""Which worker holds a call, whether it still lives, and its heartbeat while it works.

A worker is named "host:pid". On its own host a dead pid is seen at once; elsewhere the
heartbeat tells: a holder that has not written one for `stale_seconds` is taken as gone.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.exc import OperationalError

from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus

IN_FLIGHT = (CallStatus.transcribing, CallStatus.scoring)


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_gone(worker_id: str | None, heartbeat_at: datetime | None, stale_after: float) -> bool:
    """Whether the worker holding a call is gone: its process ended, or its heartbeat stopped."""
    if heartbeat_at is None or heartbeat_at <= datetime.now(UTC) - timedelta(seconds=stale_after):
        return True
    host, _, pid = (worker_id or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        return not _process_alive(int(pid))
    return False


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A killed child its parent has not reaped yet is a zombie: dead for our purpose.
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def abandoned_calls(database_url: str, stale_after: float) -> list[int]:
    """Calls left mid-way, or waiting in a local runner's queue, whose worker is gone
    (killed, crashed, its machine lost)."""
    queued = and_(Call.status == CallStatus.pending, Call.worker_id.is_not(None))
    with session_scope(database_url) as session:
        rows = session.execute(
            select(Call.id, Call.worker_id, Call.heartbeat_at)
            .where(or_(Call.status.in_(IN_FLIGHT), queued))
            .order_by(Call.id)
        ).all()
    return [c for c, worker, beat in rows if holder_gone(worker, beat, stale_after)]


def held_by(call_id: int, worker_id: str) -> ColumnElement[bool]:
    """The call, only while this worker holds it (a sweep may have handed it to another)."""
    return and_(Call.id == call_id, Call.worker_id == worker_id)


def reserve(database_url: str, call_ids: Collection[int], worker_id: str) -> None:
    """Mark pending calls as queued in this worker, so that if it dies before it reaches
    them, live workers take them over (anyone may still claim them). Best effort: a runner
    racing for the same calls can deadlock this many-row update on PostgreSQL; the calls are
    then processed all the same, only not marked."""
    if not call_ids:
        return
    try:
        with session_scope(database_url) as session:
            session.execute(
                update(Call)
                .where(Call.id.in_(list(call_ids)), Call.status == CallStatus.pending)
                .values(worker_id=worker_id, heartbeat_at=datetime.now(UTC))
            )
    except OperationalError:
        return


@contextmanager
def heartbeat(
    database_url: str,
    call_ids: Collection[int] | None,
    worker_id: str,
    interval: float,
    statuses: Collection[CallStatus] = IN_FLIGHT,
) -> Iterator[None]:
    """Record every `interval` seconds that this worker still works on (or, with status
    pending, still has queued) the calls it holds among these (None: all it holds)."""
    stop = threading.Event()
    held = [Call.worker_id == worker_id, Call.status.in_(list(statuses))]
    if call_ids is not None:
        held.append(Call.id.in_(list(call_ids)))

    def beat() -> None:
        while not stop.wait(interval):
            try:
                with session_scope(database_url) as session:
                    session.execute(
                        update(Call).where(*held).values(heartbeat_at=datetime.now(UTC))
                    )
            except Exception:  # a missed beat is retried; the work itself must not stop
                continue

    thread = threading.Thread(target=beat, name=f"heartbeat-{worker_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 5)
