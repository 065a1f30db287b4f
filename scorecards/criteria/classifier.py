"""classifier: a learned model reads every utterance in scope; evidence is what it scored highest.

    check:
      type: classifier
      params: {model: rude, speaker: agent}   # optional: threshold, abstain: [low, high]

Fails when some utterance's calibrated probability reaches the threshold. When the deciding
probability (the highest in scope) falls inside the abstain band, the verdict is marked
uncertain: the call goes to human review and the agent sees it only after a reviewer decides.
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from scorecards.context import Scope, SpeakerChoice
from scorecards.explanation import Explanation, Param, explain, explain_plural, joined
from scorecards.learned import SHIPPED, utterance_language
from scorecards.registry import (
    CheckContext,
    CheckParams,
    CheckResult,
    CriterionType,
    criterion_type,
)
from scorecards.results import Evidence, Outcome

MAX_EVIDENCE = 3


class ClassifierParams(CheckParams):
    model: str
    speaker: SpeakerChoice | None = None
    threshold: float | None = Field(default=None, gt=0, lt=1)
    abstain: tuple[float, float] | None = None

    @field_validator("model")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in SHIPPED:
            known = ", ".join(sorted(SHIPPED))
            raise ValueError(
                explain(
                    "unknown learned model {name}; known: {known}", name=repr(value), known=known
                )
            )
        return value

    @model_validator(mode="after")
    def _band(self) -> ClassifierParams:
        if self.abstain is not None:
            low, high = self.abstain
            if not 0 <= low <= high <= 1:
                raise ValueError(explain("abstain must be [low, high] with 0 <= low <= high <= 1"))
        return self


@criterion_type("classifier")
class Classifier(CriterionType[ClassifierParams]):
    """Passes when no utterance in scope is classified as the model's positive class."""

    Params = ClassifierParams

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        call = ctx.call
        model = call.classifier(self.params.model)
        threshold = self.params.threshold or model.threshold
        scope = Scope(self.params.speaker or ctx.speaker)
        indices = call.haystack(scope).indices
        who = scope.describe(call.speakers_known)
        if not indices:
            return CheckResult("na", (), explain("Nothing said by {who} to classify.", who=who))
        scores = call.learned_scores(self.params.model, scope)
        ranked = sorted(indices, key=lambda i: -scores[i])
        top = scores[ranked[0]]
        deciding = utterance_language(call.utterances[ranked[0]].text, call.language)
        low, high = self.params.abstain or _band_around(
            model.head(deciding, call.language).band, model.threshold, threshold
        )
        flagged = [i for i in ranked if scores[i] >= threshold]
        shown = (flagged or ranked)[:MAX_EVIDENCE]
        evidence = tuple(sorted((self._evidence(ctx, i, scores[i]) for i in shown), key=_at))
        uncertain = low <= top < high
        outcome: Outcome = "fail" if flagged else "pass"
        figures: dict[str, Param] = {
            "model": model.name,
            "who": who,
            "top": top,
            "threshold": threshold,
        }
        decided = (
            explain_plural(
                "The {model} model flags {count} utterance by {who} "
                "(highest probability {top:.2f}, threshold {threshold:.2f}).",
                "The {model} model flags {count} utterances by {who} "
                "(highest probability {top:.2f}, threshold {threshold:.2f}).",
                len(flagged),
                **figures,
            )
            if flagged
            else explain(
                "The {model} model flags nothing by {who} "
                "(highest probability {top:.2f}, threshold {threshold:.2f}).",
                **figures,
            )
        )
        parts: tuple[Explanation, ...] = (decided,)
        if uncertain:
            parts += (
                explain(
                    "Uncertain: {top:.2f} lies in the abstain band {low:.2f}-{high:.2f}; "
                    "a reviewer decides.",
                    top=top,
                    low=low,
                    high=high,
                ),
            )
        return CheckResult(outcome, evidence, joined(parts), uncertain, (model.label,))

    def _evidence(self, ctx: CheckContext, index: int, score: float) -> Evidence:
        u = ctx.call.utterances[index]
        return Evidence(index, u.speaker, u.start, u.end, u.text, score=round(score, 3))


def _band_around(
    band: tuple[float, float], trained_at: float, threshold: float
) -> tuple[float, float]:
    """The model's abstain band moved with the threshold a scorecard sets: as wide, around it."""
    shift = threshold - trained_at
    return max(0.0, band[0] + shift), min(1.0, band[1] + shift)


def _at(evidence: Evidence) -> int:
    return evidence.utterance_index or 0
