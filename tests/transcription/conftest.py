"""Real calls through the real model: each test call is transcribed once per session and shared.

The audio and its ground truth (turn texts and times, inserted silence and overtalk) come from
`data/test_calls/`, made by `data/synthesize_calls.py` with espeak-ng.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from transcription import CallTranscript, TranscriptionOptions, transcribe_call

TEST_CALLS = Path(__file__).resolve().parents[2] / "data" / "test_calls"
STEREO_CALLS = ("en_stereo", "ru_stereo", "fa_stereo", "en_telephony_8k")
ALL_CALLS = (*STEREO_CALLS, "en_mono", "en_same_channels")


@dataclass(frozen=True)
class TranscribedCall:
    """A test recording, what the synthesiser says is in it, and what we heard."""

    audio: Path
    truth: dict[str, Any]
    transcript: CallTranscript

    def turns(self, speaker: str | None = None) -> list[dict[str, Any]]:
        return [t for t in self.truth["turns"] if speaker in (None, t["speaker"])]


class TestCallLibrary:
    """Transcribes a test call the first time a test asks for it, then hands out the result."""

    __test__ = False

    def __init__(self, options: TranscriptionOptions) -> None:
        self._options = options
        self._calls: dict[str, TranscribedCall] = {}

    def __getitem__(self, name: str) -> TranscribedCall:
        if name not in self._calls:
            truth = json.loads((TEST_CALLS / f"{name}.json").read_text(encoding="utf-8"))
            audio = TEST_CALLS / truth["audio_file"]
            self._calls[name] = TranscribedCall(audio, truth, transcribe_call(audio, self._options))
        return self._calls[name]


@pytest.fixture(scope="session")
def transcription_options() -> TranscriptionOptions:
    """The defaults a user gets (bundled base model, fa/ru/en detected), decoded repeatably.

    By default Whisper re-decodes a failing window by random sampling, which espeak-ng's Russian
    and Persian voices trigger; temperature 0 alone keeps every run of the suite the same.
    """
    return TranscriptionOptions(temperatures=(0.0,))


@pytest.fixture(scope="session")
def test_calls(transcription_options: TranscriptionOptions) -> TestCallLibrary:
    return TestCallLibrary(transcription_options)
