"""Run many calls through `process_call`: inline, or in a local pool of worker processes.

Each worker process loads the Whisper model once (in its initializer) and then takes call
ids; only ids and statuses cross process boundaries, so workers share nothing but the database.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select

from qa.pipeline.process import RESTARTABLE, process_call
from qa.pipeline.transcribe import load_model_once
from qa.settings import Settings
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus
from qa.storage.scorecard_store import scorecards_for_new_calls

Progress = Callable[[int, CallStatus], None]

_worker_settings: Settings | None = None


def run_calls(
    database_url: str,
    call_ids: Sequence[int],
    settings: Settings,
    *,
    workers: int | None = None,
    on_done: Progress | None = None,
) -> Counter[CallStatus]:
    """Process every call; returns how many ended in each status."""
    workers = max(1, workers or settings.workers)
    outcomes: Counter[CallStatus] = Counter()
    if not call_ids:
        return outcomes
    # Synced here, once, so that parallel workers never race to store the shipped scorecards.
    with session_scope(database_url) as session:
        scorecards_for_new_calls(session)
    if workers == 1 or len(call_ids) == 1:
        for call_id in call_ids:
            status = process_call(database_url, call_id, settings)
            outcomes[status] += 1
            if on_done:
                on_done(call_id, status)
        return outcomes
    # "spawn": a forked copy of a process that already runs model threads can deadlock.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=min(workers, len(call_ids)),
        mp_context=context,
        initializer=_init_worker,
        initargs=(settings,),
    ) as pool:
        futures = {pool.submit(_process_in_worker, database_url, c): c for c in call_ids}
        for future in as_completed(futures):
            status = future.result()
            outcomes[status] += 1
            if on_done:
                on_done(futures[future], status)
    return outcomes


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings
    load_model_once(settings)


def _process_in_worker(database_url: str, call_id: int) -> CallStatus:
    return process_call(database_url, call_id, _worker_settings)


def retryable_calls(database_url: str, stale_after: timedelta) -> list[int]:
    """Failed calls, and calls left mid-way (no progress for `stale_after`) by a crash or kill."""
    cutoff = datetime.now(UTC) - stale_after
    in_flight = [s for s in RESTARTABLE if s is not CallStatus.failed]
    with session_scope(database_url) as session:
        statement = (
            select(Call.id)
            .where(
                or_(
                    Call.status == CallStatus.failed,
                    Call.status.in_(in_flight) & (Call.updated_at <= cutoff),
                )
            )
            .order_by(Call.id)
        )
        return list(session.scalars(statement))


def failed_calls(database_url: str, call_ids: Sequence[int]) -> list[tuple[str, str]]:
    """(external id, error) of those calls that ended failed, to tell the user why."""
    with session_scope(database_url) as session:
        rows = session.execute(
            select(Call.external_id, Call.error)
            .where(Call.id.in_(list(call_ids)), Call.status == CallStatus.failed)
            .order_by(Call.id)
        )
        return [(external_id, error or "") for external_id, error in rows]
