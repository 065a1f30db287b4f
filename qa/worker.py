"""Celery app for running the pipeline on other machines: the task is `process_call` itself.

Start a worker where the database and the audio folder are reachable:
    celery -A qa.worker worker --loglevel=info --concurrency=2
Each worker process loads the Whisper model once, when it starts. `python -m qa ingest --celery`
(and `retry --celery`) send calls to the queue CALLQA_CELERY_QUEUE instead of a local pool.
`celery -A qa.worker beat` runs the retention purge (`callqa.purge`) every night at 03:15 UTC,
a look at the watch folder CALLQA_WATCH_DIR every CALLQA_WATCH_INTERVAL_SECONDS (new calls go to
the workers), webhook sends and retries every minute, and the e-mail digest daily at
CALLQA_DIGEST_HOUR UTC. A task whose feature is not configured does nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_init, worker_process_init, worker_ready, worker_shutdown

from qa.erasure import purge
from qa.errors import QAError
from qa.i18n import ngettext
from qa.notifications.config import load_webhooks
from qa.notifications.digest import SmtpServer, load_subscribers, send_digests
from qa.notifications.webhooks import dispatch
from qa.pipeline.liveness import IN_FLIGHT, abandoned_calls
from qa.pipeline.process import process_call
from qa.pipeline.runner import Progress, call_states
from qa.pipeline.transcribe import load_model_once
from qa.pipeline.watch import watch_round
from qa.settings import get_settings
from qa.storage.db import session_scope
from qa.storage.models import CallStatus

log = logging.getLogger(__name__)
_settings = get_settings()
# Redelivery of an unacknowledged message is only a backstop: live workers' sweeps requeue
# a dead worker's calls within a minute or two, and a redelivered call that is still held by
# a live worker is left to it, so a short timeout never runs a call twice.
VISIBILITY_TIMEOUT = 15 * 60
WEBHOOK_SECONDS = 60.0
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
    broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
    result_expires=24 * 3600,
    # What `celery -A qa.worker beat` runs: retention every night (qa purge), the watch folder
    # (qa watch), webhook sends and retries (qa webhooks send) and the digest (qa digest send).
    beat_schedule={
        "callqa-purge": {"task": "callqa.purge", "schedule": crontab(hour=3, minute=15)},
        "callqa-watch-folder": {
            "task": "callqa.watch_folder",
            "schedule": _settings.watch_interval_seconds,
        },
        "callqa-webhooks": {"task": "callqa.webhooks", "schedule": WEBHOOK_SECONDS},
        "callqa-digest": {
            "task": "callqa.digest",
            "schedule": crontab(hour=_settings.digest_hour, minute=0),
        },
    },
)
# The databases this worker process has taken calls for; its sweep looks after those.
_databases: set[str] = set()
_stop = threading.Event()
_sweeper: threading.Thread | None = None
_sweeper_lock = threading.Lock()


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


@app.task(name="callqa.watch_folder")
def watch_folder_task() -> dict[str, int]:
    """One look at CALLQA_WATCH_DIR, as `qa watch` takes it; its new calls go to the workers.
    The database remembers what was taken, so overlapping or repeated looks take a call once."""
    settings = get_settings()
    if settings.watch_dir is None:
        return {}
    url = settings.resolved_database_url
    result = watch_round(url, settings.watch_dir, settings, settings.watch_settle_seconds)
    for problem in result.report.problems:
        log.warning("watch folder %s: %s", settings.watch_dir, problem)
    enqueue_calls(url, result.report.to_process)
    return {
        "new": sum(1 for c in result.report.calls if c.new),
        "queued": len(result.report.to_process),
        "waiting": result.waiting,
        "problems": len(result.report.problems),
    }


@app.task(name="callqa.webhooks")
def webhooks_task() -> dict[str, int]:
    """Queue new events and send the due ones, retries included (qa webhooks send)."""
    settings = get_settings()
    endpoints = load_webhooks(settings.webhooks_file)
    if not endpoints:
        return {}
    return asdict(dispatch(settings.resolved_database_url, endpoints))


@app.task(name="callqa.digest")
def digest_task() -> dict[str, int]:
    """E-mail each subscriber what they have not had yet (qa digest send)."""
    settings = get_settings()
    subscribers = load_subscribers(settings.digest_file)
    if not subscribers:
        return {}
    report = send_digests(
        settings.resolved_database_url, subscribers, SmtpServer.from_settings(settings)
    )
    for problem in report.problems:
        log.warning("digest: %s", problem)
    return {"sent": report.sent, "events": report.events, "problems": len(report.problems)}


@worker_init.connect
def _load_model_in_solo_worker(sender: Any = None, **_: Any) -> None:
    """A solo pool runs tasks in the worker itself: load before taking one, so a call's
    attempt is not spent on loading the model."""
    if "solo" in str(getattr(sender, "pool_cls", "")).lower():
        load_model_once(get_settings())


# Progress is read from the database, so results are not stored in Redis.
@app.task(name="callqa.process_call", ignore_result=True)
def process_call_task(database_url: str, call_id: int) -> str:
    """Process one call by id; returns its status after (in-flight: another worker has it)."""
    start_sweeping(database_url)
    return process_call(database_url, call_id).value


def enqueue_calls(database_url: str, call_ids: Sequence[int]) -> None:
    """Send calls to the workers; their progress is read from the database, not results."""
    for call_id in call_ids:
        process_call_task.delay(database_url, call_id)


def sweep(database_url: str, recently: dict[int, float], quiet_seconds: float) -> list[int]:
    """Send again the calls whose worker is gone; each at most once per `quiet_seconds`."""
    now = time.monotonic()
    stale = get_settings().stale_seconds
    requeued = [
        c
        for c in abandoned_calls(database_url, stale)
        if now - recently.get(c, float("-inf")) >= quiet_seconds
    ]
    for call_id in requeued:
        recently[call_id] = now
    enqueue_calls(database_url, requeued)
    return requeued


@worker_ready.connect
def _sweep_configured_database(**_: Any) -> None:
    if get_settings().database_url:
        start_sweeping(get_settings().database_url)


@worker_shutdown.connect
def _stop_sweeping(**_: Any) -> None:
    _stop.set()


def start_sweeping(database_url: str) -> None:
    """Look after `database_url` from this process: every live worker looks for calls a dead
    worker left, so nobody has to run retry. One thread per process, for every database seen
    (with a prefork pool the tasks, and so the databases, are seen in the pool processes)."""
    global _sweeper
    with _sweeper_lock:
        _databases.add(database_url)
        if _sweeper is not None and _sweeper.is_alive():
            return
        _sweeper = threading.Thread(target=_sweep_loop, name="callqa-sweep", daemon=True)
        _sweeper.start()


def _sweep_loop() -> None:
    settings = get_settings()
    recently: dict[int, float] = {}
    while not _stop.wait(settings.stale_seconds / 2):
        for url in list(_databases):
            try:
                for call_id in sweep(url, recently, settings.stale_seconds * 2):
                    log.warning("call %s: its worker is gone, sent to the queue again", call_id)
            except Exception as error:  # a database down for a while: try next round
                log.warning("sweep of %s failed: %s", url, error)


class WorkersTooSlow(QAError):
    """No call made progress for a long time: no live worker takes the queue."""


def run_calls_on_workers(
    database_url: str,
    call_ids: Sequence[int],
    on_done: Progress | None = None,
    poll_seconds: float = 1.0,
) -> Counter[CallStatus]:
    """Like the local runner, but the calls run on Celery workers; waits for every one.

    Progress is read from the database, so a call a dead worker left and a live worker took
    over (a new message) is followed as well, and one no live worker holds is sent again.
    Waiting ends with a clear error, not a traceback, when nothing moved for
    CALLQA_CELERY_WAIT_SECONDS (no live worker on the queue).
    """
    settings = get_settings()
    idle_timeout = settings.celery_wait_seconds
    # Fail at once, not after Celery's retries, when the broker is down.
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
    outcomes: Counter[CallStatus] = Counter()
    before = call_states(database_url, call_ids)
    enqueue_calls(database_url, call_ids)
    waiting = set(call_ids)
    sent = {c: time.monotonic() for c in call_ids}
    last_change, last_seen = time.monotonic(), before
    while waiting:
        time.sleep(poll_seconds)
        states = call_states(database_url, sorted(waiting))
        now = time.monotonic()
        for call_id, state in states.items():
            if state.ended(before[call_id].attempts):
                waiting.discard(call_id)
                outcomes[state.status] += 1
                if on_done:
                    on_done(call_id, state.status)
            elif (
                state.status in IN_FLIGHT
                and not state.held(settings.stale_seconds)
                and now - sent[call_id] >= settings.stale_seconds
            ):
                sent[call_id] = now  # its worker died: a live one takes it from the queue
                enqueue_calls(database_url, [call_id])
        if states != last_seen:
            last_change, last_seen = now, states
        elif waiting and now - last_change > idle_timeout:
            raise WorkersTooSlow(
                ngettext(
                    "{count} call made no progress for {seconds:.0f} s: is a Celery "
                    "worker running on queue {queue}? The call stays queued; run "
                    "`python -m qa retry --celery` to wait for it again",
                    "{count} calls made no progress for {seconds:.0f} s: is a Celery "
                    "worker running on queue {queue}? The calls stay queued; run "
                    "`python -m qa retry --celery` to wait for them again",
                    len(waiting),
                ).format(count=len(waiting), seconds=idle_timeout, queue=settings.celery_queue)
            )
    return outcomes
