"""Celery app for running the pipeline on other machines: the task is `process_call` itself.

Start a worker where the database and the audio folder are reachable:
    celery -A qa.worker worker --loglevel=info --concurrency=2
Each worker process loads the Whisper model once, when it starts. `python -m qa ingest --celery`
(and `retry --celery`) send calls to the queue CALLQA_CELERY_QUEUE instead of a local pool.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from celery import Celery
from celery.result import AsyncResult
from celery.signals import worker_process_init

from qa.pipeline.process import process_call
from qa.pipeline.runner import Progress
from qa.pipeline.transcribe import load_model_once
from qa.settings import get_settings
from qa.storage.models import CallStatus

_settings = get_settings()
app = Celery("callqa", broker=_settings.broker_url, backend=_settings.broker_url)
app.conf.update(
    task_default_queue=_settings.celery_queue,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    # A call is acknowledged only once processed: a worker killed mid-call leaves it queued.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    result_expires=24 * 3600,
)


@worker_process_init.connect
def _load_model(**_: Any) -> None:
    load_model_once(get_settings())


@app.task(name="callqa.process_call")
def process_call_task(database_url: str, call_id: int) -> str:
    """Process one call by id; returns its final status."""
    return process_call(database_url, call_id).value


def enqueue_calls(database_url: str, call_ids: Sequence[int]) -> list[AsyncResult]:
    """Send calls to the workers; the returned results can be waited on with `.get()`."""
    return [process_call_task.delay(database_url, call_id) for call_id in call_ids]


def run_calls_on_workers(
    database_url: str,
    call_ids: Sequence[int],
    on_done: Progress | None = None,
    timeout: float = 3600.0,
) -> Counter[CallStatus]:
    """Like the local runner, but the calls run on Celery workers; waits for every one."""
    # Fail at once, not after Celery's retries, when the broker is down.
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
    outcomes: Counter[CallStatus] = Counter()
    for call_id, result in zip(call_ids, enqueue_calls(database_url, call_ids), strict=True):
        status = CallStatus(result.get(timeout=timeout))
        outcomes[status] += 1
        if on_done:
            on_done(call_id, status)
    return outcomes


@app.task(name="callqa.watch_folders")
def watch_folders_task() -> int:
    """Celery beat's look at CALLQA_WATCH_DIRS; new calls go to the workers. Returns how many."""
    from qa.pipeline.watch import watch_once

    settings = get_settings()
    url = settings.resolved_database_url
    queued = 0
    for folder in settings.watch_dirs:
        outcome = watch_once(url, folder, settings)
        if outcome.ingested is not None:
            queued += len(enqueue_calls(url, outcome.ingested.to_process))
    return queued


if _settings.watch_dirs:
    app.conf.beat_schedule = {
        "callqa-watch-folders": {
            "task": "callqa.watch_folders",
            "schedule": _settings.watch_interval_seconds,
        }
    }
