"""Run many calls through `process_call`: inline, or in a local pool of worker processes.

Each worker process loads the Whisper model once (in its initializer) and then takes call
ids; only ids and statuses cross process boundaries, so workers share nothing but the database.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from qa.pipeline.liveness import (
    IN_FLIGHT,
    abandoned_calls,
    heartbeat,
    holder_gone,
    reserve,
    worker_identity,
)
from qa.pipeline.process import FINAL, process_call
from qa.pipeline.transcribe import load_model_once
from qa.settings import Settings, get_settings
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus
from qa.storage.scorecard_store import scorecards_for_new_calls

Progress = Callable[[int, CallStatus], None]

_worker_settings: Settings | None = None
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def run_calls(
    database_url: str,
    call_ids: Sequence[int],
    settings: Settings,
    *,
    workers: int | None = None,
    on_done: Progress | None = None,
    on_adopted: Progress | None = None,
) -> Counter[CallStatus]:
    """Process every call until each is finished; returns how many ended in each status.

    A pool broken by a killed worker process is started again for the calls it left, and a
    call another live process holds (a second ingest) is waited for, or taken over once that
    process is gone. The attempt limit ends a call that kills every worker that takes it.
    With `on_adopted`, this runner is also a live worker for calls it was not given: at once
    and every half liveness window while it runs, it takes over calls whose worker is gone
    (in work in a killed ingest or a dead Celery worker, or still queued in a killed ingest)
    and reports each here as it ends, so no one has to run `retry`; they are not counted in
    the outcomes.
    """
    workers = max(1, workers or settings.workers)
    outcomes: Counter[CallStatus] = Counter()
    given, taken = set(call_ids), set(call_ids)
    me = worker_identity()
    before = {c: state.attempts for c, state in call_states(database_url, call_ids).items()}

    def adopt() -> list[int]:
        """Calls whose worker is gone (in work or queued) that this runner has not taken yet."""
        if on_adopted is None:
            return []
        found = [c for c in abandoned_calls(database_url, settings.stale_seconds) if c not in taken]
        taken.update(found)
        reserve(database_url, found, me)
        before.update({c: state.attempts for c, state in call_states(database_url, found).items()})
        return found

    todo = [*call_ids, *adopt()]
    if not todo:
        return outcomes
    # Synced here, once, so that parallel workers never race to store the shipped scorecards.
    with session_scope(database_url) as session:
        scorecards_for_new_calls(session)
    finished: set[int] = set()

    def record(call_id: int, status: CallStatus) -> None:
        if status in IN_FLIGHT or call_id in finished:
            return
        finished.add(call_id)
        if call_id not in given:
            if on_adopted:
                on_adopted(call_id, status)
            return
        outcomes[status] += 1
        if on_done:
            on_done(call_id, status)

    # Calls waiting here are marked as this process's queue: if it dies before reaching
    # them, live workers take them over too, not only the calls it had started.
    reserve(database_url, call_ids, me)
    with heartbeat(database_url, None, me, settings.heartbeat_seconds, (CallStatus.pending,)):
        while todo:
            for call_id, status in _process_round(database_url, todo, settings, workers, adopt):
                record(call_id, status)
            todo = sorted(c for c in taken if c not in finished)
            if todo:
                todo = wait_for_calls(database_url, todo, settings, record, before)
    return outcomes


def _process_round(
    database_url: str,
    call_ids: Sequence[int],
    settings: Settings,
    workers: int,
    adopt: Callable[[], list[int]],
) -> Iterator[tuple[int, CallStatus]]:
    """Each call's status as it ends, with the calls `adopt` adds on the way; stops early if
    a worker process is killed."""
    if workers == 1 or len(call_ids) == 1:
        queue = list(call_ids)
        while queue:
            call_id = queue.pop(0)
            yield call_id, process_call(database_url, call_id, settings)
            queue.extend(adopt())
        return
    # "spawn": a forked copy of a process that already runs model threads can deadlock.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=min(workers, len(call_ids)),
        mp_context=context,
        initializer=_init_worker,
        initargs=(settings, os.getpid()),
    ) as pool:
        futures = {pool.submit(_process_in_worker, database_url, c): c for c in call_ids}
        running = set(futures)
        try:
            while running:
                ended, running = wait(
                    running, timeout=settings.stale_seconds / 2, return_when=FIRST_COMPLETED
                )
                for future in ended:
                    yield futures[future], future.result()
                for call_id in adopt():
                    future = pool.submit(_process_in_worker, database_url, call_id)
                    futures[future] = call_id
                    running.add(future)
        except BrokenProcessPool:
            return  # the calls it left are claimed again by the next round


def wait_for_calls(
    database_url: str,
    call_ids: Sequence[int],
    settings: Settings,
    on_final: Progress,
    attempts_before: dict[int, int],
    poll_seconds: float = 1.0,
) -> list[int]:
    """Wait while other live workers hold these calls; returns those left to take over.

    Each call that ends (final, or failed after being tried since `attempts_before`) is
    reported to `on_final`; a call whose holder is gone, or that no one holds yet, is
    returned so the caller can process it itself.
    """
    waiting = list(call_ids)
    while waiting:
        states = call_states(database_url, waiting)
        held = []
        for call_id, state in states.items():
            if state.ended(attempts_before.get(call_id, 0)):
                on_final(call_id, state.status)
            elif state.held(settings.stale_seconds):
                held.append(call_id)
        orphaned = [
            c
            for c, state in states.items()
            if c not in held and not state.ended(attempts_before.get(c, 0))
        ]
        if orphaned:
            return orphaned + held
        waiting = held
        if waiting:
            time.sleep(poll_seconds)
    return []


@dataclass(frozen=True)
class CallState:
    status: CallStatus
    attempts: int
    worker_id: str | None
    heartbeat_at: datetime | None

    def ended(self, attempts_before: int) -> bool:
        """Final, or failed by an attempt made since `attempts_before` were counted."""
        tried = self.attempts > attempts_before
        return self.status in FINAL or (self.status is CallStatus.failed and tried)

    def held(self, stale_seconds: float) -> bool:
        """Being processed by a worker that still lives."""
        return self.status in IN_FLIGHT and not holder_gone(
            self.worker_id, self.heartbeat_at, stale_seconds
        )


def call_states(database_url: str, call_ids: Sequence[int]) -> dict[int, CallState]:
    """Status, attempts, holder and heartbeat of each call, by id."""
    with session_scope(database_url) as session:
        rows = session.execute(
            select(Call.id, Call.status, Call.attempts, Call.worker_id, Call.heartbeat_at).where(
                Call.id.in_(list(call_ids))
            )
        )
        return {row[0]: CallState(*row[1:]) for row in rows}


def _init_worker(settings: Settings, parent_pid: int) -> None:
    global _worker_settings
    _worker_settings = settings
    die_with_parent(parent_pid)
    load_model_once(settings)


def die_with_parent(parent_pid: int) -> None:
    """End this worker process when the one that started it ends, even by kill -9.

    Linux delivers SIGKILL at once (PR_SET_PDEATHSIG); elsewhere a thread watches the parent.
    Without this, a killed `ingest --workers 2` left its idle workers (~370 MB each) behind.
    """
    if sys.platform == "linux":
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the signal was asked for
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _process_in_worker(database_url: str, call_id: int) -> CallStatus:
    return process_call(database_url, call_id, _worker_settings)


def retryable_calls(database_url: str, stale_after: timedelta | None = None) -> list[int]:
    """Failed calls, calls an ingest that died never reached (pending), and calls left
    mid-way whose worker is gone (killed, crashed).

    Taking one that another live process is about to start is harmless: claiming is a
    compare-and-set, so the call is processed once. With `stale_after`, an in-flight call
    whose heartbeat is older counts as abandoned (by default CALLQA_STALE_SECONDS).
    """
    stale = stale_after.total_seconds() if stale_after is not None else get_settings().stale_seconds
    waiting = (CallStatus.failed, CallStatus.pending)
    with session_scope(database_url) as session:
        unfinished = list(session.scalars(select(Call.id).where(Call.status.in_(waiting))))
    return sorted(set(unfinished) | set(abandoned_calls(database_url, stale)))


def calls_needing_admin(database_url: str) -> list[int]:
    """Calls retry leaves alone: out of attempts, or their recording was refused."""
    with session_scope(database_url) as session:
        return list(session.scalars(select(Call.id).where(Call.status == CallStatus.needs_admin)))


def failed_calls(database_url: str, call_ids: Sequence[int]) -> list[tuple[str, str, CallStatus]]:
    """(external id, error, status) of those calls that ended failed or need an admin."""
    with session_scope(database_url) as session:
        rows = session.execute(
            select(Call.external_id, Call.error, Call.status)
            .where(
                Call.id.in_(list(call_ids)),
                Call.status.in_((CallStatus.failed, CallStatus.needs_admin)),
            )
            .order_by(Call.id)
        )
        return [(external_id, error or "", status) for external_id, error, status in rows]
