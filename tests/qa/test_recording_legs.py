"""Calls recorded as two mono legs (MixMonitor r()/t(), Monitor's -in/-out) are merged into one
two-channel recording, the agent on the configured side, before they are registered."""

from __future__ import annotations

import os
from datetime import UTC
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from qa.settings import Settings
from qa.storage.db import session_scope
from qa.storage.models import Call
from qa.telephony.asterisk_cdr import read_cdr_file
from qa.telephony.asterisk_import import plan_import
from qa.telephony.recording_legs import Leg, RecordingLegs, leg_of, merge_legs
from qa.telephony.registration import (
    ConsentRule,
    ImportPlan,
    ImportSettings,
    read_agent_table,
    register_plan,
)
from tests.qa.phone_exports import write_leg
from tests.qa.test_asterisk_import import AGENTS_CSV, MASTER_CSV
from transcription.audio import decode_audio
from transcription.channels import split_speakers

# The answered, consented queue call of MASTER_CSV (uniqueid 1763622000.11, agent 1001).
BASE = "q-500-09121234567-20261120-100000-1763622000.11"
CALL_ID = "asterisk-1763622000.11"


@pytest.fixture
def pbx(tmp_path: Path) -> Path:
    (tmp_path / "Master.csv").write_text(MASTER_CSV, encoding="utf-8")
    (tmp_path / "agents.csv").write_text(AGENTS_CSV, encoding="utf-8")
    day = tmp_path / "monitor" / "2026" / "11" / "20"
    day.mkdir(parents=True)
    # Inbound: MixMonitor on the caller's channel receives the caller and transmits the agent.
    write_leg(day / f"{BASE}-in.wav", start=1.0, seconds=1.5, hertz=880, total=2.5)
    write_leg(day / f"{BASE}-out.wav", start=0.0, seconds=1.0, hertz=440, total=2.0)
    return tmp_path


def _settings(
    pbx: Path, agent_channel: str = "right", agent_leg: Leg = "transmit", consent: str = "yes"
) -> ImportSettings:
    return ImportSettings(
        client="Harper Valley Bank",
        recordings=pbx / "monitor",
        agents=read_agent_table(pbx / "agents.csv"),
        consent=ConsentRule(column="userfield", value=f"consent={consent}"),
        agent_channel=agent_channel,
        agent_leg=agent_leg,
    )


def _plan(pbx: Path, agent_channel: str = "right", **settings: str) -> ImportPlan:
    return plan_import(
        read_cdr_file(pbx / "Master.csv", UTC).records,
        {},
        _settings(pbx, agent_channel, **settings),  # type: ignore[arg-type]
    )


def test_leg_files_are_known_by_their_suffix() -> None:
    assert leg_of(Path("x-1.2-in.wav")) == ("x-1.2.wav", "receive")
    assert leg_of(Path("x-1.2-t.WAV")) == ("x-1.2.WAV", "transmit")
    assert leg_of(Path("x-1.2.wav")) is None


def test_two_legs_of_a_call_are_found_by_uniqueid_and_the_agent_leg_is_told_apart(
    pbx: Path,
) -> None:
    [(row, source)] = _plan(pbx).recorded
    assert isinstance(source, RecordingLegs)
    assert row.audio_file == f"{BASE}.wav"
    assert source.agent.name.endswith("-out.wav") and source.customer.name.endswith("-in.wav")


def test_the_agent_leg_setting_says_which_leg_is_the_agent_on_inbound_calls(pbx: Path) -> None:
    [(_, source)] = _plan(pbx, agent_leg="receive").recorded
    assert isinstance(source, RecordingLegs)
    assert source.agent.name.endswith("-in.wav") and source.customer.name.endswith("-out.wav")


def test_two_legs_are_preferred_to_a_mono_mix_of_the_same_call(pbx: Path) -> None:
    day = pbx / "monitor" / "2026" / "11" / "20"
    write_leg(day / f"{BASE}.wav", start=0.0, seconds=2.0, hertz=660, total=2.5)
    [(_, source)] = _plan(pbx).recorded
    assert isinstance(source, RecordingLegs)


@pytest.mark.parametrize("agent_channel", ["left", "right"])
def test_merged_legs_are_a_stereo_call_with_the_agent_on_the_configured_side(
    pbx: Path, tmp_path: Path, agent_channel: str
) -> None:
    [(_, source)] = _plan(pbx, agent_channel).recorded
    assert isinstance(source, RecordingLegs)
    merged = merge_legs(source, agent_channel, tmp_path, max_duration=3600.0)
    audio = decode_audio(merged, max_duration=3600.0)
    assert audio.channels == 2 and audio.duration == pytest.approx(2.5, abs=0.01)
    tracks = split_speakers(audio, agent_channel, 0.97)  # type: ignore[arg-type]
    assert tracks.layout == "stereo"
    agent, customer = (track.samples for track in tracks.tracks)
    second = 16000
    # The agent (440 Hz) speaks in the first second, the customer (880 Hz) after it.
    assert np.abs(agent[: second - 800]).mean() > 0.2 > np.abs(agent[second + 800 :]).mean()
    assert np.abs(customer[: second - 800]).mean() < 0.01 < np.abs(customer[second + 800 :]).mean()


def test_a_lone_leg_is_a_problem_and_the_call_keeps_its_metadata(pbx: Path) -> None:
    (pbx / "monitor" / "2026" / "11" / "20" / f"{BASE}-in.wav").unlink()
    plan = _plan(pbx)
    assert not plan.recorded
    assert any("only the transmit leg" in problem for problem in plan.problems)


def test_registered_legs_are_stored_as_one_stereo_file_and_the_legs_left_as_they_were(
    pbx: Path, database_url: str, tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path / "home")
    report = register_plan(database_url, _plan(pbx), settings)
    [call_id] = report.to_process
    with session_scope(database_url) as session:
        stored = Path(session.get_one(Call, call_id).audio_path or "")
    assert stored.is_relative_to(settings.audio_dir)
    assert decode_audio(stored, max_duration=3600.0).channels == 2
    assert len(list((pbx / "monitor").rglob(f"{BASE}-*.wav"))) == 2  # the PBX's files are read
    again = register_plan(database_url, _plan(pbx), settings)
    assert again.new == 0 and again.to_process == [call_id]  # known, not yet processed
    assert [p.name for p in settings.audio_dir.rglob("*") if p.is_file()] == [stored.name]


def test_legs_without_consent_leave_no_merged_file_behind(
    pbx: Path, database_url: str, tmp_path: Path
) -> None:
    settings = Settings(home=tmp_path / "home")
    report = register_plan(database_url, _plan(pbx, consent="nobody"), settings)
    assert report.to_process == []
    with session_scope(database_url) as session:
        call = session.scalars(select(Call).where(Call.external_id == CALL_ID)).one()
        assert call.audio_path is None
    assert not settings.audio_dir.exists() or not any(settings.audio_dir.rglob("*"))


def test_a_leg_that_cannot_be_decoded_is_a_problem_that_masks_the_callers_number(
    pbx: Path, database_url: str, tmp_path: Path
) -> None:
    leg = pbx / "monitor" / "2026" / "11" / "20" / f"{BASE}-in.wav"
    leg.write_bytes(b"RIFF\x00\x00not audio at all" * 100)
    os.utime(leg, (0, 0))
    report = register_plan(database_url, _plan(pbx), Settings(home=tmp_path / "home"))
    [problem] = [p for p in report.problems if p.startswith(CALL_ID)]
    assert "09121234567" not in problem
