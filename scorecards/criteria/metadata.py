"""metadata_threshold: limits on what telephony or a survey says (rings, handle time, rating).

Rings are not measured by telephony systems, ring time in seconds is: a ring is taken as
`seconds_per_ring` seconds (6 by default: the North American cadence of 2 s ringing and
4 s silence; the UK's double ring repeats every 3 s). Answered within three rings therefore
means a ring time of at most 18 s unless the scorecard says otherwise.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from scorecards.criteria.threshold import Limits
from scorecards.explanation import explain
from scorecards.registry import CheckContext, CheckResult, CriterionType, criterion_type, outcome_of
from scorecards.results import CallMetadata, Evidence

MetadataField = Literal[
    "rings", "ring_seconds", "wait_seconds", "handle_seconds", "customer_feedback"
]


class MetadataParams(Limits):
    field: MetadataField
    seconds_per_ring: float = Field(default=6.0, gt=0)


FIELD_NAMES = {
    "rings": explain("ring time"),
    "ring_seconds": explain("ring seconds"),
    "wait_seconds": explain("wait seconds"),
    "handle_seconds": explain("handle seconds"),
    "customer_feedback": explain("customer feedback"),
}


def _value(metadata: CallMetadata, params: MetadataParams) -> float | None:
    if params.field == "rings":
        seconds = metadata.ring_seconds
        return None if seconds is None else seconds / params.seconds_per_ring
    value: float | None = getattr(metadata, params.field)
    return value


@criterion_type("metadata_threshold")
class MetadataThreshold(CriterionType[MetadataParams]):
    Params = MetadataParams

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        params = self.params
        value = _value(ctx.call.metadata, params)
        what = FIELD_NAMES[params.field]
        if value is None:
            return CheckResult("na", (), explain("The call metadata has no {what}.", what=what))
        if params.field == "rings":
            stated = explain(
                "Answered after {seconds:g} s of ringing = {rings:.1f} rings "
                "at {per_ring:g} s per ring",
                seconds=ctx.call.metadata.ring_seconds or 0.0,
                rings=value,
                per_ring=params.seconds_per_ring,
            )
        else:
            stated = explain("Call metadata: {what} {value:g}", what=what, value=value)
        limit = params.describe()
        evidence = (
            Evidence.stated(explain("{stated} (limit: {limit})", stated=stated, limit=limit)),
        )
        explanation = explain("{stated}; limit: {limit}.", stated=stated, limit=limit)
        return CheckResult(outcome_of(params.allows(value)), evidence, explanation)
