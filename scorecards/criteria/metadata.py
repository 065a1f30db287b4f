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
from scorecards.registry import CheckContext, CheckResult, CriterionType, criterion_type, outcome_of
from scorecards.results import CallMetadata, Evidence

MetadataField = Literal[
    "rings", "ring_seconds", "wait_seconds", "handle_seconds", "customer_feedback"
]


class MetadataParams(Limits):
    field: MetadataField
    seconds_per_ring: float = Field(default=6.0, gt=0)


def _value(metadata: CallMetadata, params: MetadataParams) -> tuple[float | None, str]:
    if params.field == "rings":
        seconds = metadata.ring_seconds
        if seconds is None:
            return None, "ring time"
        return seconds / params.seconds_per_ring, "ring time"
    return getattr(metadata, params.field), params.field.replace("_", " ")


@criterion_type("metadata_threshold")
class MetadataThreshold(CriterionType[MetadataParams]):
    Params = MetadataParams

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        params = self.params
        value, what = _value(ctx.call.metadata, params)
        if value is None:
            return CheckResult("na", (), f"The call metadata has no {what}.")
        if params.field == "rings":
            seconds = ctx.call.metadata.ring_seconds or 0.0
            stated = (
                f"answered after {seconds:g} s of ringing = {value:.1f} rings "
                f"at {params.seconds_per_ring:g} s per ring"
            )
        else:
            stated = f"{what} {value:g}"
        limit = f"limit: {params.describe()}"
        evidence = (Evidence(None, None, None, None, f"{stated} ({limit})"),)
        return CheckResult(
            outcome_of(params.allows(value)), evidence, f"{stated.capitalize()}; {limit}."
        )
