"""The watch folder: each file once, across restarts, never one still being written."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
import wave
from pathlib import Path

from sqlalchemy import func, select

from qa.pipeline.manifest import COLUMNS
from qa.storage.db import session_scope
from qa.storage.models import Call
from tests.conftest import REPO_ROOT


def _recording(path: Path, age: float) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 8000 + path.stem.encode().ljust(8, b"\0"))
    os.utime(path, (time.time() - age, time.time() - age))


def _watch(folder: Path, database_url: str, home: Path) -> subprocess.CompletedProcess[str]:
    """A fresh process each time: a restart of the watcher."""
    env = {**os.environ, "DATABASE_URL": database_url, "CALLQA_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "qa", "watch", str(folder), "--once", "--settle-seconds", "5"],
        capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120,
    )  # fmt: skip


def _stored(database_url: str) -> int:
    with session_scope(database_url) as session:
        return int(session.scalar(select(func.count(Call.id))) or 0)


def test_watch_takes_each_call_once_across_restarts_and_waits_for_growing_files(
    database_url: str, tmp_path: Path
) -> None:
    folder, home = tmp_path / "drop", tmp_path / "home"
    folder.mkdir()
    _recording(folder / "done.wav", age=60)
    _recording(folder / "growing.wav", age=0)
    with (folder / "manifest.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        for call_id, name in (("w1", "done.wav"), ("w2", "growing.wav")):
            writer.writerow(
                {"call_id": call_id, "audio_file": name, "client": "Bank",
                 "started_at": "2026-11-02T09:00:00", "customer_consent": "no",
                 "agent_consent": "yes", "direction": "inbound", "agent_channel": "left"}
            )  # fmt: skip
    os.utime(folder / "manifest.csv", (time.time() - 60, time.time() - 60))

    first = _watch(folder, database_url, home)
    assert first.returncode == 0, first.stderr
    assert "growing.wav is still being written" in first.stdout
    assert _stored(database_url) == 1

    os.utime(folder / "growing.wav", (time.time() - 60, time.time() - 60))
    second = _watch(folder, database_url, home)
    assert second.returncode == 0, second.stderr
    assert "1 new call(s)" in second.stdout
    assert _stored(database_url) == 2

    third = _watch(folder, database_url, home)
    assert third.returncode == 0 and "new call" not in third.stdout
    assert _stored(database_url) == 2
