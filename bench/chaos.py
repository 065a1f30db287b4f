"""Chaos: Celery workers killed with SIGKILL while they ingest; nothing lost, nothing doubled.

    .venv/bin/python bench/chaos.py [--calls 40] [--workers 2] [--kill-every 20]
                                    [--broker redis://127.0.0.1:6379/9] [--postgres URL]

Synthesises `--calls` short two-party calls (espeak-ng + sox), then ingests them twice with
`python -m qa ingest --celery` into a fresh database, each time through `--workers` real
Celery workers (one process each) on a queue of their own: once undisturbed (the baseline),
once while a random worker is killed with SIGKILL every `--kill-every` seconds and a new one
started in its place. Prints, for the chaos run, calls done, duplicates (a call with more
than one transcript, or more than one counted evaluation per scorecard: must be 0),
lost (not done: must be 0), and throughput as a ratio of the baseline's.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from qa.storage.bootstrap import initialize_database  # noqa: E402
from qa.storage.db import session_scope  # noqa: E402
from qa.storage.models import Call, CallStatus, Evaluation, Transcript  # noqa: E402
from tests.qa.synthetic_calls import NEEDS_TOOLS, make_calls, tools_available  # noqa: E402

# Short heartbeats so a killed worker's call is taken up in seconds, as an operator may set.
LIVENESS = {"CALLQA_HEARTBEAT_SECONDS": "2", "CALLQA_STALE_SECONDS": "8"}


@dataclass(frozen=True)
class RunResult:
    wall_seconds: float
    done: int
    duplicates: int
    lost: int
    attempts: int
    kills: int
    ingest_ok: bool


class WorkerFleet:
    """`size` Celery workers; `kill_one` SIGKILLs a random one and starts its replacement."""

    def __init__(self, size: int, env: dict[str, str]) -> None:
        self.env = env
        self.workers = [self._start() for _ in range(size)]
        self.kills = 0

    def _start(self) -> subprocess.Popen[bytes]:
        name = f"chaos-{uuid.uuid4().hex[:6]}@%h"
        return subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "qa.worker", "worker", "--pool=solo"),
                *("--loglevel=error", f"--hostname={name}", "--without-gossip"),
                *("--without-mingle", "--without-heartbeat"),
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill_one(self, rng: random.Random) -> None:
        victim = self.workers.pop(rng.randrange(len(self.workers)))
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        self.kills += 1
        self.workers.append(self._start())

    def stop(self) -> None:
        for worker in self.workers:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def fresh_database(home: Path, postgres: str | None) -> str:
    if postgres is None:
        return f"sqlite:///{home / 'callqa.sqlite3'}"
    name = f"callqa_chaos_{uuid.uuid4().hex[:8]}"
    with create_engine(postgres, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(postgres).set(database=name).render_as_string(hide_password=False)


def run(folder: Path, home: Path, args: argparse.Namespace, kill_every: float | None) -> RunResult:
    url = fresh_database(home, args.postgres)
    initialize_database(url)
    env = {
        **os.environ,
        **LIVENESS,
        "CALLQA_HOME": str(home),
        "DATABASE_URL": url,
        "CALLQA_BROKER_URL": args.broker,
        "CALLQA_CELERY_QUEUE": f"callqa-chaos-{uuid.uuid4().hex[:8]}",
        "PYTHONPATH": str(ROOT),
    }
    fleet = WorkerFleet(args.workers, env)
    stop = threading.Event()
    rng = random.Random(args.seed)

    def chaos() -> None:
        while kill_every is not None and not stop.wait(kill_every):
            fleet.kill_one(rng)

    killer = threading.Thread(target=chaos, daemon=True)
    started = time.monotonic()
    killer.start()
    try:
        ingest = subprocess.run(
            [sys.executable, "-m", "qa", "ingest", str(folder), "--celery"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        wall = time.monotonic() - started
    finally:
        stop.set()
        killer.join()
        fleet.stop()
    if ingest.returncode != 0:
        print(ingest.stderr[-2000:], file=sys.stderr)
    return RunResult(wall, *tally(url), kills=fleet.kills, ingest_ok=ingest.returncode == 0)


def tally(url: str) -> tuple[int, int, int, int]:
    """(done, duplicates, lost, attempts) as the database holds them."""
    with session_scope(url) as session:
        statuses = list(session.scalars(select(Call.status)))
        attempts = session.scalar(select(func.sum(Call.attempts))) or 0
        transcripts = session.execute(
            select(Transcript.call_id).group_by(Transcript.call_id).having(func.count() > 1)
        ).all()
        counted = session.execute(
            select(Evaluation.call_id)
            .where(Evaluation.counts)
            .group_by(Evaluation.call_id, Evaluation.scorecard_key)
            .having(func.count() > 1)
        ).all()
    done = statuses.count(CallStatus.done)
    return done, len(transcripts) + len(counted), len(statuses) - done, attempts


def report(label: str, result: RunResult, calls: int) -> None:
    print(
        f"{label:>9}: {result.done}/{calls} done, {result.duplicates} duplicates, "
        f"{result.lost} lost, {result.attempts} attempts, {result.kills} kills, "
        f"{result.wall_seconds:.1f} s, ingest {'ok' if result.ingest_ok else 'FAILED'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-every", type=float, default=20.0, help="seconds between kills")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--postgres", help="admin URL; a fresh database per run (default SQLite)")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    if not tools_available():
        print(NEEDS_TOOLS, file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="callqa-chaos-") as scratch:
        folder = Path(scratch) / "calls"
        make_calls(folder, args.calls, prefix="chaos")
        baseline = run(folder, Path(scratch) / "baseline", args, kill_every=None)
        chaos = run(folder, Path(scratch) / "chaos", args, kill_every=args.kill_every)
    report("baseline", baseline, args.calls)
    report("chaos", chaos, args.calls)
    ratio = baseline.wall_seconds / chaos.wall_seconds
    print(
        f"chaos: {chaos.done} done, {chaos.duplicates} duplicates (must be 0), "
        f"{chaos.lost} lost (must be 0); throughput {ratio:.2f}x of the run without kills"
    )
    clean = chaos.duplicates == 0 and chaos.lost == 0 and baseline.lost == 0
    return 0 if clean and chaos.ingest_ok else 1


if __name__ == "__main__":
    sys.exit(main())
