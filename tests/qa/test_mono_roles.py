"""Mono calls: two voices told apart by their acoustics, and the agent found by what they say."""

from __future__ import annotations

from pathlib import Path

from bench.mono_roles import attribute_call
from qa.pipeline.speaker_roles import agent_cue_count, decide_roles, with_roles
from transcription.transcript import CallTranscript, Utterance, Word


def test_harper_valley_calls_mixed_to_mono_get_nine_words_in_ten_to_the_right_role(
    harper_valley_dir: Path,
) -> None:
    # Measured 0.925 over the four calls (bench/mono_roles.py); the target is 0.90.
    calls = [
        attribute_call(harper_valley_dir, p.stem)
        for p in (harper_valley_dir / "stereo").glob("*.wav")
    ]
    assert sum(c.right for c in calls) / sum(c.words for c in calls) >= 0.90
    assert all(0 < c.confidence <= 1 for c in calls)


def test_the_voice_that_offers_help_is_the_agent_even_when_the_customer_speaks_first() -> None:
    words = ["my", "card", "is", "blocked", "hello", "how", "can", "i", "help", "you"]
    roles = decide_roles((0, 0, 0, 0, 1, 1, 1, 1, 1, 1), words, 0.8)
    assert roles.agent_label == 1
    silent = decide_roles((0, 0, 1, 1), ["yes", "yes", "no", "no"], 0.8)
    assert silent.agent_label == 0  # nothing said tells: the first voice, with low confidence
    assert silent.confidence < roles.confidence


def test_agent_phrases_all_on_one_voice_do_not_make_up_for_a_doubtful_voice_split() -> None:
    # A split that gave one "voice" nearly every word also gives it every agent phrase; the
    # average of the two used to trust that (0.55) above a sound split with no phrase (0.40).
    words = ["thank", "you", "for", "calling", "how", "can", "i", "help", "yes", "no"]
    lopsided = decide_roles((0,) * 9 + (1,), words, split_confidence=0.1)
    sound = decide_roles((0, 0, 0, 0, 0, 0, 0, 0, 1, 1), ["x"] * 10, split_confidence=0.8)
    assert lopsided.confidence <= 0.1
    assert lopsided.confidence < sound.confidence


def test_agent_phrases_are_found_in_persian_as_it_is_written_and_in_russian() -> None:
    # Persian joins the prefix می with a zero-width non-joiner; the pattern only allowed a space,
    # so the synthetic Persian test call's agent had no phrase at all.
    assert agent_cue_count("چطور می\u200cتوانم کمکتان کنم؟") == 1
    assert agent_cue_count("کار دیگری هست که انجام دهم؟ از تماس شما سپاسگزاریم.") == 2
    assert agent_cue_count("могу ли я ещё чем-нибудь помочь?") == 1
    assert agent_cue_count("сейчас она снова работает") == 0


def _mono_transcript(voices_and_texts: list[tuple[int, float, str]]) -> CallTranscript:
    utterances = []
    for voice, start, text in voices_and_texts:
        words = tuple(
            Word(start + 0.3 * i, start + 0.3 * i + 0.25, f" {w}", 0.9)
            for i, w in enumerate(text.split())
        )
        utterances.append(Utterance("unknown", start, words[-1].end, text, words, -20.0, voice))
    return CallTranscript("en", 0.99, 20.0, "mono", tuple(utterances), voice_separation=0.6)


def test_a_mono_transcript_with_voices_gets_agent_and_customer_and_their_metrics() -> None:
    heard = _mono_transcript(
        [
            (1, 0.5, "thank you for calling how can i help you"),
            (0, 4.0, "my card is blocked"),
            (1, 6.0, "can i have your date of birth"),
            (0, 9.0, "first of may"),
        ]
    )
    assert not heard.speakers_known
    labelled = with_roles(heard, min_confidence=0.4, min_overtalk=0.3)
    assert [u.speaker for u in labelled.utterances] == ["agent", "customer", "agent", "customer"]
    assert labelled.speakers_known and not labelled.roles_uncertain
    assert labelled.role_confidence is not None and labelled.role_confidence >= 0.4
    assert set(labelled.metrics.speakers) == {"agent", "customer"}
    assert labelled.metrics.speakers["agent"].utterance_count == 2


def test_below_the_threshold_roles_are_given_but_marked_uncertain() -> None:
    heard = _mono_transcript([(0, 0.5, "hello"), (1, 2.0, "hello there"), (0, 4.0, "yes")])
    labelled = with_roles(heard, min_confidence=0.4, min_overtalk=0.3)
    assert {u.speaker for u in labelled.utterances} == {"agent", "customer"}
    assert labelled.roles_uncertain and not labelled.speakers_known
    assert labelled.role_confidence is not None and labelled.role_confidence < 0.4


def test_a_stereo_transcript_is_left_as_its_channels_say() -> None:
    stereo = CallTranscript(
        "en", 0.99, 5.0, "stereo", (Utterance("customer", 0.0, 1.0, "how can i help you"),)
    )
    assert with_roles(stereo, min_confidence=0.4, min_overtalk=0.3) is stereo
