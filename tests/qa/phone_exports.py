"""Phone-system export fixtures: recordings made on the fly, aged like finished files."""

from __future__ import annotations

import os
import time
import wave
from pathlib import Path

import numpy as np

AGENTS_CSV = """\
extension,agent_id,agent_name,team,recording_consent
alice,A1,Alice Brown,Cards,yes
bob,A2,Bob Green,Cards,yes
jdoe,A3,John Doe,Billing,yes
u-1,A4,Una Kim,Support,yes
"""


def write_agents(folder: Path) -> Path:
    path = folder / "agents.csv"
    path.write_text(AGENTS_CSV, encoding="utf-8")
    return path


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    """PCM16 WAV of `samples` (channels, frames) in [-1, 1]; the file's write is long past."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = (np.clip(samples.T, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(samples.shape[0])
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(frames.tobytes())
    age(path)
    return path


def write_tones(path: Path, channels: int = 2, rate: int = 8000, seconds: float = 1.0) -> Path:
    """A short recording with a different tone on each channel; the tones differ from file to
    file, so no two recordings are the same (callqa refuses one recording stored twice)."""
    t = np.arange(int(rate * seconds)) / rate
    base = 200 + sum(path.name.encode()) % 400
    samples = np.stack([0.3 * np.sin(2 * np.pi * (base + 150 * c) * t) for c in range(channels)])
    return write_wav(path, samples, rate)


def write_leg(path: Path, start: float, seconds: float, hertz: float, total: float) -> Path:
    """A telephone leg (8 kHz mono): one party's tone from `start` for `seconds`, silence
    elsewhere, `total` seconds long."""
    rate = 8000
    samples = np.zeros(int(total * rate), dtype=np.float32)
    t = np.arange(int(seconds * rate)) / rate
    first = int(start * rate)
    samples[first : first + t.size] = 0.5 * np.sin(2 * np.pi * hertz * t)
    return write_wav(path, samples[np.newaxis, :], rate)


def age(path: Path, seconds: float = 600) -> None:
    """Make a file look finished: its last write long ago."""
    past = time.time() - seconds
    os.utime(path, (past, past))
