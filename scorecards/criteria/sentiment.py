"""sentiment_shift: the customer's mood at the end of the call against the start."""

from __future__ import annotations

from pydantic import Field

from scorecards.context import Scope, SpeakerChoice, party
from scorecards.explanation import Explanation, explain
from scorecards.registry import (
    CheckContext,
    CheckParams,
    CheckResult,
    CriterionType,
    criterion_type,
    outcome_of,
)
from scorecards.results import Evidence
from scorecards.sentiment import text_sentiment


class SentimentParams(CheckParams):
    speaker: SpeakerChoice = "customer"
    # Share of the speaker's utterances that count as "the start" and as "the end".
    portion: float = Field(default=0.34, gt=0, le=0.5)
    # Passes when end - start >= min_change (0: not worse; negative: tolerate a small drop).
    min_change: float = Field(default=0.0, ge=-2, le=2)
    min_utterances: int = Field(default=2, ge=2)


@criterion_type("sentiment_shift")
class SentimentShift(CriterionType[SentimentParams]):
    Params = SentimentParams

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        call = ctx.call
        params = self.params
        if params.speaker != "any" and not call.speakers_known:
            return CheckResult(
                "na",
                (),
                explain("The mood of {who} needs a stereo recording.", who=party(params.speaker)),
            )
        indices = call.haystack(Scope(params.speaker)).indices
        if len(indices) < params.min_utterances:
            return CheckResult(
                "na",
                (),
                explain("Too few utterances by {who} to compare moods.", who=party(params.speaker)),
            )
        count = max(1, round(len(indices) * params.portion))
        scores = {i: text_sentiment(call.utterances[i].text, call.language) for i in indices}
        start_part, end_part = indices[:count], indices[-count:]
        start = sum(scores[i] for i in start_part) / count
        end = sum(scores[i] for i in end_part) / count
        change = end - start
        evidence = (
            self._evidence(
                ctx,
                max(start_part, key=lambda i: abs(scores[i])),
                explain("sentiment at the start: {mood:+.2f}", mood=start),
            ),
            self._evidence(
                ctx,
                max(end_part, key=lambda i: abs(scores[i])),
                explain("sentiment at the end: {mood:+.2f}", mood=end),
            ),
        )
        explanation = explain(
            "Sentiment of {who}: {start:+.2f} at the start, {end:+.2f} at the end "
            "(change {change:+.2f}; required at least {required:+.2f}).",
            who=party(params.speaker),
            start=start,
            end=end,
            change=change,
            required=params.min_change,
        )
        return CheckResult(outcome_of(change >= params.min_change), evidence, explanation)

    @staticmethod
    def _evidence(ctx: CheckContext, index: int, mood: Explanation) -> Evidence:
        """The utterance that weighs most in a part's mood, noted with that mood."""
        utterance = ctx.call.utterances[index]
        return Evidence(
            utterance_index=index,
            speaker=utterance.speaker,
            start=utterance.start,
            end=utterance.end,
            text=utterance.text,
            phrase=str(mood),
            similarity=None,
            message=mood,
        )
