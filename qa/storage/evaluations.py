"""Evaluations in and out of the database, as `scorecards.results.Evaluation` dataclasses.

Exactly one evaluation counts per call and scorecard: the latest human evaluation if a
reviewer looked at the call (a person's judgement overrides the machine's, whatever version
the human used), else the latest automatic evaluation made with the scorecard's active
version, else (a call not rescored since a new version was activated) its latest automatic
evaluation by an older version, so activating a version never hides history. A scorecard
with no active version counts only its human evaluations. "Latest" is the highest id.
Reports read that choice from the `counts` flag, which `recount` keeps true to the rule.
"""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import ColumnElement, Select, case, func, or_, select, true, update
from sqlalchemy.orm import Session

from qa.storage.models import CriterionVerdictRecord, EvaluationKind, ScorecardVersion
from qa.storage.models import Evaluation as EvaluationRow
from scorecards.explanation import Explanation
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
    version = session.get_one(ScorecardVersion, scorecard_version_id)
    row = EvaluationRow(
        call_id=call_id,
        scorecard_version_id=scorecard_version_id,
        scorecard_key=version.scorecard_key,
        kind=EvaluationKind(kind),
        reviewer_id=reviewer_id,
        reviews_evaluation_id=reviews_evaluation_id,
        score=evaluation.score,
        passed=evaluation.passed,
        critical_failed=evaluation.critical_failed,
        sections=[asdict(s) for s in evaluation.sections],
        verdicts=[_verdict_row(v, scorecard_version_id) for v in evaluation.verdicts],
    )
    session.add(row)
    session.flush()
    recount(session, version.scorecard_key, call_id)
    return row


def counting_rule() -> Select[tuple[int, int, str]]:
    """The id of the evaluation that counts per call and scorecard, by one GROUP BY.

    Columns: evaluation_id, call_id, scorecard_key. Callers may add joins and conditions.
    """
    latest_human = func.max(case((EvaluationRow.kind == EvaluationKind.human, EvaluationRow.id)))
    latest_active = func.max(case((ScorecardVersion.active.is_(True), EvaluationRow.id)))
    in_use = select(ScorecardVersion.scorecard_key).where(ScorecardVersion.active.is_(True))
    return (
        select(
            func.coalesce(latest_human, latest_active, func.max(EvaluationRow.id)).label(
                "evaluation_id"
            ),
            EvaluationRow.call_id,
            ScorecardVersion.scorecard_key,
        )
        .join(ScorecardVersion, ScorecardVersion.id == EvaluationRow.scorecard_version_id)
        .where(
            or_(
                EvaluationRow.kind == EvaluationKind.human,
                ScorecardVersion.scorecard_key.in_(in_use),
            )
        )
        .group_by(EvaluationRow.call_id, ScorecardVersion.scorecard_key)
    )


def recount(session: Session, scorecard_key: str | None = None, call_id: int | None = None) -> None:
    """Set `counts` by the rule for one scorecard (and call), or for everything, on the
    evaluations and on their verdicts' copy of the flag.

    Called after each write that can move the choice: a new evaluation, a scorecard
    version activated or a scorecard deactivated.
    """
    rule = counting_rule()
    scope: list[ColumnElement[bool]] = []
    if scorecard_key is not None:
        of_key = ScorecardVersion.scorecard_key == scorecard_key
        versions = select(ScorecardVersion.id).where(of_key)
        rule = rule.where(of_key)
        scope.append(EvaluationRow.scorecard_version_id.in_(versions))
    if call_id is not None:
        rule = rule.where(EvaluationRow.call_id == call_id)
        scope.append(EvaluationRow.call_id == call_id)
    counted = select(rule.subquery().c.evaluation_id)
    # Clear before set: the unique index on counted evaluations is checked row by row, so
    # one UPDATE that moves the flag could meet the old holder still flagged.
    for flag, moves in (
        (False, EvaluationRow.id.not_in(counted)),
        (True, EvaluationRow.id.in_(counted)),
    ):
        session.execute(
            update(EvaluationRow)
            .where(*scope, EvaluationRow.counts.is_(not flag), moves)
            .values(counts=flag)
            .execution_options(synchronize_session="fetch")
        )
    in_scope = select(EvaluationRow.id).where(*scope)
    counts = CriterionVerdictRecord.evaluation_id.in_(
        in_scope.where(EvaluationRow.counts == true())
    )
    session.execute(  # only the verdicts whose flag moves: each write also rewrites an index
        update(CriterionVerdictRecord)
        .where(
            CriterionVerdictRecord.evaluation_id.in_(in_scope),
            CriterionVerdictRecord.counts != counts,
        )
        .values(counts=counts)
        .execution_options(synchronize_session="fetch")
    )


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


def _verdict_row(verdict: CriterionVerdict, scorecard_version_id: int) -> CriterionVerdictRecord:
    return CriterionVerdictRecord(
        scorecard_version_id=scorecard_version_id,
        criterion=verdict.criterion,
        name=verdict.name,
        section=verdict.section,
        outcome=verdict.outcome,
        points=verdict.points,
        max_points=verdict.max_points,
        critical=verdict.critical,
        explanation=str(verdict.explanation),
        explanation_message=verdict.explanation.to_json() if verdict.explanation else None,
        coaching_tip=verdict.coaching_tip,
        evidence=[e.to_json() for e in verdict.evidence],
        uncertain=verdict.uncertain,
        learned_models=list(verdict.models),
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
        evidence=tuple(Evidence.from_json(e) for e in row.evidence or ()),
        explanation=(
            Explanation.from_json(row.explanation_message)
            if row.explanation_message
            else Explanation.verbatim(row.explanation)
        ),
        coaching_tip=row.coaching_tip,
        uncertain=row.uncertain,
        models=tuple(row.learned_models or ()),
    )
