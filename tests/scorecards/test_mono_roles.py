"""Mono calls whose voices were given roles: trusted roles restrict criteria to a party like
stereo channels do; uncertain roles leave one-party criteria to a person instead of failing."""

from __future__ import annotations

from dataclasses import replace

from scorecards import CriterionVerdict, score_call
from tests.scorecards.calls import call
from tests.scorecards.cards import criterion, scorecard
from transcription.transcript import CallTranscript

# The customer asks for the statement; the agent never offers help.
MONO_CALL = call(
    "en",
    [
        ("agent", 0.0, 2.0, "harper valley bank good morning"),
        ("customer", 2.5, 6.0, "hi how can i help you find my statement"),
        ("agent", 6.5, 8.0, "sure one moment"),
    ],
    layout="mono",
)


def offers_help() -> dict[str, object]:
    return {"type": "phrase_present", "params": {"phrases": {"en": ["how can i help you"]}}}


def _verdicts(transcript: CallTranscript) -> dict[str, CriterionVerdict]:
    card = scorecard(
        criterion("agent_offers_help", offers_help(), speaker="agent"),
        # Its own tip: a shared dict would be written as a YAML alias, which cards refuse.
        criterion("anyone_offers_help", offers_help(), speaker="any", coaching_tip={"en": "x"}),
    )
    (evaluation,) = score_call(transcript, None, [card])
    return {v.criterion: v for v in evaluation.verdicts}


def test_trusted_roles_on_a_mono_call_judge_the_agent_on_the_agents_words_only() -> None:
    verdicts = _verdicts(replace(MONO_CALL, role_confidence=0.8))
    assert verdicts["agent_offers_help"].outcome == "fail"
    assert verdicts["anyone_offers_help"].outcome == "pass"


def test_uncertain_roles_make_agent_only_criteria_say_so_instead_of_failing() -> None:
    verdicts = _verdicts(replace(MONO_CALL, role_confidence=0.2, roles_uncertain=True))
    agent_only = verdicts["agent_offers_help"]
    assert agent_only.outcome == "na" and agent_only.points == 0
    assert str(agent_only.explanation).startswith("Roles uncertain")
    assert verdicts["anyone_offers_help"].outcome == "pass"


def test_a_metric_criterion_about_the_agent_counts_as_agent_only() -> None:
    talk = {
        "type": "metric_threshold",
        "params": {"metric": "talk_ratio", "speaker": "agent", "at_most": 0.7},
    }
    card = scorecard(criterion("agent_talk", talk, speaker="any"))
    uncertain = replace(MONO_CALL, role_confidence=0.2, roles_uncertain=True)
    (evaluation,) = score_call(uncertain, None, [card])
    assert str(evaluation.verdict("agent_talk").explanation).startswith("Roles uncertain")


def test_a_criterion_that_refers_to_an_agent_only_one_does_not_fail_on_uncertain_roles() -> None:
    refers = {"type": "criterion", "params": {"criterion": "agent_offers_help"}}
    card = scorecard(
        criterion("agent_offers_help", offers_help(), speaker="agent"),
        criterion("same_again", refers, speaker="any", coaching_tip={"en": "x"}),
    )
    uncertain = replace(MONO_CALL, role_confidence=0.2, roles_uncertain=True)
    (evaluation,) = score_call(uncertain, None, [card])
    assert evaluation.verdict("same_again").outcome == "na"
    assert str(evaluation.verdict("same_again").explanation).startswith("Roles uncertain")
