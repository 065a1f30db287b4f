"""Explanations are messages: an English template and its values, kept as JSON and read in
English with `str()`, so a reader's language can translate them where they are shown."""

from __future__ import annotations

import json

from scorecards import score_call, shipped_scorecards
from scorecards.explanation import Explanation
from scorecards.results import Evaluation
from tests.scorecards.calls import call
from tests.scorecards.cards import verdict

CALL = call(
    "en",
    [
        ("agent", 0.0, 3.0, "thanks for calling, my name is Joe, how can i help you"),
        ("customer", 3.5, 6.0, "my card number is 4111 1111 1111 1111"),
        ("agent", 6.5, 9.0, "shut up, you idiot"),
        ("agent", 9.5, 12.0, "you are a stupid moron"),
    ],
)


def test_every_explanation_of_the_shipped_scorecards_survives_json_and_reads_the_same() -> None:
    for evaluation in score_call(CALL, None, shipped_scorecards()):
        for v in evaluation.verdicts:
            stored = json.loads(json.dumps(v.explanation.to_json()))
            assert Explanation.from_json(stored) == v.explanation
            assert str(Explanation.from_json(stored)) == str(v.explanation) != ""
        plain = json.loads(json.dumps(evaluation.to_dict()))
        assert Evaluation.from_dict(plain) == evaluation
        assert all(isinstance(v["explanation"], str) for v in plain["verdicts"])


def test_nested_and_counted_explanations_read_as_english_sentences() -> None:
    said = {"type": "phrase_present", "params": {"phrases": {"en": ["my name is"]}}}
    negated = verdict({"type": "not", "params": {"check": said}}, CALL)
    assert str(negated.explanation) == (
        "Not: Found 'my name is' ('my name is' by the agent during the call)."
    )
    rude = verdict({"type": "classifier", "params": {"model": "rude", "threshold": 0.5}}, CALL)
    assert str(rude.explanation).startswith("The rude model flags 2 utterances by the agent")


def test_text_stored_before_explanations_were_messages_reads_as_written() -> None:
    older = Explanation.verbatim("Found {braces} as typed.")
    assert str(older) == "Found {braces} as typed."
    assert not Explanation.verbatim("")
