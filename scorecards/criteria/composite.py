"""all / any / not over other checks, and `criterion` to reuse a sibling criterion's check.

Not-applicable children are left out: `all` passes when nothing fails and something passes,
`any` passes when something passes; with nothing applicable the composite is not applicable.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationInfo, field_validator

from scorecards.explanation import Explanation, explain, joined
from scorecards.registry import (
    CheckContext,
    CheckParams,
    CheckResult,
    CriterionType,
    LoadContext,
    build_check,
    criterion_type,
)
from scorecards.results import Outcome


class ChildrenParams(CheckParams):
    checks: list[dict[str, Any]] = Field(min_length=1)


class ChildParams(CheckParams):
    check: dict[str, Any]


class _Composite(CriterionType[Any]):
    shareable = False

    def __init__(self, params: Any, path: str, load: LoadContext) -> None:
        super().__init__(params, path, load)
        specs = params.checks if isinstance(params, ChildrenParams) else [params.check]
        where = "checks" if isinstance(params, ChildrenParams) else "check"
        self.children = [
            build_check(
                spec, f"{path}.params.{where}" + (f"[{i}]" if where == "checks" else ""), load
            )
            for i, spec in enumerate(specs)
        ]

    def results(self, ctx: CheckContext) -> list[CheckResult]:
        return [child.run(ctx) for child in self.children]


def _joined(results: list[CheckResult]) -> Explanation:
    return joined(tuple(r.explanation for r in results))


def _evidence(results: list[CheckResult]) -> tuple[Any, ...]:
    return tuple(e for r in results for e in r.evidence)


def _decided(
    outcome: Outcome, deciding: list[CheckResult], results: list[CheckResult]
) -> CheckResult:
    """The composite's result from the children that decide it: uncertain only when every one
    of them is (a phrase found for sure is not made doubtful by an uncertain model score)."""
    models = tuple(dict.fromkeys(m for r in results for m in r.models))
    uncertain = (
        all(r.uncertain for r in deciding)
        if outcome == "fail"
        else any(r.uncertain for r in results)
    )
    return CheckResult(outcome, _evidence(deciding), _joined(deciding), uncertain, models)


@criterion_type("all")
class AllOf(_Composite):
    Params = ChildrenParams

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        results = self.results(ctx)
        failed = [r for r in results if r.outcome == "fail"]
        if failed:
            return _decided("fail", failed, results)
        passed = [r for r in results if r.outcome == "pass"]
        if passed:
            return _decided("pass", passed, results)
        return CheckResult("na", (), _joined(results))


@criterion_type("any")
class AnyOf(_Composite):
    Params = ChildrenParams

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        results = self.results(ctx)
        passed = [r for r in results if r.outcome == "pass"]
        if passed:
            return _decided("pass", passed, results)
        failed = [r for r in results if r.outcome == "fail"]
        if failed:
            return _decided("fail", failed, results)
        return CheckResult("na", (), _joined(results))


@criterion_type("not")
class Not(_Composite):
    Params = ChildParams

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        (result,) = self.results(ctx)
        flipped = {"pass": "fail", "fail": "pass", "na": "na"}[result.outcome]
        return CheckResult(
            flipped,  # type: ignore[arg-type]
            result.evidence,
            explain("Not: {reason}", reason=result.explanation),
            result.uncertain,
            result.models,
        )


class CriterionRefParams(CheckParams):
    criterion: str

    @field_validator("criterion")
    @classmethod
    def _exists(cls, value: str, info: ValidationInfo) -> str:
        load = (info.context or {}).get("load")
        if isinstance(load, LoadContext) and value not in load.criterion_ids:
            known = ", ".join(sorted(load.criterion_ids))
            raise ValueError(
                explain(
                    "no criterion {name} in this scorecard; criteria: {known}",
                    name=repr(value),
                    known=known,
                )
            )
        return value


@criterion_type("criterion")
class CriterionRef(CriterionType[CriterionRefParams]):
    """The result of another criterion's check in the same scorecard, computed once."""

    Params = CriterionRefParams
    shareable = False

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        return ctx.criterion_result(self.params.criterion)
