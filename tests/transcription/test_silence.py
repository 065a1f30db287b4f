"""Silence on calls where (almost) nobody speaks: the dead air is the whole call, not zero."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.transcription.test_long_calls import pcm_wav
from transcription import TranscriptionOptions, transcribe_call
from transcription.acoustics import EDGE_GRACE, call_metrics
from transcription.transcript import Utterance, Word


def test_a_call_with_no_speech_is_silent_for_its_whole_length() -> None:
    metrics = call_metrics([], hold_threshold=10, min_overtalk=0.3, call_duration=60.0)
    assert metrics.total_silence == metrics.longest_silence == 60.0
    assert [(p.start, p.end) for p in metrics.hold_periods] == [(0.0, 60.0)]


def test_one_word_in_a_minute_leaves_the_rest_of_the_minute_silent() -> None:
    hello = Utterance("agent", 1.0, 1.6, "Hello?", (Word(1.0, 1.6, " Hello?", 0.9),))
    metrics = call_metrics([hello], hold_threshold=10, min_overtalk=0.3, call_duration=60.0)
    assert metrics.total_silence == pytest.approx(58.4)


def test_a_few_seconds_of_ringing_and_hang_up_are_not_dead_air() -> None:
    words = (Word(3.0, 3.5, " Hi", 0.9), Word(3.6, 4.0, " there", 0.9))
    metrics = call_metrics(
        [Utterance("agent", 3.0, 4.0, "Hi there", words)], 10, 0.3, call_duration=4.0 + EDGE_GRACE
    )
    assert metrics.total_silence == 0.0


@pytest.mark.parametrize("level", [0.0, 0.001], ids=["digital silence", "line hiss"])
def test_a_silent_recording_reports_its_length_as_silence(
    tmp_path: Path, transcription_options: TranscriptionOptions, level: float
) -> None:
    noise = np.random.default_rng(3).normal(0, level, (2, 20 * 8000)).astype(np.float32)
    transcript = transcribe_call(pcm_wav(tmp_path / "silent.wav", noise), transcription_options)
    assert transcript.duration == pytest.approx(20.0, abs=0.01)
    assert transcript.metrics.total_silence == pytest.approx(20.0, abs=0.01)
