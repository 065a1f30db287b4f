"""A call recorded as two mono legs becomes one two-channel recording before it is ingested.

Asterisk's MixMonitor `r(<file>)`/`t(<file>)` options (and the older Monitor application) write
what the recorded channel sends ("receive", `-in`, `-r`, `-rx`) and what it is sent
("transmit", `-out`, `-t`, `-tx`) as separate files beside, or instead of, the mix. Two legs
give the stereo layout a mono mix lacks, so agent and customer come from the channels rather
than from telling two voices apart.
"""

from __future__ import annotations

import re
import wave
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Literal

import numpy as np

from qa.i18n import _

Leg = Literal["receive", "transmit"]
# Inbound calls: MixMonitor runs on the caller's channel, so what it transmits to the caller is
# the agent; outbound calls are recorded on the agent's own channel and take the other leg.
INBOUND_AGENT_LEG: Leg = "transmit"
LEG_SUFFIXES: dict[str, Leg] = {
    "in": "receive",
    "r": "receive",
    "rx": "receive",
    "out": "transmit",
    "t": "transmit",
    "tx": "transmit",
}
_LEG_NAMES = "|".join(LEG_SUFFIXES)
# What a leg file adds before its extension, for other patterns that must match legs too.
LEG_SUFFIX = f"(?i:-(?:{_LEG_NAMES}))"
_LEG_FILE = re.compile(rf"^(?P<base>.+)-(?P<leg>{_LEG_NAMES})(?P<ext>\.[A-Za-z0-9]+)$", re.I)


@dataclass(frozen=True)
class RecordingLegs:
    """One call's two leg files, already told apart: which one carries the agent."""

    agent: Path
    customer: Path

    @property
    def name(self) -> str:
        """`<base>.wav`: the merged recording's name, the one MixMonitor gives the mix."""
        split = leg_of(self.agent)
        return f"{Path(split[0]).stem if split else self.agent.stem}.wav"

    @property
    def last_written(self) -> float:
        """When either leg last grew: the pair is finished only when both are."""
        return max(self.agent.stat().st_mtime, self.customer.stat().st_mtime)


# A call's recording: one file, or two legs that are merged into one before it is registered.
Recording = Path | RecordingLegs


def last_written(recording: Recording) -> float:
    """When the recording last changed: a file still growing is not finished."""
    if isinstance(recording, RecordingLegs):
        return recording.last_written
    return recording.stat().st_mtime


def agent_first(legs: dict[Leg, Path], direction: str, inbound_agent_leg: Leg) -> RecordingLegs:
    """Which leg is the agent's: `inbound_agent_leg` on inbound calls, the other on outbound."""
    agent_leg = inbound_agent_leg
    if direction == "outbound":
        agent_leg = _other(agent_leg)
    return RecordingLegs(agent=legs[agent_leg], customer=legs[_other(agent_leg)])


def _other(leg: Leg) -> Leg:
    return "receive" if leg == "transmit" else "transmit"


def mix_or_legs(
    mix_name: str, legs: dict[Leg, Path], mix: Path | None
) -> tuple[Path | dict[Leg, Path] | None, str]:
    """What a call the PBX may record as two legs is read from: both legs, preferred to a mono
    mix since each carries one party; else the mix. One leg alone is a problem (the reason is
    returned): it holds only half the call. Neither: (None, "")."""
    if len(legs) == 2:
        return legs, ""
    if mix is not None:
        return mix, ""
    if legs:
        [(leg, path)] = legs.items()
        return None, _("only the {leg} leg {file} of {recording} was found").format(
            leg=leg, file=path.name, recording=mix_name
        )
    return None, ""


def legs_beside(recording: Path) -> dict[Leg, Path]:
    """The leg files beside `recording` (a mix's path, or either leg's) that belong to it:
    both of them when the phone system wrote the call as two legs. Only the names a leg could
    have are looked up, so a folder of thousands of recordings is not read for each one."""
    split = leg_of(recording)
    mix = Path(split[0] if split else recording.name)
    legs: dict[Leg, Path] = {}
    for suffix, leg in LEG_SUFFIXES.items():
        for spelling in (suffix, suffix.upper()):
            path = recording.with_name(f"{mix.stem}-{spelling}{mix.suffix}")
            if leg not in legs and path.is_file():
                legs[leg] = path
    return legs


def leg_of(path: PurePath) -> tuple[str, Leg] | None:
    """(the recording's base name, its leg) for a leg file; None for any other file."""
    match = _LEG_FILE.match(path.name)
    if match is None:
        return None
    return match.group("base") + match.group("ext"), LEG_SUFFIXES[match.group("leg").lower()]


def merge_legs(legs: RecordingLegs, agent_channel: str, folder: Path, max_duration: float) -> Path:
    """The two legs as one 16-bit two-channel WAV in `folder`, the agent on `agent_channel`
    (left or right); the shorter leg is padded with silence (a leg stops when its party stops
    being recorded). A leg that cannot be decoded raises the transcription error saying why."""
    from transcription.audio import SAMPLE_RATE  # PyAV loads when audio is read, not at start-up

    agent, customer = (_mono(legs.agent, max_duration), _mono(legs.customer, max_duration))
    length = max(len(agent), len(customer))
    agent, customer = (np.pad(s, (0, length - len(s))) for s in (agent, customer))
    channels = (agent, customer) if agent_channel == "left" else (customer, agent)
    pcm = (np.clip(np.stack(channels, axis=1), -1.0, 1.0) * 32767).astype("<i2")
    target = folder / legs.name
    with wave.open(str(target), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())
    return target


def _mono(path: Path, max_duration: float) -> np.ndarray:
    # A leg is one party; a leg saved as stereo is that party twice.
    from transcription.audio import decode_audio

    return decode_audio(path, max_duration).samples.mean(axis=0)
