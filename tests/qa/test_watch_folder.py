"""`qa watch`: a real watcher process takes each recording once, only after it stops growing,
and a restart after kill -9 neither loses nor repeats a call."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import select

from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus
from tests.conftest import REPO_ROOT
from tests.qa.conftest import DEMO_DIR, run_cli

CALLS = ("demo_ru_no_consent", "demo_fa_no_consent")  # metadata only: no model time needed


def _write_manifest(folder: Path) -> None:
    with (DEMO_DIR / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = [r for r in reader if r["call_id"] in CALLS]
        fields = list(reader.fieldnames or [])
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _copy(name: str, folder: Path, age: float) -> None:
    target = folder / f"{name}.ogg"
    shutil.copy(DEMO_DIR / f"{name}.ogg", target)
    moment = time.time() - age
    os.utime(target, (moment, moment))


def _keep_writing(path: Path, writing: threading.Event) -> None:
    """What a phone system does while a call is recorded: the file keeps changing."""
    while writing.is_set():
        os.utime(path)
        time.sleep(0.3)


def _watcher(folder: Path, home: Path, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "qa", "watch", str(folder), "--interval", "1",
         "--settle-seconds", "2"],
        cwd=REPO_ROOT,
        env={**os.environ, "CALLQA_HOME": str(home), "DATABASE_URL": url},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _calls(url: str) -> dict[str, CallStatus]:
    with session_scope(url) as session:
        return {c.external_id: c.status for c in session.scalars(select(Call))}


def _wait_for(condition, seconds: float = 60) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def test_watcher_takes_settled_files_once_across_a_kill(tmp_path: Path) -> None:
    home, folder = tmp_path / "home", tmp_path / "incoming"
    home.mkdir()
    folder.mkdir()
    url = f"sqlite:///{home / 'callqa.sqlite3'}"
    assert run_cli("init", home=home, database_url=url).returncode == 0
    _write_manifest(folder)
    _copy(CALLS[0], folder, age=600)
    _copy(CALLS[1], folder, age=0)
    writing = threading.Event()
    writing.set()
    threading.Thread(target=_keep_writing, args=(folder / f"{CALLS[1]}.ogg", writing)).start()

    watcher = _watcher(folder, home, url)
    try:
        assert _wait_for(lambda: CALLS[0] in _calls(url)), "the settled recording was not taken"
        time.sleep(3)  # more rounds while the second file is still being written
        assert CALLS[1] not in _calls(url)
        writing.clear()
        watcher.send_signal(signal.SIGKILL)
        watcher.wait(timeout=10)

        watcher = _watcher(folder, home, url)
        assert _wait_for(lambda: CALLS[1] in _calls(url)), "the late recording was never taken"
        time.sleep(2)  # a few more rounds: nothing is taken twice
    finally:
        writing.clear()
        watcher.kill()
        output = watcher.communicate(timeout=10)[0]
    assert "Traceback" not in output
    assert _calls(url) == dict.fromkeys(CALLS, CallStatus.rejected_no_consent)
