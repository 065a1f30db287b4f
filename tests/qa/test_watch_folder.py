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

import numpy as np
import pytest
from sqlalchemy import select

from qa.pipeline.ingest import ingest_manifest
from qa.pipeline.watch import watch_round
from qa.settings import Settings
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus
from tests.conftest import REPO_ROOT
from tests.qa.conftest import DEMO_DIR, run_cli
from tests.qa.phone_exports import write_leg
from transcription.audio import decode_audio
from transcription.channels import split_speakers

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


LEG_HEADER = "call_id,audio_file,client,started_at,customer_consent,agent_consent,agent_channel\n"
LEG_BASE = "in-8001-09121234567-20261120-100000-1763622000.11"


def _legs_folder(folder: Path, rows: list[str]) -> None:
    """A PBX that writes each call as MixMonitor r()/t() legs and a manifest row per call or leg:
    the caller (880 Hz) is received, the agent (440 Hz, first second) transmitted."""
    folder.mkdir()
    write_leg(folder / f"{LEG_BASE}-in.wav", start=1.0, seconds=1.5, hertz=880, total=2.5)
    write_leg(folder / f"{LEG_BASE}-out.wav", start=0.0, seconds=1.0, hertz=440, total=2.0)
    lines = [
        f"call-1,{audio},Harper Valley Bank,2026-11-20T10:00:00,yes,yes,left\n" for audio in rows
    ]
    (folder / "manifest.csv").write_text(LEG_HEADER + "".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    "rows",
    [[f"{LEG_BASE}.wav"], [f"{LEG_BASE}-in.wav", f"{LEG_BASE}-out.wav"]],
    ids=["a row naming the mix", "a row per leg"],
)
def test_a_call_written_as_two_legs_is_taken_as_one_stereo_call(
    tmp_path: Path, database_url: str, rows: list[str]
) -> None:
    folder, settings = tmp_path / "incoming", Settings(home=tmp_path / "home")
    _legs_folder(folder, rows)
    result = watch_round(database_url, folder, settings, settle_seconds=2)
    assert [str(p) for p in result.report.problems] == []
    assert (result.waiting, [c.new for c in result.report.calls]) == (0, [True])
    with session_scope(database_url) as session:
        call = session.scalars(select(Call)).one()
        stored = Path(call.audio_path or "")
    audio = decode_audio(stored, max_duration=3600.0)
    tracks = split_speakers(audio, "left", 0.97)
    assert tracks.layout == "stereo"
    agent = tracks.tracks[0].samples
    second = 16000  # the transmitted leg, the agent on inbound calls, is on the left
    assert np.abs(agent[: second - 800]).mean() > 0.2 > np.abs(agent[second + 800 :]).mean()
    assert sorted(p.name for p in folder.iterdir())[:2] == [
        f"{LEG_BASE}-in.wav",
        f"{LEG_BASE}-out.wav",
    ]
    again = watch_round(database_url, folder, settings, settle_seconds=2)
    assert [c.new for c in again.report.calls] == [False]


def test_a_leg_whose_partner_has_not_arrived_waits(tmp_path: Path, database_url: str) -> None:
    folder, settings = tmp_path / "incoming", Settings(home=tmp_path / "home")
    _legs_folder(folder, [f"{LEG_BASE}-in.wav"])
    (folder / f"{LEG_BASE}-out.wav").unlink()
    result = watch_round(database_url, folder, settings, settle_seconds=2)
    assert (result.waiting, result.report.calls) == (1, [])


def test_ingest_reports_a_lone_leg_and_takes_the_mix_a_leg_row_names_beside_it(
    tmp_path: Path, database_url: str
) -> None:
    folder, settings = tmp_path / "incoming", Settings(home=tmp_path / "home")
    _legs_folder(folder, [f"{LEG_BASE}-in.wav"])
    (folder / f"{LEG_BASE}-out.wav").unlink()
    lone = ingest_manifest(database_url, folder / "manifest.csv", settings)
    assert [c.call_id for c in lone.calls] == []
    [problem] = [str(p) for p in lone.problems]
    assert f"only the receive leg {LEG_BASE}-in.wav of {LEG_BASE}.wav was found" in problem

    write_leg(folder / f"{LEG_BASE}.wav", start=0.0, seconds=2.0, hertz=660, total=2.5)
    mixed = ingest_manifest(database_url, folder / "manifest.csv", settings)
    assert (mixed.problems, [c.new for c in mixed.calls]) == ([], [True])
    with session_scope(database_url) as session:
        stored = Path(session.scalars(select(Call)).one().audio_path or "")
    assert stored.read_bytes() == (folder / f"{LEG_BASE}.wav").read_bytes()  # the mix, not a leg
