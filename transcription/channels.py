"""Who is on which channel: split a recording into one track per speaker.

Contact-center recorders put the agent on one channel and the customer on the other. A stereo
file whose two channels carry the same signal (a mono call saved as stereo) is treated as mono,
and a mono call keeps its speaker `unknown` so later stages know nobody can be told apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from transcription.audio import DecodedAudio
from transcription.options import AgentChannel
from transcription.transcript import ChannelLayout, Speaker

# Below this RMS (about -70 dBFS) a channel is digital silence, and correlation is meaningless.
_SILENT_RMS = 3e-4


@dataclass(frozen=True)
class SpeakerTrack:
    speaker: Speaker
    samples: np.ndarray


@dataclass(frozen=True)
class SpeakerTracks:
    layout: ChannelLayout
    tracks: tuple[SpeakerTrack, ...]


def split_speakers(
    audio: DecodedAudio,
    agent_channel: AgentChannel,
    same_signal_correlation: float,
    layout: ChannelLayout | None = None,
) -> SpeakerTracks:
    """One track per party for stereo calls; a single `unknown` track otherwise. `layout`, once
    a long call's first audible window settled it, holds for every later window."""
    samples = audio.samples
    if audio.channels == 1:
        return _mono(samples[0])
    left, right = samples[0], samples[1]
    if layout == "mono" or (
        layout is None and carry_same_signal(left, right, same_signal_correlation)
    ):
        return _mono((left + right) * 0.5)
    agent, customer = (left, right) if agent_channel == "left" else (right, left)
    return SpeakerTracks(
        layout="stereo",
        tracks=(SpeakerTrack("agent", agent), SpeakerTrack("customer", customer)),
    )


def carry_same_signal(left: np.ndarray, right: np.ndarray, min_correlation: float) -> bool:
    """True when the channels are (nearly) one signal: highly correlated, or both silent."""
    left_rms, right_rms = _rms(left), _rms(right)
    if left_rms < _SILENT_RMS and right_rms < _SILENT_RMS:
        return True
    if left_rms < _SILENT_RMS or right_rms < _SILENT_RMS:
        return False  # one party silent throughout is still a two-party recording
    correlation = float(np.dot(left, right) / (len(left) * left_rms * right_rms))
    return correlation >= min_correlation


def is_silent(audio: DecodedAudio) -> bool:
    """Digital silence on every channel: nothing to tell the layout from."""
    return all(_rms(channel) < _SILENT_RMS for channel in audio.samples)


def _mono(samples: np.ndarray) -> SpeakerTracks:
    return SpeakerTracks(layout="mono", tracks=(SpeakerTrack("unknown", samples),))


def _rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0
