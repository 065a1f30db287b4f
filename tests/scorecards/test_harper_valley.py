"""Real speech: the four Harper Valley Bank calls, scored from their human transcripts.

Each segment has the human reference text and the corpus's own recogniser output; both are
scored, so the shipped phrase lists are checked on real wording and on real recognition errors.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scorecards import CallMetadata, Evaluation, score_call, shipped_scorecards
from tests.conftest import SHARED_DATA
from transcription.transcript import CallTranscript, Speaker, Utterance

CALLS = ["0002f70f7386445b", "0091a706bc604188", "00d676d7058c49bb", "010eaccb7a23436f"]
NOISE = ("[noise]", "<unk>", "[laughter]")
# The corpus recogniser heard "my name is linda" as "... bank claim is linda": no introduction
# is left to find, and the scorer rightly does not invent one.
GARBLED_BY_RECOGNISER = {("010eaccb7a23436f", "agent_introduction")}


def harper_valley_call(folder: Path, sid: str, text_field: str) -> CallTranscript:
    segments = json.loads((folder / "transcript" / f"{sid}.json").read_text(encoding="utf-8"))
    utterances = []
    for segment in sorted(segments, key=lambda s: s["start_ms"]):
        text = segment[text_field]
        for token in NOISE:
            text = text.replace(token, " ")
        if not text.strip():
            continue
        start = segment["start_ms"] / 1000
        speaker: Speaker = "agent" if segment["speaker_role"] == "agent" else "customer"
        utterances.append(
            Utterance(speaker, start, start + segment["duration_ms"] / 1000, " ".join(text.split()))
        )
    return CallTranscript(
        language="en",
        language_probability=1.0,
        duration=max(u.end for u in utterances),
        channel_layout="stereo",
        utterances=tuple(utterances),
        model="human" if text_field == "human_transcript" else "recogniser",
    )


@pytest.fixture(scope="module", params=["human_transcript", "transcript"])
def scored_calls(
    harper_valley_dir: Path, request: pytest.FixtureRequest
) -> dict[str, tuple[CallTranscript, Evaluation]]:
    scorecards = [s for s in shipped_scorecards() if s.id == "script"]
    scored = {}
    for sid in CALLS:
        transcript = harper_valley_call(harper_valley_dir, sid, request.param)
        (evaluation,) = score_call(transcript, None, scorecards)
        scored[sid] = (transcript, evaluation)
    return scored


@pytest.mark.parametrize(
    ("criterion", "expected_words"),
    [
        ("greeting", "hello"),
        ("agent_introduction", "my name is"),
        ("offer_help", "help you"),
        ("anything_else", "anything else"),
        ("closing", "thank you"),
    ],
)
def test_opening_and_closing_are_found_in_real_calls(
    scored_calls: dict[str, tuple[CallTranscript, Evaluation]], criterion: str, expected_words: str
) -> None:
    for sid, (transcript, evaluation) in scored_calls.items():
        verdict = evaluation.verdict(criterion)
        if (sid, criterion) in GARBLED_BY_RECOGNISER and transcript.model == "recogniser":
            assert verdict.outcome == "fail"
            continue
        assert verdict.outcome == "pass", (sid, verdict.explanation)
        first = verdict.evidence[0]
        assert first.utterance_index is not None
        utterance = transcript.utterances[first.utterance_index]
        assert first.speaker == utterance.speaker == "agent"
        assert first.start == utterance.start
        assert any(
            expected_words in transcript.utterances[e.utterance_index or 0].text
            for e in verdict.evidence
        ), sid


def test_closing_evidence_is_the_last_agent_words(
    scored_calls: dict[str, tuple[CallTranscript, Evaluation]],
) -> None:
    for sid, (transcript, evaluation) in scored_calls.items():
        closing = evaluation.verdict("closing").evidence[0]
        assert closing.start is not None and closing.start > transcript.duration - 60, sid


def test_the_balance_given_without_verification_is_caught(
    scored_calls: dict[str, tuple[CallTranscript, Evaluation]],
) -> None:
    # In 0091a706 the agent reads out the balance without verifying the caller.
    transcript, evaluation = scored_calls["0091a706bc604188"]
    verdict = evaluation.verdict("verification_before_account_details")
    assert verdict.outcome == "fail"
    (evidence,) = verdict.evidence
    assert "your balance is" in transcript.utterances[evidence.utterance_index or 0].text


def harper_valley_metadata(folder: Path, sid: str) -> CallMetadata:
    """The caller waited from arriving until the call started; the caller rated the agent."""
    data = json.loads((folder / "metadata" / f"{sid}.json").read_text(encoding="utf-8"))
    rating = data["caller"]["survey_response"]["data"].get("partner_rating")
    return CallMetadata(
        ring_seconds=(data["start_time_ms"] - data["caller"]["arrival_time_ms"]) / 1000,
        handle_seconds=(data["end_time_ms"] - data["start_time_ms"]) / 1000,
        customer_feedback=float(rating) if rating else None,
    )


def test_real_call_metadata_drives_the_three_rings_rule(harper_valley_dir: Path) -> None:
    (compliance,) = [s for s in shipped_scorecards() if s.id == "compliance"]
    for sid in CALLS:
        metadata = harper_valley_metadata(harper_valley_dir, sid)
        transcript = harper_valley_call(harper_valley_dir, sid, "human_transcript")
        (evaluation,) = score_call(transcript, metadata, [compliance])
        rings = evaluation.verdict("answered_within_three_rings")
        assert metadata.ring_seconds is not None and metadata.ring_seconds < 18
        assert rings.outcome == "pass", (sid, rings.explanation)
        assert f"{metadata.ring_seconds:g} s of ringing" in rings.evidence[0].text
        assert evaluation.verdict("no_sensitive_data_readback").outcome == "pass"

    slow = CallMetadata(ring_seconds=25.0)
    transcript = harper_valley_call(harper_valley_dir, CALLS[0], "human_transcript")
    (evaluation,) = score_call(transcript, slow, [compliance])
    assert evaluation.verdict("answered_within_three_rings").outcome == "fail"
    assert not evaluation.passed


def abcd_call(dialogue: dict[str, Any]) -> CallTranscript:
    """An ABCD sample dialogue (chat) as a call: 5 s per turn, actions left out."""
    turns = [(role, text) for role, text in dialogue["original"] if role in ("agent", "customer")]
    utterances = tuple(
        Utterance("agent" if role == "agent" else "customer", 5.0 * i, 5.0 * i + 4.0, text)
        for i, (role, text) in enumerate(turns)
    )
    return CallTranscript("en", 1.0, 5.0 * len(turns), "stereo", utterances, model="human")


def test_no_real_polite_agent_fails_no_rude_language(harper_valley_dir: Path) -> None:
    # Real agent speech, 77 lines: a per-utterance false alarm fails the whole call (critical).
    # A strategy reader with a "?" feature failed the ABCD call that asks "ok, just to verify
    # you already tried to use the code?" (0.599).
    dialogues = json.loads((SHARED_DATA / "dev" / "abcd" / "abcd_sample.json").read_text("utf-8"))
    calls = [harper_valley_call(harper_valley_dir, sid, "human_transcript") for sid in CALLS]
    calls += [abcd_call(d) for d in dialogues]
    politeness = [s for s in shipped_scorecards() if s.id == "politeness"]
    for transcript in calls:
        (evaluation,) = score_call(transcript, None, politeness)
        verdict = evaluation.verdict("no_rude_language")
        assert verdict.outcome != "fail", [(e.text, e.score) for e in verdict.evidence]
