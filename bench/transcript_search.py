"""Time transcript search on synthetic calls: the full-text index against a LIKE scan.

    .venv/bin/python bench/transcript_search.py [--calls 5000] [--utterances 20] [--postgres]

Builds a fresh database (a temporary SQLite file, or with --postgres a temporary database at
CALLQA_BENCH_POSTGRES_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/postgres), fills
it with calls whose utterances are random words from a small Russian and English vocabulary
(plus one rare word), and times `search_transcripts` as an admin and as a client viewer. The
baseline, measured in the same run, is the same query matching every word with LIKE '%word%'
(what a search without the index has to do). Prints median milliseconds and the speed-up.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

from sqlalchemy import and_, create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.queries import transcript_search  # noqa: E402
from qa.queries.access import Viewer  # noqa: E402
from qa.storage.db import make_engine  # noqa: E402
from qa.storage.migrate import upgrade_to_head  # noqa: E402
from qa.storage.models import (  # noqa: E402
    Call,
    Client,
    Role,
    Transcript,
    TranscriptUtterance,
)

WORDS = [
    "hello",
    "thank",
    "you",
    "please",
    "card",
    "payment",
    "order",
    "refund",
    "delivery",
    "account",
    "balance",
    "password",
    "здравствуйте",
    "спасибо",
    "пожалуйста",
    "карта",
    "оплата",
    "заказ",
    "возврат",
    "доставка",
    "счёт",
    "баланс",
]
RARE = "chargeback"
QUERIES = ("спасибо карта", "refund delivery", RARE)


def fill(url: str, calls: int, per_call: int) -> None:
    random.seed(7)
    engine = make_engine(url)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as connection:
        clients = [{"id": 1, "name": "A", "created_at": start}, {"id": 2, "name": "B", "created_at": start}]  # fmt: skip  # noqa: E501
        connection.execute(insert(Client), clients)
        connection.execute(insert(Call), [
            {"id": i, "external_id": f"c{i}", "client_id": 1 + i % 2, "started_at":
             start + timedelta(minutes=i), "customer_consent": True, "agent_consent": True,
             "direction": "inbound", "agent_channel": "left", "status": "done", "attempts": 0,
             "created_at": start, "updated_at": start}
            for i in range(1, calls + 1)
        ])  # fmt: skip
        connection.execute(insert(Transcript), [
            {"id": i, "call_id": i, "language": "ru", "language_probability": 1.0,
             "duration": 60.0, "channel_layout": "stereo", "model": "bench", "metrics": {},
             "longest_silence": 0.0, "hold_time": 0.0, "total_silence": 0.0, "created_at": start}
            for i in range(1, calls + 1)
        ])  # fmt: skip
        rows = []
        for call in range(1, calls + 1):
            for position in range(per_call):
                words = random.choices(WORDS, k=10)
                if random.random() < 0.001:
                    words.append(RARE)
                rows.append({"transcript_id": call, "position": position, "speaker": "agent",
                             "start": 3.0 * position, "end": 3.0 * position + 2.5,
                             "text": " ".join(words), "words": []})  # fmt: skip
            if len(rows) > 20_000:
                connection.execute(insert(TranscriptUtterance), rows)
                rows = []
        if rows:
            connection.execute(insert(TranscriptUtterance), rows)
        connection.execute(text("ANALYZE"))
    engine.dispose()


def like_matches(session: Session, words: list[str]):  # type: ignore[no-untyped-def]
    return and_(*(TranscriptUtterance.text.ilike(f"%{word}%") for word in words))


def median_ms(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        run()
        times.append(1000 * (time.perf_counter() - began))
    return statistics.median(times)


def bench(url: str, repeats: int) -> None:
    engine = make_engine(url)
    viewers = {"admin": Viewer(1, "admin", Role.admin),
               "client": Viewer(2, "client", Role.client_viewer, client_id=1)}  # fmt: skip
    with Session(engine) as session:
        for query in QUERIES:
            for name, viewer in viewers.items():

                def indexed(viewer: Viewer = viewer, query: str = query) -> object:
                    return transcript_search.search_transcripts(session, viewer, query)

                def scanned(viewer: Viewer = viewer, query: str = query) -> object:
                    with mock.patch.object(transcript_search, "_matches", like_matches):
                        return transcript_search.search_transcripts(session, viewer, query)

                fast, slow = median_ms(indexed, repeats), median_ms(scanned, repeats)
                hits = len(indexed())
                print(f"  {query!r:<20} {name:<7} {hits:>4} hits  index {fast:8.1f} ms  "
                      f"LIKE {slow:8.1f} ms  speed-up {slow / fast:6.1f}x")  # fmt: skip
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--utterances", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    print(f"{args.calls} calls x {args.utterances} utterances")
    if args.postgres:
        admin_url = os.environ.get(
            "CALLQA_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        )
        name = f"callqa_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        try:
            upgrade_to_head(url)
            fill(url, args.calls, args.utterances)
            print("PostgreSQL")
            bench(url, args.repeats)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        return
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        upgrade_to_head(url)
        fill(url, args.calls, args.utterances)
        print("SQLite")
        bench(url, args.repeats)


if __name__ == "__main__":
    main()
