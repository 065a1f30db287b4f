"""metric_threshold: limits on call acoustics (silence, hold, interruptions, talk, loudness)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from scorecards.context import CallContext, SpeakerChoice
from scorecards.criteria.threshold import Limits
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
UNITS = {
    "longest_silence": "s",
    "total_silence": "s",
    "hold_time": "s",
    "longest_hold": "s",
    "overtalk_time": "s",
    "words_per_minute": "words/min",
    "max_loudness": "dBFS",
    "mean_loudness": "dBFS",
    "loudness_peak_over_mean": "dB",
}


class MetricParams(Limits):
    metric: CallMetricName | SpeakerMetricName
    speaker: SpeakerChoice | None = None


@dataclass(frozen=True)
class Figure:
    value: float | None
    periods: tuple[Period, ...] = ()
    missing: str = ""


def _longest(periods: tuple[Period, ...]) -> tuple[Period, ...]:
    return (max(periods, key=lambda p: p.duration),) if periods else ()


def _call_figure(call: CallContext, metric: str, speaker: SpeakerChoice) -> Figure:
    m = call.transcript.metrics
    if metric == "interruptions":
        if speaker != "any" and not call.speakers_known:
            return Figure(None, missing="interruptions by one side need a stereo recording")
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
        return Figure(None, missing=f"{metric} needs a speaker (agent or customer)")
    if not call.speakers_known:
        return Figure(None, missing=f"{metric} of the {speaker} needs a stereo recording")
    stats: SpeakerMetrics | None = call.transcript.metrics.speakers.get(speaker)
    if stats is None:
        return Figure(None, missing=f"no metrics for the {speaker}")
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
    return Figure(value, missing="" if value is not None else f"no loudness for the {speaker}")


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
        label = params.metric.replace("_", " ") + (f" ({speaker})" if speaker != "any" else "")
        if figure.value is None:
            return CheckResult("na", (), f"Cannot measure {label}: {figure.missing}.")
        unit = UNITS.get(params.metric, "")
        stated = f"{label} {figure.value:.3g}{' ' + unit if unit else ''}"
        limit = f"limit: {params.describe()}"
        passed = params.allows(figure.value)
        evidence = _evidence(figure, stated, limit, speaker)
        return CheckResult(outcome_of(passed), evidence, f"{stated.capitalize()}; {limit}.")


def _evidence(
    figure: Figure, stated: str, limit: str, speaker: SpeakerChoice
) -> tuple[Evidence, ...]:
    who = None if speaker == "any" else speaker
    if not figure.periods:
        return (Evidence(None, who, None, None, f"{stated} ({limit})"),)
    return tuple(
        Evidence(
            None, who, p.start, p.end, f"{stated} ({limit}); period {p.start:.1f}-{p.end:.1f} s"
        )
        for p in figure.periods[:5]
    )
