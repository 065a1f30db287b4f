"""Scoring a call: every criterion of every scorecard, then section and overall percentages.

A criterion passes for its points, fails for none, or is not applicable and left out of the
percentages. A section's score is the share of its applicable points earned; the overall score
is the weight-averaged score of the sections that had anything applicable. A failed critical
criterion fails the evaluation whatever the percentage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from languages import SOURCE_LANGUAGE
from scorecards.context import CallContext
from scorecards.explanation import explain
from scorecards.learned import TextClassifier
from scorecards.registry import CheckContext, CheckResult
from scorecards.results import CallMetadata, CriterionVerdict, Evaluation, Outcome, SectionScore
from scorecards.schema import text_in
from scorecards.scorecard import Criterion, Scorecard
from transcription.transcript import CallTranscript


def score_call(
    transcript: CallTranscript,
    metadata: CallMetadata | None,
    scorecards: Iterable[Scorecard],
    classifiers: Mapping[str, TextClassifier] | None = None,
) -> list[Evaluation]:
    """One evaluation per scorecard; work shared between scorecards is done once per call.

    `classifiers` replaces shipped learned models by name (the center's activated versions)."""
    call = CallContext(transcript, metadata, classifiers)
    return [_evaluate(call, scorecard) for scorecard in scorecards]


class _CriterionResults:
    """Each criterion's check result, computed on first use (criteria may refer to others)."""

    def __init__(self, call: CallContext, scorecard: Scorecard) -> None:
        self.call = call
        self.criteria = {c.id: c for c in scorecard.criteria()}
        self.results: dict[str, CheckResult] = {}
        self.in_progress: set[str] = set()

    def check_result(self, criterion_id: str) -> CheckResult:
        if criterion_id not in self.results:
            if criterion_id in self.in_progress:
                return CheckResult(
                    "na",
                    (),
                    explain("Criterion '{criterion}' refers to itself.", criterion=criterion_id),
                )
            self.in_progress.add(criterion_id)
            criterion = self.criteria[criterion_id]
            self.results[criterion_id] = _roles_uncertain(
                self.call, criterion
            ) or criterion.check.run(self._context(criterion))
            self.in_progress.discard(criterion_id)
        return self.results[criterion_id]

    def not_applicable(self, criterion: Criterion) -> CheckResult | None:
        if criterion.not_applicable is None:
            return None
        result = criterion.not_applicable.run(self._context(criterion))
        return result if result.outcome == "pass" else None

    def _context(self, criterion: Criterion) -> CheckContext:
        return CheckContext(self.call, criterion.definition.speaker, self.check_result)


def _roles_uncertain(call: CallContext, criterion: Criterion) -> CheckResult | None:
    """On a mono call whose voices could not be told apart surely enough, a check that reads
    one party would judge the agent on the customer's words (or the reverse): not applicable,
    and the pipeline queues the call for review (reason `roles_uncertain`). Criteria that
    combine others see the same result."""
    party = criterion.check.party(criterion.definition.speaker)
    if not call.roles_uncertain or party == "any":
        return None
    message = (
        explain(
            "Roles uncertain: on this mono recording the agent could not be told apart surely "
            "enough; a reviewer decides."
        )
        if party == "agent"
        else explain(
            "Roles uncertain: on this mono recording the customer could not be told apart surely "
            "enough; a reviewer decides."
        )
    )
    return CheckResult("na", (), message)


def _evaluate(call: CallContext, scorecard: Scorecard) -> Evaluation:
    results = _CriterionResults(call, scorecard)
    verdicts = tuple(_verdict(call, results, c) for c in scorecard.criteria())
    sections = tuple(SectionScore(s.id, s.name, s.weight, None) for s in scorecard.sections)
    unscored = Evaluation(
        scorecard=scorecard.id,
        scorecard_name=scorecard.name,
        scorecard_version=scorecard.version,
        score=0.0,
        passed=False,
        critical_failed=False,
        verdicts=verdicts,
        sections=sections,
    )
    return rescored(unscored, {}, scorecard.pass_mark)


def rescored(
    evaluation: Evaluation, outcomes: Mapping[str, Outcome], pass_mark: float
) -> Evaluation:
    """The evaluation with some criteria's outcomes changed, scored by the one scoring rule.

    A reviewer's overrides go through here, so a reviewed score is computed exactly as the
    scorer computes an automatic one (same rounding, same critical rule).
    """
    verdicts = tuple(_with_outcome(v, outcomes.get(v.criterion)) for v in evaluation.verdicts)
    sections = tuple(
        replace(s, score=_percentage([v for v in verdicts if v.section == s.section]))
        for s in evaluation.sections
    )
    scored = [s for s in sections if s.score is not None]
    total_weight = sum(s.weight for s in scored)
    score = (
        round(sum(s.weight * (s.score or 0.0) for s in scored) / total_weight, 2)
        if total_weight
        else 100.0
    )
    critical_failed = any(v.critical and v.outcome == "fail" for v in verdicts)
    return replace(
        evaluation,
        score=score,
        passed=not critical_failed and score >= pass_mark,
        critical_failed=critical_failed,
        verdicts=verdicts,
        sections=sections,
    )


def _with_outcome(verdict: CriterionVerdict, outcome: Outcome | None) -> CriterionVerdict:
    if outcome is None or outcome == verdict.outcome:
        return verdict
    return replace(verdict, outcome=outcome, points=_points(outcome, verdict.max_points))


def _points(outcome: str, max_points: float) -> float:
    return max_points if outcome == "pass" else 0.0


def _verdict(
    call: CallContext, results: _CriterionResults, criterion: Criterion
) -> CriterionVerdict:
    definition = criterion.definition
    na_reason = results.not_applicable(criterion)
    if na_reason is not None:
        outcome, evidence = "na", na_reason.evidence
        explanation = explain("Not applicable: {reason}", reason=na_reason.explanation)
        uncertain, models = na_reason.uncertain, na_reason.models
    else:
        result = results.check_result(criterion.id)
        outcome, evidence, explanation = result.outcome, result.evidence, result.explanation
        uncertain, models = result.uncertain, result.models
    return CriterionVerdict(
        criterion=definition.id,
        name=text_in(definition.name, SOURCE_LANGUAGE),
        section=criterion.section,
        outcome=outcome,  # type: ignore[arg-type]
        points=_points(outcome, definition.points),
        max_points=definition.points,
        critical=definition.critical,
        evidence=evidence,
        explanation=explanation,
        coaching_tip=text_in(definition.coaching_tip, call.language),
        uncertain=uncertain,
        models=models,
    )


def _percentage(verdicts: list[CriterionVerdict]) -> float | None:
    applicable = [v for v in verdicts if v.outcome != "na"]
    possible = sum(v.max_points for v in applicable)
    if not possible:
        return None
    return round(100.0 * sum(v.points for v in applicable) / possible, 2)
