"""ordered_steps: step A happens before step B (identity verified before account details)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from scorecards.criteria.params import PhraseParams
from scorecards.explanation import Explanation, explain
from scorecards.matching import PhraseMatch, evidence_for
from scorecards.registry import (
    CheckContext,
    CheckParams,
    CheckResult,
    CriterionType,
    criterion_type,
)


class Step(PhraseParams):
    name: str


class OrderedStepsParams(CheckParams):
    steps: list[Step] = Field(min_length=2)
    # When a later step never happens, the order cannot be wrong: usually not applicable.
    when_later_missing: Literal["na", "pass", "fail"] = "na"


@criterion_type("ordered_steps")
class OrderedSteps(CriterionType[OrderedStepsParams]):
    Params = OrderedStepsParams

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        call = ctx.call
        found: list[PhraseMatch | None] = [
            call.haystack(step.scope(ctx)).first_occurrence(
                step.phrase_set.for_language(call.language)
            )
            for step in self.params.steps
        ]
        steps = self.params.steps
        evidence = tuple(evidence_for(m, call.utterances) for m in found if m is not None)
        for position in range(1, len(steps)):
            later, earlier = found[position], found[position - 1]
            if later is None:
                return CheckResult(
                    self.params.when_later_missing,
                    evidence,
                    explain(
                        "'{step}' never happens (looked for {looked_for}).",
                        step=steps[position].name,
                        looked_for=steps[position].looked_for(call, steps[position].scope(ctx)),
                    ),
                )
            later_start = call.utterances[later.indices[0]].start
            if earlier is None:
                return CheckResult(
                    "fail",
                    evidence,
                    explain(
                        "'{step}' at {at:.1f} s without '{earlier}' before it.",
                        step=steps[position].name,
                        at=later_start,
                        earlier=steps[position - 1].name,
                    ),
                )
            earlier_start = call.utterances[earlier.indices[0]].start
            if earlier_start > later_start:
                return CheckResult(
                    "fail",
                    evidence,
                    explain(
                        "'{step}' at {at:.1f} s came before '{earlier}' at {earlier_at:.1f} s.",
                        step=steps[position].name,
                        at=later_start,
                        earlier=steps[position - 1].name,
                        earlier_at=earlier_start,
                    ),
                )
        order = _in_order(tuple(f"'{s.name}'" for s in steps))
        return CheckResult("pass", evidence, explain("In order: {order}.", order=order))


def _in_order(names: tuple[str, ...]) -> Explanation:
    """'a' before 'b' before 'c': the step names as written, the word between translated."""
    if len(names) == 1:
        return Explanation.verbatim(names[0])
    return explain("{earlier} before {later}", earlier=_in_order(names[:-1]), later=names[-1])
