"""Small scorecards written in the tests, loaded through the real YAML loader."""

from __future__ import annotations

from typing import Any

import yaml

from scorecards import CallMetadata, CriterionVerdict, Scorecard, load_scorecard_text, score_call
from transcription.transcript import CallTranscript

TIP = {"en": "Do better.", "ru": "Лучше.", "fa": "بهتر."}


def criterion(
    criterion_id: str,
    check: dict[str, Any],
    speaker: str = "agent",
    points: float = 1.0,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": criterion_id,
        "name": criterion_id.replace("_", " "),
        "speaker": speaker,
        "points": points,
        "check": check,
        "coaching_tip": TIP,
        **extra,
    }


def scorecard(*criteria: dict[str, Any], pass_mark: float = 80.0, **extra: Any) -> Scorecard:
    """One section holding the criteria; `extra` adds or overrides top-level fields."""
    document = {
        "id": "test_card",
        "name": "Test card",
        "pass_mark": pass_mark,
        "sections": [{"id": "main", "name": "Main", "criteria": list(criteria)}],
        **extra,
    }
    return load_scorecard_text(yaml.safe_dump(document, allow_unicode=True), "test_card.yaml")


def verdict(
    check: dict[str, Any],
    transcript: CallTranscript,
    speaker: str = "agent",
    metadata: CallMetadata | None = None,
) -> CriterionVerdict:
    """The verdict of a one-criterion scorecard with this check on this call."""
    card = scorecard(criterion("under_test", check, speaker=speaker))
    (evaluation,) = score_call(transcript, metadata, [card])
    return evaluation.verdict("under_test")
