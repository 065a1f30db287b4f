"""metric_threshold (call acoustics) and metadata_threshold (telephony and survey facts)."""

from __future__ import annotations

import pytest

from scorecards import CallMetadata
from tests.scorecards.calls import Line, agent_metrics, call
from tests.scorecards.cards import verdict
from transcription.transcript import Period

SHORT_CALL: list[Line] = [("agent", 0.0, 2.0, "hello"), ("customer", 2.5, 4.0, "hi")]


def rings(at_most: float, **params: float) -> dict[str, object]:
    return {
        "type": "metadata_threshold",
        "params": {"field": "rings", "at_most": at_most, **params},
    }


@pytest.mark.parametrize(
    ("ring_seconds", "outcome"),
    [(0.0, "pass"), (12.0, "pass"), (18.0, "pass"), (18.5, "fail"), (40.0, "fail")],
)
def test_answered_within_three_rings_of_six_seconds(ring_seconds: float, outcome: str) -> None:
    result = verdict(
        rings(3), call("en", SHORT_CALL), metadata=CallMetadata(ring_seconds=ring_seconds)
    )
    assert result.outcome == outcome
    (evidence,) = result.evidence
    assert evidence.utterance_index is None
    assert f"{ring_seconds:g} s of ringing" in evidence.text


def test_ring_length_is_configurable() -> None:
    metadata = CallMetadata(ring_seconds=10.0)
    assert (
        verdict(rings(3, seconds_per_ring=3), call("en", SHORT_CALL), metadata=metadata).outcome
        == "fail"
    )
    assert (
        verdict(rings(3, seconds_per_ring=6), call("en", SHORT_CALL), metadata=metadata).outcome
        == "pass"
    )


def test_missing_metadata_is_not_applicable() -> None:
    result = verdict(rings(3), call("en", SHORT_CALL), metadata=None)
    assert result.outcome == "na"
    assert result.evidence == ()


@pytest.mark.parametrize(
    ("field", "limit", "metadata", "outcome"),
    [
        ("handle_seconds", {"at_most": 600}, CallMetadata(handle_seconds=420), "pass"),
        ("handle_seconds", {"at_most": 600}, CallMetadata(handle_seconds=900), "fail"),
        ("wait_seconds", {"at_most": 30}, CallMetadata(wait_seconds=45), "fail"),
        ("customer_feedback", {"at_least": 4}, CallMetadata(customer_feedback=5), "pass"),
        ("customer_feedback", {"at_least": 4}, CallMetadata(customer_feedback=2), "fail"),
    ],
)
def test_metadata_limits(
    field: str, limit: dict[str, float], metadata: CallMetadata, outcome: str
) -> None:
    check = {"type": "metadata_threshold", "params": {"field": field, **limit}}
    assert verdict(check, call("en", SHORT_CALL), metadata=metadata).outcome == outcome


def metric(name: str, **params: object) -> dict[str, object]:
    return {"type": "metric_threshold", "params": {"metric": name, **params}}


def test_longest_silence_points_at_the_silence() -> None:
    quiet = call("en", SHORT_CALL, metrics=agent_metrics(longest_silence=35.0))
    result = verdict(metric("longest_silence", at_most=20), quiet)
    assert result.outcome == "fail"
    (evidence,) = result.evidence
    assert (evidence.start, evidence.end) == (40.0, 75.0)
    assert (
        verdict(
            metric("longest_silence", at_most=20), call("en", SHORT_CALL, metrics=agent_metrics())
        ).outcome
        == "pass"
    )


def test_hold_time_and_count() -> None:
    holds = (Period(30.0, 75.0), Period(100.0, 160.0))
    transcript = call("en", SHORT_CALL, metrics=agent_metrics(holds=holds))
    assert verdict(metric("hold_count", at_most=1), transcript).outcome == "fail"
    assert verdict(metric("hold_time", at_most=120), transcript).outcome == "pass"
    longest = verdict(metric("longest_hold", at_most=50), transcript)
    assert longest.outcome == "fail"
    assert [(e.start, e.end) for e in longest.evidence] == [(100.0, 160.0)]


def test_interruptions_by_the_agent() -> None:
    rude = call("en", SHORT_CALL, metrics=agent_metrics(interruptions_by_agent=4))
    result = verdict(metric("interruptions", at_most=2), rude)
    assert result.outcome == "fail"
    assert [e.start for e in result.evidence] == [30.0, 40.0, 50.0, 60.0]
    assert (
        verdict(
            metric("interruptions", at_most=2),
            call("en", SHORT_CALL, metrics=agent_metrics(interruptions_by_agent=1)),
        ).outcome
        == "pass"
    )


def test_per_speaker_metrics_need_a_stereo_recording() -> None:
    shouting = agent_metrics(mean_loudness=-30.0, max_loudness=-8.0)
    assert (
        verdict(
            metric("loudness_peak_over_mean", at_most=15), call("en", SHORT_CALL, metrics=shouting)
        ).outcome
        == "fail"
    )
    assert (
        verdict(metric("talk_ratio", at_most=0.7), call("en", SHORT_CALL, metrics=shouting)).outcome
        == "pass"
    )
    assert (
        verdict(
            metric("words_per_minute", at_least=160), call("en", SHORT_CALL, metrics=shouting)
        ).outcome
        == "fail"
    )
    mono = call("en", SHORT_CALL, metrics=shouting, layout="mono")
    result = verdict(metric("loudness_peak_over_mean", at_most=15), mono)
    assert result.outcome == "na"
    assert "stereo" in str(result.explanation)
