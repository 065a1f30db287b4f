"""metric_threshold: limits on call acoustics (silence, hold, interruptions, talk, loudness)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from scorecards.context import CallContext, SpeakerChoice, party
from scorecards.criteria.threshold import Limits
from scorecards.explanation import Explanation, explain
from scorecards.registry import CheckContext, CheckResult, CriterionType, criterion_type, outcome_of
from scorecards.results import Evidence
from transcription.transcript import Period, SpeakerMetrics

CallMetricName = Literal[
    "longest_silence",
    "total_silence",
    "hold_time",
    "hold_count",
    "longest_hold",
    "overtalk_time",
    "interruptions",
]
SpeakerMetricName = Literal[
    "talk_ratio",
    "words_per_minute",
    "max_loudness",
    "mean_loudness",
    "loudness_peak_over_mean",
]
METRIC_NAMES = {
    "longest_silence": explain("longest silence"),
    "total_silence": explain("total silence"),
    "hold_time": explain("hold time"),
    "hold_count": explain("hold count"),
    "longest_hold": explain("longest hold"),
    "overtalk_time": explain("overtalk time"),
    "interruptions": explain("interruptions"),
    "talk_ratio": explain("talk ratio"),
    "words_per_minute": explain("words per minute"),
    "max_loudness": explain("max loudness"),
    "mean_loudness": explain("mean loudness"),
    "loudness_peak_over_mean": explain("loudness peak over mean"),
}
SECONDS = "s"
UNITS = {
    "longest_silence": SECONDS,
    "total_silence": SECONDS,
    "hold_time": SECONDS,
    "longest_hold": SECONDS,
    "overtalk_time": SECONDS,
    "words_per_minute": "words/min",
    "max_loudness": "dBFS",
    "mean_loudness": "dBFS",
    "loudness_peak_over_mean": "dB",
}


def _amount(metric: str, value: float) -> Explanation:
    """A figure with its unit, as each language writes the unit."""
    unit = UNITS.get(metric)
    if unit == SECONDS:
        return explain("{value:.3g} s", value=value)
    if unit == "words/min":
        return explain("{value:.3g} words/min", value=value)
    # dB and dBFS are written so in every language: nothing to translate.
    shown = "{value:.3g}" if unit is None else "{value:.3g} " + unit
    return Explanation(shown, {"value": value})


class MetricParams(Limits):
    metric: CallMetricName | SpeakerMetricName
    speaker: SpeakerChoice | None = None


@dataclass(frozen=True)
class Figure:
    value: float | None
    periods: tuple[Period, ...] = ()
    missing: Explanation = Explanation()


def _longest(periods: tuple[Period, ...]) -> tuple[Period, ...]:
    return (max(periods, key=lambda p: p.duration),) if periods else ()


def _call_figure(call: CallContext, metric: str, speaker: SpeakerChoice) -> Figure:
    m = call.transcript.metrics
    if metric == "interruptions":
        if speaker != "any" and not call.speakers_known:
            return Figure(
                None, missing=explain("interruptions by one side need a stereo recording")
            )
        chosen = [i for i in m.interruptions if speaker == "any" or i.by == speaker]
        return Figure(len(chosen), tuple(Period(i.at, i.at) for i in chosen))
    figures: dict[str, Callable[[], Figure]] = {
        "longest_silence": lambda: Figure(m.longest_silence, _longest(m.silences)),
        "total_silence": lambda: Figure(m.total_silence),
        "hold_time": lambda: Figure(m.hold_time, m.hold_periods),
        "hold_count": lambda: Figure(m.hold_count, m.hold_periods),
        "longest_hold": lambda: Figure(
            max((p.duration for p in m.hold_periods), default=0.0), _longest(m.hold_periods)
        ),
        "overtalk_time": lambda: Figure(m.overtalk_time, m.overtalk_periods),
    }
    return figures[metric]()


def _speaker_figure(call: CallContext, metric: str, speaker: SpeakerChoice) -> Figure:
    if speaker == "any":
        return Figure(
            None,
            missing=explain(
                "{metric} needs a speaker (agent or customer)", metric=METRIC_NAMES[metric]
            ),
        )
    who = party(speaker)
    if not call.speakers_known:
        return Figure(
            None,
            missing=explain(
                "{metric} of {who} needs a stereo recording", metric=METRIC_NAMES[metric], who=who
            ),
        )
    stats: SpeakerMetrics | None = call.transcript.metrics.speakers.get(speaker)
    if stats is None:
        return Figure(None, missing=explain("no metrics for {who}", who=who))
    values: dict[str, float | None] = {
        "talk_ratio": stats.talk_ratio,
        "words_per_minute": stats.words_per_minute,
        "max_loudness": stats.max_loudness_dbfs,
        "mean_loudness": stats.mean_loudness_dbfs,
        "loudness_peak_over_mean": None
        if stats.max_loudness_dbfs is None or stats.mean_loudness_dbfs is None
        else stats.max_loudness_dbfs - stats.mean_loudness_dbfs,
    }
    value = values[metric]
    missing = Explanation() if value is not None else explain("no loudness for {who}", who=who)
    return Figure(value, missing=missing)


@criterion_type("metric_threshold")
class MetricThreshold(CriterionType[MetricParams]):
    Params = MetricParams

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        params = self.params
        speaker = params.speaker or ctx.speaker
        per_speaker = params.metric in SpeakerMetricName.__args__  # type: ignore[attr-defined]
        figure = (_speaker_figure if per_speaker else _call_figure)(
            ctx.call, params.metric, speaker
        )
        name = METRIC_NAMES[params.metric]
        label = (
            name
            if speaker == "any"
            else explain("{metric} of {who}", metric=name, who=party(speaker))
        )
        if figure.value is None:
            return CheckResult(
                "na", (), explain("Cannot measure {what}: {why}.", what=label, why=figure.missing)
            )
        stated = explain(
            "Measured {what}: {amount}", what=label, amount=_amount(params.metric, figure.value)
        )
        limit = params.describe()
        passed = params.allows(figure.value)
        evidence = _evidence(figure, stated, limit, speaker)
        explanation = explain("{stated}; limit: {limit}.", stated=stated, limit=limit)
        return CheckResult(outcome_of(passed), evidence, explanation)


def _evidence(
    figure: Figure, stated: Explanation, limit: Explanation, speaker: SpeakerChoice
) -> tuple[Evidence, ...]:
    """The figure against its limit, once per period it was measured in (five at most)."""
    who = None if speaker == "any" else speaker
    shown = explain("{stated} (limit: {limit})", stated=stated, limit=limit)
    if not figure.periods:
        return (Evidence.stated(shown, who),)
    return tuple(
        Evidence.stated(
            explain(
                "{shown}; period {start:.1f}-{end:.1f} s", shown=shown, start=p.start, end=p.end
            ),
            who,
            p.start,
            p.end,
        )
        for p in figure.periods[:5]
    )
