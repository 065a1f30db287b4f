"""The repository's scripted test calls (data/test_calls/*.json): what the actors said, scored.

Each sidecar holds the turns of a call written to follow the script, with the silences,
overtalk and interruptions the synthesiser put in; scored from that ground truth, the shipped
scorecards must find what the script says is there, in all three languages.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scorecards import CallMetadata, Evaluation, score_call, shipped_scorecards
from transcription.transcript import (
    CallMetrics,
    CallTranscript,
    Interruption,
    Period,
    Utterance,
)

TEST_CALLS = Path(__file__).resolve().parents[2] / "data" / "test_calls"


def scripted_call(name: str) -> CallTranscript:
    sidecar = json.loads((TEST_CALLS / f"{name}.json").read_text(encoding="utf-8"))
    silences = tuple(Period(s["start"], s["end"]) for s in sidecar["silences"])
    return CallTranscript(
        language=sidecar["language"],
        language_probability=1.0,
        duration=sidecar["duration"],
        channel_layout=sidecar["layout"],
        utterances=tuple(
            Utterance(t["speaker"], t["start"], t["end"], t["text"]) for t in sidecar["turns"]
        ),
        metrics=CallMetrics(
            silences=silences,
            longest_silence=max((p.duration for p in silences), default=0.0),
            total_silence=sum(p.duration for p in silences),
            overtalk_periods=tuple(Period(o["start"], o["end"]) for o in sidecar["overtalk"]),
            interruptions=tuple(Interruption(**i) for i in sidecar["interruptions"]),
        ),
    )


def evaluations(name: str) -> dict[str, Evaluation]:
    transcript = scripted_call(name)
    scored = score_call(transcript, CallMetadata(ring_seconds=6.0), shipped_scorecards())
    return {e.scorecard: e for e in scored}


@pytest.mark.parametrize("name", ["en_stereo", "ru_stereo", "fa_stereo"])
def test_the_scripted_call_follows_the_script(name: str) -> None:
    script = evaluations(name)["script"]
    outcomes = {v.criterion: v.outcome for v in script.verdicts}
    assert outcomes == {
        "greeting": "pass",
        "agent_introduction": "pass",
        "offer_help": "pass",
        "recording_disclosure": "pass",
        "identity_verification": "pass",
        "verification_before_account_details": "na",
        "anything_else": "pass",
        "closing": "pass",
    }
    assert script.score == 100.0 and script.passed
    assert script.verdict("greeting").evidence[0].utterance_index == 0
    assert script.verdict("identity_verification").evidence[0].utterance_index == 2


@pytest.mark.parametrize("name", ["en_stereo", "ru_stereo", "fa_stereo"])
def test_the_scripted_call_is_resolved_and_polite(name: str) -> None:
    scored = evaluations(name)
    resolution = scored["resolution"]
    assert resolution.verdict("issue_resolved").outcome == "pass"
    assert resolution.verdict("next_steps_explained").outcome == "na"
    politeness = scored["politeness"]
    # The customer interrupts the agent, not the other way round; the 8 s hold is no long silence.
    assert politeness.verdict("no_interruptions").outcome == "pass"
    assert politeness.verdict("no_long_silence").outcome == "pass"
    assert politeness.verdict("no_rude_language").outcome == "pass"
    assert scored["compliance"].passed


def test_on_the_mono_call_the_balance_comes_before_any_verification() -> None:
    script = evaluations("en_mono")["script"]
    order = script.verdict("verification_before_account_details")
    assert order.outcome == "fail"
    assert [e.utterance_index for e in order.evidence] == [2]
    assert "mono recording" in str(script.verdict("greeting").explanation)
