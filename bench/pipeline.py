"""Whole-pipeline throughput against the transcription stage alone, measured in the same run.

    nice -n 10 .venv/bin/python bench/pipeline.py [--workers 2] [--rounds 2] [--folder data/demo]

Both runs take the consented calls of the folder's manifest through a pool of `--workers`
spawned processes that each load the model once. The baseline only transcribes; the pipeline
run ingests into a fresh database (SQLite, or a new PostgreSQL database with --postgres) and
transcribes, redacts, scores with every shipped scorecard (the learned rude-language check
included: the run fails unless its verdicts record the model) and stores. Prints audio minutes
per wall minute for each and their ratio (target: the pipeline keeps at least 90%).

On a shared machine the load changes while the benchmark runs, so the two are measured in
`--rounds` alternating pairs (baseline first, then pipeline first, ...) and the ratio is taken
over the summed wall times; each round's own ratio is printed too.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from qa.pipeline.ingest import ingest_manifest  # noqa: E402
from qa.pipeline.runner import run_calls  # noqa: E402
from qa.pipeline.transcribe import load_model_once, transcribe, transcription_options  # noqa: E402
from qa.settings import Settings  # noqa: E402
from qa.storage.bootstrap import initialize_database  # noqa: E402
from qa.storage.db import session_scope  # noqa: E402
from qa.storage.models import Call, CallStatus, CriterionVerdictRecord  # noqa: E402

TARGET_RATIO = 0.90
DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"

_settings: Settings | None = None


def consented_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if r["customer_consent"] == "true" and r["agent_consent"] == "true"]


def _init(settings: Settings) -> None:
    global _settings
    _settings = settings
    load_model_once(settings)


def _transcribe_only(path: str, language: str, agent_channel: str) -> float:
    assert _settings is not None
    options = transcription_options(_settings, language, agent_channel)
    return transcribe(Path(path), options).duration


def transcription_stage(folder: Path, settings: Settings, workers: int) -> tuple[float, float]:
    """(audio seconds, wall seconds) of transcribing every consented call, nothing else."""
    rows = consented_rows(folder)
    started = time.perf_counter()
    with ProcessPoolExecutor(
        workers, multiprocessing.get_context("spawn"), initializer=_init, initargs=(settings,)
    ) as pool:
        futures = [
            pool.submit(
                _transcribe_only, str(folder / r["audio_file"]), r["language"], r["agent_channel"]
            )
            for r in rows
        ]
        audio = sum(f.result() for f in futures)
    return audio, time.perf_counter() - started


def whole_pipeline(
    folder: Path, settings: Settings, workers: int, database_url: str
) -> tuple[float, float]:
    """(audio seconds, wall seconds) of ingest + transcribe + redact + score + store."""
    initialize_database(database_url)
    started = time.perf_counter()
    report = ingest_manifest(database_url, folder / "manifest.csv", settings)
    outcomes = run_calls(database_url, report.to_process, settings, workers=workers)
    wall = time.perf_counter() - started
    if outcomes[CallStatus.done] != len(report.to_process):
        raise SystemExit(f"not every call was processed: {dict(outcomes)}")
    with session_scope(database_url) as session:
        audio = session.scalar(select(func.sum(Call.duration))) or 0.0
        learned = session.scalar(
            select(func.count()).where(CriterionVerdictRecord.learned_models != [])
        )
    if not learned:
        raise SystemExit("no verdict records a learned model: the classifier did not run")
    return audio, wall


RUNS = ("transcription", "pipeline")


def one_round(
    args: argparse.Namespace, tmp: Path, round_: int, order: tuple[str, ...]
) -> dict[str, tuple[float, float]]:
    """Both runs, in `order`, each on a fresh home and database."""
    settings = Settings(home=tmp / f"home{round_}", workers=args.workers)
    url = args.postgres or f"sqlite:///{tmp / f'bench{round_}.sqlite3'}"
    measured = {}
    for name in order:
        if name == "transcription":
            measured[name] = transcription_stage(args.folder, settings, args.workers)
        else:
            measured[name] = whole_pipeline(args.folder, settings, args.workers, url)
    return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--folder", type=Path, default=DEMO_DIR)
    parser.add_argument("--postgres", help="run the pipeline on this (new, empty) database URL")
    args = parser.parse_args()
    if args.postgres and args.rounds != 1:
        parser.error("--postgres needs --rounds 1 (each round needs a new, empty database)")
    totals = {"transcription": [0.0, 0.0], "pipeline": [0.0, 0.0]}
    with tempfile.TemporaryDirectory(prefix="callqa-bench-") as tmp:
        for round_ in range(args.rounds):
            order = RUNS if round_ % 2 == 0 else RUNS[::-1]
            measured = one_round(args, Path(tmp), round_, order)
            for name, (audio, wall) in measured.items():
                totals[name][0] += audio
                totals[name][1] += wall
            (audio_t, wall_t), (audio_p, wall_p) = measured["transcription"], measured["pipeline"]
            print(
                f"round {round_ + 1} ({' first, '.join(order)} second): transcription "
                f"{wall_t:.1f} s, pipeline {wall_p:.1f} s, "
                f"ratio {(audio_p / wall_p) / (audio_t / wall_t):.1%}"
            )
    (audio_t, wall_t), (audio_p, wall_p) = totals["transcription"], totals["pipeline"]
    speed_t, speed_p = audio_t / wall_t, audio_p / wall_p
    ratio = speed_p / speed_t
    print(
        f"calls: {len(consented_rows(args.folder))}, audio {audio_t / args.rounds / 60:.2f} min "
        f"per round, {args.rounds} round(s), {args.workers} worker process(es), "
        f"database {'postgresql' if args.postgres else 'sqlite'}"
    )
    print(f"transcription stage alone: {speed_t:6.2f} audio min / wall min ({wall_t:.1f} s)")
    print(f"whole pipeline:            {speed_p:6.2f} audio min / wall min ({wall_p:.1f} s)")
    verdict = "meets" if ratio >= TARGET_RATIO else "misses"
    print(f"pipeline / transcription:  {ratio:6.1%} ({verdict} the {TARGET_RATIO:.0%} target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
