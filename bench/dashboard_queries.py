"""Time the dashboard aggregations on 100,000 synthetic evaluated calls, SQLite and PostgreSQL.

    .venv/bin/python bench/dashboard_queries.py [--calls 100000] [--repeats 5] [--skip-postgres]

Each database is built fresh (a temporary SQLite file; a temporary PostgreSQL database at
CALLQA_BENCH_POSTGRES_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/postgres, dropped
afterwards), migrated with Alembic, filled by bulk inserts, analysed, and then each aggregation
runs a few times over the whole data set as an admin (the worst case: no filter narrows it) and
for a client viewer over the last 90 days. The baseline, measured in the same run, is the same
aggregation picking the counted evaluation per call by the GROUP BY of the rule
(`qa.storage.evaluations.counting_rule`) instead of reading the `counts` flag; both give the
same figures. Prints the median milliseconds of each, the speed-up and the ratio to the 300 ms
target, and how long backfilling the flag over the whole data set takes.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import astuple, is_dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from sqlalchemy import ColumnElement, Engine, Select, create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import QueryableAttribute, Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.queries import dashboard, evaluations_in_view  # noqa: E402
from qa.queries.access import Viewer  # noqa: E402
from qa.queries.evaluations_in_view import EvaluationFilter, in_view  # noqa: E402
from qa.storage.db import make_engine  # noqa: E402
from qa.storage.evaluations import counting_rule, recount  # noqa: E402
from qa.storage.migrate import upgrade_to_head  # noqa: E402
from qa.storage.models import (  # noqa: E402
    Agent,
    Call,
    Client,
    CriterionVerdictRecord,
    Evaluation,
    Role,
    ScorecardVersion,
    Team,
    Transcript,
    User,
)

TARGET_MS = 300.0
CRITERIA = ("greeting", "politeness", "no_long_silence", "resolution", "closing")
CHUNK = 20_000
END = datetime(2026, 11, 1, tzinfo=UTC)


def _chunks(rows: list[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def fill(engine: Engine, calls: int, seed: int = 7) -> None:
    """Bulk-insert clients, teams, agents, calls, transcripts, evaluations and verdicts."""
    rng = random.Random(seed)
    with engine.begin() as connection:

        def put(model: type, rows: list[dict]) -> None:
            for chunk in _chunks(rows):
                connection.execute(insert(model), chunk)

        put(Client, [{"id": c, "name": f"Client {c}", "created_at": END} for c in (1, 2)])
        put(
            Team,
            [{"id": t, "client_id": 1 + (t - 1) // 3, "name": f"Team {t}"} for t in range(1, 7)],
        )
        put(
            Agent,
            [
                {
                    "id": a,
                    "external_id": f"a{a}",
                    "name": f"Agent {a:02d}",
                    "team_id": 1 + (a - 1) // 10,
                    "active": True,
                }
                for a in range(1, 61)
            ],
        )
        put(
            User,
            [
                {
                    "id": 1,
                    "username": "reviewer",
                    "display_name": "R",
                    "password_hash": "x",
                    "role": "reviewer",
                    "active": True,
                    "created_at": END,
                }
            ],
        )
        put(
            ScorecardVersion,
            [
                {
                    "id": 1,
                    "scorecard_key": "general",
                    "version": "old",
                    "name": "General",
                    "yaml_text": "",
                    "active": False,
                    "created_at": END,
                },
                {
                    "id": 2,
                    "scorecard_key": "general",
                    "version": "new",
                    "name": "General",
                    "yaml_text": "",
                    "active": True,
                    "created_at": END,
                },
            ],
        )
        call_rows: list[dict[str, Any]] = []
        transcript_rows: list[dict[str, Any]] = []
        evaluation_rows: list[dict[str, Any]] = []
        verdict_rows: list[dict[str, Any]] = []
        evaluation_id = 0
        for call_id in range(1, calls + 1):
            agent = rng.randint(1, 60)
            team = 1 + (agent - 1) // 10
            started = END - timedelta(seconds=rng.randint(0, 365 * 86400))
            call_rows.append(
                {
                    "id": call_id,
                    "external_id": f"c{call_id}",
                    "client_id": 1 + (team - 1) // 3,
                    "team_id": team,
                    "agent_id": agent,
                    "started_at": started,
                    "direction": "inbound",
                    "ring_seconds": rng.uniform(0, 40),
                    "handle_seconds": rng.uniform(60, 900),
                    "customer_feedback": rng.choice((None, 1, 2, 3, 4, 5)),
                    "customer_consent": True,
                    "agent_consent": True,
                    "language": rng.choice(("fa", "ru", "en")),
                    "agent_channel": "left",
                    "status": "done",
                    "attempts": 1,
                    "created_at": started,
                    "updated_at": started,
                }
            )
            transcript_rows.append(
                {
                    "call_id": call_id,
                    "language": "fa",
                    "language_probability": 0.9,
                    "duration": 300.0,
                    "channel_layout": "stereo",
                    "model": "bench",
                    "metrics": {},
                    "longest_silence": rng.uniform(0, 30),
                    "hold_time": rng.uniform(0, 60),
                    "total_silence": rng.uniform(0, 90),
                    "created_at": started,
                }
            )
            kinds = [("automatic", 2)]
            if rng.random() < 0.05:
                kinds.insert(0, ("automatic", 1))
            if rng.random() < 0.10:
                kinds.append(("human", 2))
            for kind, version in kinds:
                evaluation_id += 1
                outcomes = [
                    rng.choices(("pass", "fail", "na"), (0.75, 0.2, 0.05))[0] for _ in CRITERIA
                ]
                applicable = [o for o in outcomes if o != "na"]
                score = 100.0 * sum(o == "pass" for o in applicable) / max(1, len(applicable))
                evaluation_rows.append(
                    {
                        "id": evaluation_id,
                        "call_id": call_id,
                        "scorecard_version_id": version,
                        "kind": kind,
                        "reviewer_id": 1 if kind == "human" else None,
                        "score": score,
                        "passed": score >= 80,
                        "critical_failed": outcomes[1] == "fail",
                        "sections": [],
                        "created_at": started + timedelta(hours=len(evaluation_rows) % 5),
                    }
                )
                for criterion, outcome in zip(CRITERIA, outcomes, strict=True):
                    verdict_rows.append(
                        {
                            "evaluation_id": evaluation_id,
                            "scorecard_version_id": version,
                            "criterion": criterion,
                            "name": criterion.title(),
                            "section": "main",
                            "outcome": outcome,
                            "points": float(outcome == "pass"),
                            "max_points": 1.0,
                            "critical": criterion == "politeness",
                            "explanation": "",
                            "coaching_tip": "",
                            "evidence": [],
                        }
                    )
        put(Call, call_rows)
        put(Transcript, transcript_rows)
        put(Evaluation, evaluation_rows)
        put(CriterionVerdictRecord, verdict_rows)


def backfill_counts(engine: Engine) -> float:
    """Set the flag over every evaluation by the rule (what migration 0002 does); seconds."""
    started = time.perf_counter()
    with Session(engine) as session:
        recount(session)
        session.commit()
    elapsed = time.perf_counter() - started
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    return elapsed


def grouped_evaluations(
    view: EvaluationFilter, viewer: Viewer, *columns: ColumnElement[Any] | QueryableAttribute[Any]
) -> Select[Any]:
    """The baseline: the counted evaluations picked per query by the rule's GROUP BY, then
    joined back to their rows (how the queries worked before the `counts` flag)."""
    ids = in_view(counting_rule(), view, viewer).subquery("grouped_ids")
    return (
        select(ids.c.evaluation_id, ids.c.call_id, ids.c.scorecard_key, *columns)
        .join(Evaluation, Evaluation.id == ids.c.evaluation_id)
        .join(Call, Call.id == ids.c.call_id)
    )


@contextmanager
def counting_by_group_by() -> Iterator[None]:
    """The former queries: the rule's GROUP BY, and verdicts always joined to evaluations
    (never read alone by their copy of the flag)."""
    with (
        mock.patch.object(evaluations_in_view, "_counted", grouped_evaluations),
        mock.patch.object(dashboard, "narrows_calls", lambda view, viewer: True),
    ):
        yield


def figures(result: object) -> object:
    """A result with floats rounded: the two ways sum the same rows in a different order."""
    if is_dataclass(result) and not isinstance(result, type):
        return figures(astuple(result))
    if isinstance(result, list | tuple):
        return tuple(figures(item) for item in result)
    return round(result, 6) if isinstance(result, float) else result


def median_ms(run: Callable[[], object], repeats: int) -> float:
    run()  # warm the cache and the plan
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def aggregations() -> dict[str, Callable[[Session, EvaluationFilter, Viewer], object]]:
    return {
        "kpi tiles": dashboard.kpi_tiles,
        "score trend per team by week": dashboard.score_trend,
        "score trend per agent by week": lambda s, f, v: dashboard.score_trend(s, f, v, by="agent"),
        "criterion failure rates": dashboard.criterion_failure_rates,
        "score distribution": dashboard.score_distribution,
        "agent leaderboard": dashboard.agent_leaderboard,
    }


def time_all(engine: Engine, repeats: int) -> list[tuple[str, str, float, float]]:
    """(view, aggregation, baseline ms, flag ms) for each view and aggregation."""
    admin = Viewer(user_id=1, username="admin", role=Role.admin)
    client = Viewer(user_id=2, username="client", role=Role.client_viewer, client_id=1)
    views = {
        "admin, all time": (admin, EvaluationFilter(scorecard_key="general")),
        "client viewer, 90 days": (
            client,
            EvaluationFilter(
                start=END.date() - timedelta(days=90), end=END.date(), scorecard_key="general"
            ),
        ),
    }
    results = []
    with Session(engine) as session:
        for view_name, (viewer, view) in views.items():
            for name, aggregation in aggregations().items():
                run = functools.partial(aggregation, session, view, viewer)
                with counting_by_group_by():
                    baseline = median_ms(run, repeats)
                    expected = run()
                flagged = median_ms(run, repeats)
                if figures(run()) != figures(expected):
                    raise SystemExit(f"{view_name}, {name}: the flag and the rule disagree")
                results.append((view_name, name, baseline, flagged))
    return results


def report(database: str, results: list[tuple[str, str, float, float]]) -> None:
    print(f"\n{database}")
    header = f"{'view':24} {'aggregation':32} {'GROUP BY ms':>12} {'flag ms':>8}"
    print(f"  {header} {'speed-up':>9} {'/ 300 ms':>9}")
    for view_name, name, baseline, flagged in results:
        print(
            f"  {view_name:24} {name:32} {baseline:12.1f} {flagged:8.1f}"
            f" {baseline / flagged:8.1f}x {flagged / TARGET_MS:9.2f}"
        )


@contextmanager
def sqlite_engine() -> Iterator[Engine]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        upgrade_to_head(url)
        engine = make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def postgres_engine(admin_url: str) -> Iterator[Engine]:
    name = f"callqa_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    try:
        upgrade_to_head(url)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    databases = {"SQLite": sqlite_engine}
    if not args.skip_postgres:
        admin_url = os.environ.get(
            "CALLQA_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        )
        databases["PostgreSQL"] = lambda: postgres_engine(admin_url)
    print(f"{args.calls} evaluated calls, median of {args.repeats} runs, target {TARGET_MS:.0f} ms")
    for database, open_engine in databases.items():
        with open_engine() as engine:
            started = time.perf_counter()
            fill(engine, args.calls)
            print(f"{database}: filled in {time.perf_counter() - started:.1f} s")
            print(f"{database}: counts flag backfilled in {backfill_counts(engine):.2f} s")
            report(database, time_all(engine, args.repeats))


if __name__ == "__main__":
    main()
