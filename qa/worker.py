"""Celery app for running the pipeline on other machines: the task is `process_call` itself.

Start a worker where the database and the audio folder are reachable:
    celery -A qa.worker worker --loglevel=info --concurrency=2
Each worker process loads the Whisper model once, when it starts. `python -m qa ingest --celery`
(and `retry --celery`) send calls to the queue CALLQA_CELERY_QUEUE instead of a local pool.
`celery -A qa.worker beat` runs the retention purge (`callqa.purge`) every night at 03:15 UTC.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from celery import Celery
from celery.result import AsyncResult
from celery.schedules import crontab
from celery.signals import worker_process_init

from qa.erasure import purge
from qa.pipeline.process import process_call
from qa.pipeline.runner import Progress
from qa.pipeline.transcribe import load_model_once
from qa.settings import get_settings
from qa.storage.db import session_scope
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
    # Where `celery -A qa.worker beat` runs, retention is applied every night (qa purge).
    beat_schedule={
        "callqa-purge": {"task": "callqa.purge", "schedule": crontab(hour=3, minute=15)},
    },
)


@worker_process_init.connect
def _load_model(**_: Any) -> None:
    load_model_once(get_settings())


@app.task(name="callqa.purge")
def purge_task() -> dict[str, int]:
    """The retention periods applied on a schedule, as `python -m qa purge` applies them."""
    settings = get_settings()
    with session_scope(settings.resolved_database_url) as session:
        report = purge(session, settings.retain_audio_days, settings.retain_transcript_days)
    return {
        "audio_removed": report.audio_removed,
        "transcripts_removed": report.transcripts_removed,
    }


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
