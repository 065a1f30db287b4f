"""kill -9 at the worst moment, with real processes: every call still ends done exactly once.

Short synthetic calls keep these quick; heartbeats and staleness are shortened by environment
variables exactly as an operator could set them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pytest
import redis
from sqlalchemy import func, select

from qa.storage.bootstrap import initialize_database
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus, Evaluation, Transcript
from tests.conftest import REPO_ROOT
from tests.qa.synthetic_calls import make_calls

# Redis db 9 (issue 9) and a queue of our own: no other worker takes these messages.
BROKER_URL = os.environ.get("CALLQA_TEST_FAULT_BROKER_URL", "redis://127.0.0.1:6379/9")
FAST_LIVENESS = {"CALLQA_HEARTBEAT_SECONDS": "1", "CALLQA_STALE_SECONDS": "4"}


def _env(home: Path, database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "CALLQA_HOME": str(home),
        "DATABASE_URL": database_url,
        **FAST_LIVENESS,
        **extra,
    }


def _wait_for(condition: Callable[[], object], seconds: float, what: str) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _holder_pid(database_url: str) -> int | None:
    """The pid of a worker process now transcribing a call."""
    with session_scope(database_url) as session:
        worker = session.scalar(
            select(Call.worker_id).where(Call.status == CallStatus.transcribing).limit(1)
        )
    return int(worker.rsplit(":", 1)[1]) if worker else None


def _holder(database_url: str) -> tuple[int, int] | None:
    """(call id, pid) of a call being transcribed and the worker process holding it."""
    with session_scope(database_url) as session:
        row = session.execute(
            select(Call.id, Call.worker_id).where(Call.status == CallStatus.transcribing).limit(1)
        ).first()
    return (row[0], int(row[1].rsplit(":", 1)[1])) if row and row[1] else None


def _assert_each_call_done_once(database_url: str, count: int) -> None:
    with session_scope(database_url) as session:
        statuses = session.scalars(select(Call.status)).all()
        assert statuses == [CallStatus.done] * count
        per_call = session.execute(
            select(Transcript.call_id, func.count()).group_by(Transcript.call_id)
        ).all()
        assert len(per_call) == count and {n for _, n in per_call} == {1}
        counted = session.execute(
            select(Evaluation.call_id, Evaluation.scorecard_key, func.count())
            .where(Evaluation.counts)
            .group_by(Evaluation.call_id, Evaluation.scorecard_key)
        ).all()
        assert counted and {n for *_, n in counted} == {1}
        assert {c for c, *_ in counted} == set(session.scalars(select(Call.id)))


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _ingest_killing_a_holder(
    database_url: str, folder: Path, env: dict[str, str], option: str, victims: set[int] | None
) -> tuple[int, str, str]:
    """Run `qa ingest FOLDER OPTION`, SIGKILL the worker process holding the first call to be
    transcribed (one of `victims`, or any but the ingest itself); (exit code, stdout, stderr)."""
    ingest = subprocess.Popen(
        [sys.executable, "-m", "qa", "ingest", str(folder), *option.split()],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        victim = int(str(_wait_for(lambda: _holder_pid(database_url), 120, "a call in work")))
        assert victim in victims if victims is not None else victim != ingest.pid
        os.kill(victim, signal.SIGKILL)
        stdout, stderr = ingest.communicate(timeout=240)
    finally:
        ingest.kill()
    return ingest.returncode, stdout, stderr


def test_a_pool_worker_killed_mid_call_is_replaced_and_ingest_finishes(
    sqlite_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "calls"
    make_calls(folder, 3)
    env = _env(tmp_path / "home", sqlite_url)
    code, stdout, stderr = _ingest_killing_a_holder(sqlite_url, folder, env, "--workers 2", None)
    assert code == 0, stderr
    assert "3 done" in stdout and "Traceback" not in stderr
    _assert_each_call_done_once(sqlite_url, 3)


def _qa(env: dict[str, str], *arguments: str, **popen: object) -> subprocess.Popen[str]:
    return subprocess.Popen(  # type: ignore[call-overload]
        [sys.executable, "-m", "qa", *arguments], cwd=REPO_ROOT, env=env, text=True, **popen
    )


def _all_done(database_url: str) -> bool:
    with session_scope(database_url) as session:
        return set(session.scalars(select(Call.status))) == {CallStatus.done}


def test_killing_ingest_takes_its_pool_with_it_and_a_plain_ingest_again_adopts_its_calls(
    sqlite_url: str, tmp_path: Path
) -> None:
    database_url = sqlite_url
    folder = tmp_path / "calls"
    make_calls(folder, 2)
    env = _env(tmp_path / "home", database_url)
    ingest = _qa(env, "ingest", str(folder), "--workers", "2", stdout=subprocess.DEVNULL)
    try:
        _wait_for(lambda: _holder_pid(database_url), 120, "a call being transcribed")
        pool = _children(ingest.pid)
        assert pool
    finally:
        ingest.kill()
        ingest.wait()
    _wait_for(lambda: not any(_alive(p) for p in pool), 10, "the pool to die with its parent")
    # The same command again, no flags: the calls are stored, and their worker is gone.
    again = _qa(env, "ingest", str(folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = again.communicate(timeout=240)
    assert again.returncode == 0, stderr
    assert "2 already stored" in stdout and "Traceback" not in stderr
    # The call(s) in work when it was killed; one its pool had not reached yet is pending.
    assert "left by a worker that is gone" in stdout
    _assert_each_call_done_once(database_url, 2)


def test_a_running_watch_adopts_the_calls_of_a_killed_ingest_with_nobody_running_a_command(
    sqlite_url: str, tmp_path: Path
) -> None:
    folder, watched = tmp_path / "calls", tmp_path / "watched"
    make_calls(folder, 2)  # one in work when the ingest is killed, one still in its queue
    watched.mkdir()
    env = _env(tmp_path / "home", sqlite_url)
    watch = _qa(env, "watch", str(watched), "--interval", "1", stdout=subprocess.DEVNULL)
    ingest = _qa(env, "ingest", str(folder), "--workers", "1", stdout=subprocess.DEVNULL)
    try:
        holder = _wait_for(lambda: _holder_pid(sqlite_url), 120, "a call being transcribed")
        assert holder == ingest.pid
        ingest.kill()  # mid-call; the watch, already running, is the only live worker left
        ingest.wait()
        killed = time.monotonic()
        _wait_for(lambda: _all_done(sqlite_url), 180, "the watch to take the call over")
        assert watch.poll() is None
    finally:
        ingest.kill()
        watch.kill()
        watch.wait()
    assert time.monotonic() - killed < 300  # the bound; here seconds
    _assert_each_call_done_once(sqlite_url, 2)


@dataclass
class CeleryWorkers:
    """Real Celery workers on a queue of their own (solo pool: one process each, unless
    another pool is asked for)."""

    queue: str
    home: Path
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(
        self, database_url: str, count: int = 2, pool: str = "--pool=solo"
    ) -> list[subprocess.Popen[bytes]]:
        env = _env(self.home, database_url, **self.broker_env())
        for _ in range(count):
            self.started.append(
                subprocess.Popen(
                    [
                        *(sys.executable, "-m", "celery", "-A", "qa.worker", "worker"),
                        *(*pool.split(), "--loglevel=warning"),
                        f"--hostname=w{len(self.started)}-{self.queue}@%h",
                        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
                    ],
                    cwd=REPO_ROOT,
                    env=env,
                )
            )
        return self.started[-count:]

    def broker_env(self) -> dict[str, str]:
        return {"CALLQA_BROKER_URL": BROKER_URL, "CALLQA_CELERY_QUEUE": self.queue}


@pytest.fixture
def celery_workers(tmp_path: Path) -> Iterator[CeleryWorkers]:
    try:
        redis.Redis.from_url(BROKER_URL).ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {BROKER_URL}")
    workers = CeleryWorkers(f"callqa-i9-{uuid.uuid4().hex[:8]}", tmp_path / "worker")
    yield workers
    for worker in workers.started:
        worker.kill()
        worker.wait(timeout=30)
    # Messages a killed worker left unacknowledged would otherwise stay in db 9 for good.
    redis.Redis.from_url(BROKER_URL).delete(workers.queue, f"_kombu.binding.{workers.queue}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """These tests are about processes, not SQL: one database kind keeps them short."""
    url = f"sqlite:///{tmp_path / 'callqa.sqlite3'}"
    initialize_database(url)
    return url


def test_a_killed_celery_worker_is_replaced_by_a_live_one_and_ingest_ends_normally(
    sqlite_url: str, tmp_path: Path, celery_workers: CeleryWorkers
) -> None:
    folder = tmp_path / "calls"
    make_calls(folder, 2)  # one call for each worker: one of them is killed
    workers = {w.pid for w in celery_workers.start(sqlite_url)}
    env = _env(tmp_path / "home", sqlite_url, **celery_workers.broker_env())
    # A whole worker (solo pool: one process): its message stays unacknowledged in Redis.
    code, stdout, stderr = _ingest_killing_a_holder(sqlite_url, folder, env, "--celery", workers)
    assert code == 0, stderr
    assert "2 done" in stdout and "Traceback" not in stderr
    _assert_each_call_done_once(sqlite_url, 2)


def test_live_celery_workers_finish_a_dead_workers_call_with_nobody_waiting(
    sqlite_url: str, tmp_path: Path, celery_workers: CeleryWorkers
) -> None:
    folder = tmp_path / "calls"
    make_calls(folder, 2)
    workers = celery_workers.start(sqlite_url)
    ingest = subprocess.Popen(
        [sys.executable, "-m", "qa", "ingest", str(folder), "--celery"],
        cwd=REPO_ROOT,
        env=_env(tmp_path / "home", sqlite_url, **celery_workers.broker_env()),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    victim = int(str(_wait_for(lambda: _holder_pid(sqlite_url), 120, "a call on a worker")))
    ingest.kill()  # nobody waits, nobody runs retry: only the live worker's sweep is left
    ingest.wait()
    os.kill(victim, signal.SIGKILL)
    assert victim in {w.pid for w in workers}

    _wait_for(lambda: _all_done(sqlite_url), 180, "the live worker to take the dead worker's call")
    _assert_each_call_done_once(sqlite_url, 2)


def test_a_killed_celery_pool_child_is_replaced_and_its_call_ends_done_once(
    sqlite_url: str, tmp_path: Path, celery_workers: CeleryWorkers
) -> None:
    folder = tmp_path / "calls"
    make_calls(folder, 2)
    (worker,) = celery_workers.start(sqlite_url, 1, "--pool=prefork --concurrency=1")
    env = _env(tmp_path / "home", sqlite_url, **celery_workers.broker_env())
    ingest = _qa(
        env, "ingest", str(folder), "--celery", stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        found = _wait_for(lambda: _holder(sqlite_url), 120, "a call on a pool child")
        call_id, victim = cast(tuple[int, int], found)
        assert victim in _children(worker.pid)  # a pool child, not the worker itself
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()

        def taken_over() -> bool:
            with session_scope(sqlite_url) as session:
                holder = session.get_one(Call, call_id).worker_id or ""
            return not holder.endswith(f":{victim}")

        _wait_for(taken_over, 120, "a new pool child to take the call")
        picked_up = time.monotonic() - killed
        stdout, stderr = ingest.communicate(timeout=240)
    finally:
        ingest.kill()
    assert ingest.returncode == 0, stderr
    assert "2 done" in stdout and "Traceback" not in stderr
    assert worker.poll() is None  # the worker lives on with a new child
    # Redelivered at once (acks_late, reject_on_worker_lost) and claimed at once (its holder's
    # pid is dead): well inside the default liveness window, not after the visibility timeout.
    assert picked_up < 60
    _assert_each_call_done_once(sqlite_url, 2)


def test_a_celery_worker_adopts_the_call_of_a_killed_local_ingest(
    sqlite_url: str, tmp_path: Path, celery_workers: CeleryWorkers
) -> None:
    folder = tmp_path / "calls"
    make_calls(folder, 1)
    celery_workers.start(sqlite_url, 1)  # idle: its sweep is the only live worker's
    env = _env(tmp_path / "home", sqlite_url)
    ingest = _qa(env, "ingest", str(folder), "--workers", "1", stdout=subprocess.DEVNULL)
    try:
        holder = _wait_for(lambda: _holder_pid(sqlite_url), 120, "a call being transcribed")
        assert holder == ingest.pid
    finally:
        ingest.kill()
        ingest.wait()
    _wait_for(lambda: _all_done(sqlite_url), 180, "the Celery worker's sweep to take the call")
    _assert_each_call_done_once(sqlite_url, 1)
