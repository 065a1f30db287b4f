"""Short spoken calls made on the spot (espeak-ng + sox), for tests that need many quick calls.

Each call is a few seconds of stereo speech with its own words (so its own sha256), with a
manifest row; transcribing one takes a second or two with the bundled model.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

LINES = (
    "Hello, thank you for calling Harper Valley Bank, how can I help you today",
    "I would like to check the balance on my account please",
)


NEEDS_TOOLS = "espeak-ng and sox are needed to synthesise calls"


def tools_available() -> bool:
    return bool(shutil.which("espeak-ng") and shutil.which("sox"))


def make_calls(folder: Path, count: int, prefix: str = "syn") -> Path:
    """`count` recordings and their manifest.csv in `folder`; returns the manifest path."""
    if not tools_available():
        pytest.skip(NEEDS_TOOLS)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for number in range(count):
        call_id = f"{prefix}_{number:03d}"
        wav = folder / f"{call_id}.wav"
        _speak(folder, wav, f"{LINES[0]}. Call number {number}.", LINES[1])
        rows.append(
            {
                "call_id": call_id,
                "audio_file": wav.name,
                "agent_id": "A1",
                "agent_name": "Anna Smith",
                "client": "Harper Valley Bank",
                "started_at": "2026-11-20T12:00:00+03:30",
                "customer_consent": "true",
                "agent_consent": "true",
                "language": "en",
            }
        )
    manifest = folder / "manifest.csv"
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return manifest


def _speak(folder: Path, wav: Path, agent: str, customer: str) -> None:
    """Agent on the left channel, then the customer on the right, at 8 kHz like a phone."""
    left, right = folder / f"{wav.stem}.l.wav", folder / f"{wav.stem}.r.wav"
    subprocess.run(["espeak-ng", "-s", "190", "-w", str(left), agent], check=True)
    subprocess.run(["espeak-ng", "-s", "190", "-w", str(right), customer], check=True)
    mono_l, mono_r = folder / f"{wav.stem}.ml.wav", folder / f"{wav.stem}.mr.wav"
    # Customer speaks after the agent: pad each side with the other's length of silence.
    length = subprocess.run(
        ["soxi", "-D", str(left)], check=True, capture_output=True, text=True
    ).stdout.strip()
    subprocess.run(["sox", str(left), "-r", "8000", str(mono_l), "pad", "0", "3"], check=True)
    subprocess.run(["sox", str(right), "-r", "8000", str(mono_r), "pad", length, "0"], check=True)
    subprocess.run(["sox", "-M", str(mono_l), str(mono_r), str(wav)], check=True)
    for part in (left, right, mono_l, mono_r):
        part.unlink()
