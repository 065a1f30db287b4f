"""The learned checks learn from the team: reviewed calls become labelled examples.

Every human review of a call whose automatic verdict came from a learned model labels that
verdict's evidence: utterances of a call the reviewer failed are rude (the ones the model
flagged, else its top-scoring one), those of a call the reviewer passed are not. Overrides and
upheld disputes are exactly the reviews that disagree with the model. A seeded share of the
reviewed calls is held back to measure agreement before and after retraining.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from qa.storage.learned_models import active_classifiers, store_version
from qa.storage.models import (
    Call,
    CriterionVerdictRecord,
    EvaluationKind,
    LearnedModelVersion,
    Transcript,
    TranscriptUtterance,
)
from qa.storage.models import Evaluation as EvaluationRow
from scorecards.embedding import EmbeddingService
from scorecards.learned import TextClassifier, score_texts, shipped_classifier
from scorecards.training.build import TeamExample, build_rudeness
from scorecards.training.dev_data import LabelledSet

HELD_BACK_SHARE = 0.3


@dataclass(frozen=True)
class ReviewedCall:
    """A reviewer's outcome on a learned verdict, with what the model saw of the call."""

    call_id: int
    language: str
    human_outcome: str
    overridden: bool
    evidence: tuple[tuple[str, float], ...]  # the automatic verdict's (text, score)
    agent_texts: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class RetrainReport:
    version: LearnedModelVersion
    examples: int
    overrides: int
    held_back: int
    agreement_before: float | None
    agreement_after: float | None
    report: dict[str, Any]


def reviewed_calls(session: Session, model: str) -> list[ReviewedCall]:
    """Human verdicts on criteria an automatic learned model decided, latest review per call."""
    automatic = aliased(CriterionVerdictRecord)
    human_eval = aliased(EvaluationRow)
    rows = session.execute(
        select(automatic, CriterionVerdictRecord.outcome, Call.id, Call.language, human_eval.id)
        .select_from(CriterionVerdictRecord)
        .join(human_eval, human_eval.id == CriterionVerdictRecord.evaluation_id)
        .join(EvaluationRow, EvaluationRow.id == human_eval.reviews_evaluation_id)
        .join(
            automatic,
            (automatic.evaluation_id == EvaluationRow.id)
            & (automatic.criterion == CriterionVerdictRecord.criterion),
        )
        .join(Call, Call.id == EvaluationRow.call_id)
        .where(human_eval.kind == EvaluationKind.human)
        .order_by(human_eval.id)
    ).all()
    latest: dict[int, ReviewedCall] = {}
    for verdict, human_outcome, call_id, language, _ in rows:
        if not any(str(m).startswith(f"{model}@") for m in verdict.learned_models or ()):
            continue
        if human_outcome == "na":
            continue
        evidence = tuple(
            (e["text"], float(e["score"])) for e in verdict.evidence if e.get("score") is not None
        )
        latest[call_id] = ReviewedCall(
            call_id, language or "en", human_outcome, human_outcome != verdict.outcome, evidence,
            _agent_texts(session, call_id),
        )  # fmt: skip
    return list(latest.values())


def team_examples(calls: Sequence[ReviewedCall], threshold: float) -> list[TeamExample]:
    examples = []
    for call in calls:
        if call.human_outcome == "fail":
            flagged = [t for t, s in call.evidence if s >= threshold]
            top = max(call.evidence, key=lambda e: e[1], default=None)
            texts = flagged or ([top[0]] if top else [])
            examples += [TeamExample(call.language, t, 1) for t in texts]
        else:
            examples += [TeamExample(call.language, t, 0) for t, _ in call.evidence]
    return examples


def held_back(call_id: int, seed: int) -> bool:
    digest = hashlib.sha256(f"{seed}:{call_id}".encode()).digest()
    return digest[0] / 256 < HELD_BACK_SHARE


def agreement(
    classifier: TextClassifier, calls: Sequence[ReviewedCall], service: EmbeddingService | None
) -> float | None:
    """Share of reviewed calls where the model alone reaches the reviewer's pass / fail."""
    if not calls:
        return None
    agreed = 0
    for call in calls:
        scores = score_texts(classifier, call.agent_texts, call.language, service)
        model_fails = bool(len(scores)) and float(scores.max()) >= classifier.threshold
        agreed += model_fails == (call.human_outcome == "fail")
    return agreed / len(calls)


def retrain(
    session: Session,
    public: Sequence[LabelledSet],
    service: EmbeddingService,
    seed: int = 0,
    model: str = "rude",
    include_phrase_lists: bool = True,
) -> RetrainReport:
    """Train on public data plus the center's reviewed calls; store the result inactive."""
    current = active_classifiers(session).get(model) or shipped_classifier(model)
    calls = reviewed_calls(session, model)
    test = [c for c in calls if held_back(c.call_id, seed)]
    train = [c for c in calls if not held_back(c.call_id, seed)]
    examples = team_examples(train, current.threshold)
    built = build_rudeness(service, public, seed, examples, include_phrase_lists)
    before = agreement(current, test, service)
    after = agreement(built.classifier, test, service)
    report = {
        "based_on": current.label,
        "seed": seed,
        "team_examples": len(examples),
        "reviewed_calls": len(calls),
        "held_back_calls": len(test),
        "agreement_before": before,
        "agreement_after": after,
        "cross_validation": built.metrics,
    }
    row = store_version(session, built.classifier, report)
    return RetrainReport(
        row, len(examples), sum(c.overridden for c in train), len(test), before, after, report
    )


def _agent_texts(session: Session, call_id: int) -> tuple[str, ...]:
    transcript = session.scalar(select(Transcript.id).where(Transcript.call_id == call_id))
    if transcript is None:
        return ()
    rows = session.execute(
        select(TranscriptUtterance.speaker, TranscriptUtterance.text)
        .where(TranscriptUtterance.transcript_id == transcript)
        .order_by(TranscriptUtterance.position)
    ).all()
    agent = [text for speaker, text in rows if speaker == "agent"]
    return tuple(agent or [text for _, text in rows])
