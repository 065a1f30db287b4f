"""Call acoustics from real transcripts, against the silence and overtalk put into the calls.

Acoustics come from word times, so they are exact only where the words were heard: the English
call is measured edge to edge. In the Russian and Persian calls the base model loses some of
espeak-ng's agent speech, which can only lengthen a silence; there the inserted silence must
still be found silent, with nothing invented inside it.
"""

from __future__ import annotations

import pytest

from tests.transcription.conftest import TestCallLibrary
from transcription.acoustics import call_metrics
from transcription.transcript import Period

# Word times from the base model land within a few tenths of a second of the true edges.
EDGE_TOLERANCE = 0.5
CALLS_WITH_HOLD_AND_OVERTALK = ("en_stereo", "ru_stereo", "fa_stereo")


def _matching(periods: tuple[Period, ...], start: float, end: float) -> list[Period]:
    return [
        p
        for p in periods
        if abs(p.start - start) <= EDGE_TOLERANCE and abs(p.end - end) <= EDGE_TOLERANCE
    ]


def test_inserted_silence_is_measured(test_calls: TestCallLibrary) -> None:
    call = test_calls["en_stereo"]
    (silence,) = call.truth["silences"]
    metrics = call.transcript.metrics
    assert _matching(metrics.silences, silence["start"], silence["end"])
    assert metrics.longest_silence == pytest.approx(
        silence["end"] - silence["start"], abs=2 * EDGE_TOLERANCE
    )
    assert metrics.total_silence >= metrics.longest_silence


@pytest.mark.parametrize("name", CALLS_WITH_HOLD_AND_OVERTALK)
def test_nothing_is_heard_in_the_inserted_silence(test_calls: TestCallLibrary, name: str) -> None:
    call = test_calls[name]
    (silence,) = call.truth["silences"]
    start, end = silence["start"] + EDGE_TOLERANCE, silence["end"] - EDGE_TOLERANCE
    words = [w for u in call.transcript.utterances for w in u.words]
    assert not [w for w in words if w.end > start and w.start < end]
    assert [s for s in call.transcript.metrics.silences if s.start <= start and s.end >= end]


def test_silence_longer_than_the_hold_threshold_is_a_hold(test_calls: TestCallLibrary) -> None:
    call = test_calls["en_stereo"]
    (silence,) = call.truth["silences"]
    inserted = silence["end"] - silence["start"]
    below = call_metrics(call.transcript.utterances, inserted - 2, min_overtalk=0.3)
    above = call_metrics(call.transcript.utterances, inserted + 2, min_overtalk=0.3)
    assert _matching(below.hold_periods, silence["start"], silence["end"])
    assert below.hold_count == 1
    assert below.hold_time == pytest.approx(inserted, abs=2 * EDGE_TOLERANCE)
    assert above.hold_periods == ()
    assert call.transcript.metrics.hold_threshold == 10.0  # the default applies otherwise


def test_inserted_overtalk_and_interruption_are_measured(test_calls: TestCallLibrary) -> None:
    call = test_calls["en_stereo"]
    (overtalk,) = call.truth["overtalk"]
    (interruption,) = call.truth["interruptions"]
    metrics = call.transcript.metrics
    assert _matching(metrics.overtalk_periods, overtalk["start"], overtalk["end"])
    assert metrics.overtalk_time == pytest.approx(
        overtalk["end"] - overtalk["start"], abs=2 * EDGE_TOLERANCE
    )
    assert [(i.by, i.on) for i in metrics.interruptions] == [
        (interruption["by"], interruption["on"])
    ]
    assert abs(metrics.interruptions[0].at - interruption["at"]) <= EDGE_TOLERANCE
    assert metrics.interruptions_by("customer") == 1 and metrics.interruptions_by("agent") == 0


def test_calls_without_overtalk_or_hold_have_none(test_calls: TestCallLibrary) -> None:
    metrics = test_calls["en_telephony_8k"].transcript.metrics
    assert metrics.overtalk_periods == () and metrics.interruptions == ()
    assert metrics.hold_periods == ()


@pytest.mark.parametrize("name", ["en_stereo", "en_telephony_8k"])
def test_talk_time_ratio_and_rate_per_party(test_calls: TestCallLibrary, name: str) -> None:
    call = test_calls[name]
    metrics = call.transcript.metrics
    assert set(metrics.speakers) == {"agent", "customer"}
    assert sum(s.talk_ratio for s in metrics.speakers.values()) == pytest.approx(1.0, abs=0.01)
    for speaker, measured in metrics.speakers.items():
        scripted = sum(t["end"] - t["start"] for t in call.turns(speaker))
        assert measured.talk_time == pytest.approx(scripted, rel=0.2)
        assert 100 < measured.words_per_minute < 260  # espeak-ng speaks at 185 words a minute
        assert measured.utterance_count == sum(
            u.speaker == speaker for u in call.transcript.utterances
        )
        assert measured.mean_loudness_dbfs is not None
        assert measured.max_loudness_dbfs is not None
        assert measured.max_loudness_dbfs >= measured.mean_loudness_dbfs
