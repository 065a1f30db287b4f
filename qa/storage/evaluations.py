"""Evaluations in and out of the database, as `scorecards.results.Evaluation` dataclasses."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.storage.models import CriterionVerdictRecord, EvaluationKind
from qa.storage.models import Evaluation as EvaluationRow
from scorecards.results import CriterionVerdict, Evaluation, Evidence, SectionScore


def save_evaluation(
    session: Session,
    call_id: int,
    scorecard_version_id: int,
    evaluation: Evaluation,
    kind: EvaluationKind | str = EvaluationKind.automatic,
    reviewer_id: int | None = None,
    reviews_evaluation_id: int | None = None,
) -> EvaluationRow:
    """Add an evaluation with one row per criterion verdict (evidence kept as JSON)."""
    row = EvaluationRow(
        call_id=call_id,
        scorecard_version_id=scorecard_version_id,
        kind=EvaluationKind(kind),
        reviewer_id=reviewer_id,
        reviews_evaluation_id=reviews_evaluation_id,
        score=evaluation.score,
        passed=evaluation.passed,
        critical_failed=evaluation.critical_failed,
        sections=[asdict(s) for s in evaluation.sections],
        verdicts=[_verdict_row(v) for v in evaluation.verdicts],
    )
    session.add(row)
    session.flush()
    return row


def automatic_evaluation_exists(session: Session, call_id: int, scorecard_version_id: int) -> bool:
    """Whether this call already has its automatic evaluation by this scorecard version."""
    return (
        session.scalar(
            select(EvaluationRow.id).where(
                EvaluationRow.call_id == call_id,
                EvaluationRow.scorecard_version_id == scorecard_version_id,
                EvaluationRow.kind == EvaluationKind.automatic,
            )
        )
        is not None
    )


def load_evaluation(row: EvaluationRow) -> Evaluation:
    """The stored evaluation as the dataclass the scorer produced."""
    version = row.scorecard_version
    return Evaluation(
        scorecard=version.scorecard_key,
        scorecard_name=version.name,
        scorecard_version=version.version,
        score=row.score,
        passed=row.passed,
        critical_failed=row.critical_failed,
        verdicts=tuple(_verdict(v) for v in row.verdicts),
        sections=tuple(SectionScore(**s) for s in row.sections or ()),
    )


def _verdict_row(verdict: CriterionVerdict) -> CriterionVerdictRecord:
    return CriterionVerdictRecord(
        criterion=verdict.criterion,
        name=verdict.name,
        section=verdict.section,
        outcome=verdict.outcome,
        points=verdict.points,
        max_points=verdict.max_points,
        critical=verdict.critical,
        explanation=verdict.explanation,
        coaching_tip=verdict.coaching_tip,
        evidence=[asdict(e) for e in verdict.evidence],
    )


def _verdict(row: CriterionVerdictRecord) -> CriterionVerdict:
    return CriterionVerdict(
        criterion=row.criterion,
        name=row.name,
        section=row.section,
        outcome=row.outcome,  # type: ignore[arg-type]
        points=row.points,
        max_points=row.max_points,
        critical=row.critical,
        evidence=tuple(Evidence(**e) for e in row.evidence or ()),
        explanation=row.explanation,
        coaching_tip=row.coaching_tip,
    )
