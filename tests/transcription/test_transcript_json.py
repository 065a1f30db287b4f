"""The transcript's JSON form: what the scorer, the database and the CLI exchange."""

from __future__ import annotations

import json

import pytest

from tests.transcription.conftest import TestCallLibrary
from transcription import CallTranscript


@pytest.mark.parametrize("name", ["en_stereo", "en_mono"])
def test_json_round_trip_gives_back_the_same_transcript(
    test_calls: TestCallLibrary, name: str
) -> None:
    transcript = test_calls[name].transcript
    assert CallTranscript.from_json(transcript.to_json()) == transcript
    assert CallTranscript.from_json(transcript.to_json(indent=None)) == transcript


def test_json_carries_the_fields_later_stages_read(test_calls: TestCallLibrary) -> None:
    data = json.loads(test_calls["en_stereo"].transcript.to_json())
    assert data["language"] == "en" and 0 < data["language_probability"] <= 1
    assert data["channel_layout"] == "stereo" and data["speakers_known"] is True
    assert data["duration"] == pytest.approx(42.3, abs=0.1)
    utterance = data["utterances"][0]
    assert utterance["speaker"] == "agent"
    assert {"start", "end", "text", "words", "loudness_dbfs"} <= set(utterance)
    assert set(utterance["words"][0]) == {"start", "end", "word", "probability"}
    metrics = data["metrics"]
    assert {
        "speakers",
        "total_silence",
        "longest_silence",
        "hold_periods",
        "hold_time",
        "overtalk_periods",
        "overtalk_time",
        "interruptions",
    } <= set(metrics)
    assert {"talk_time", "talk_ratio", "words_per_minute", "max_loudness_dbfs"} <= set(
        metrics["speakers"]["agent"]
    )


def test_persian_and_russian_text_stays_readable_in_json(test_calls: TestCallLibrary) -> None:
    text = test_calls["ru_stereo"].transcript.to_json()
    assert "\\u04" not in text
    assert any("\u0400" <= c <= "\u04ff" for c in text)
