"""Building transcripts for scorecard tests: what a recogniser would hand the scorer.

Utterances are written as (speaker, start, end, text); the text carries the noise real calls
have (misheard words, colloquial forms, Arabic letters in Persian), the timings are realistic.
"""

from __future__ import annotations

from transcription.transcript import (
    CallMetrics,
    CallTranscript,
    ChannelLayout,
    Interruption,
    Period,
    Speaker,
    SpeakerMetrics,
    Utterance,
)

Line = tuple[Speaker, float, float, str]


def call(
    language: str,
    lines: list[Line],
    metrics: CallMetrics | None = None,
    layout: ChannelLayout = "stereo",
    duration: float | None = None,
) -> CallTranscript:
    utterances = tuple(Utterance(speaker, start, end, text) for speaker, start, end, text in lines)
    return CallTranscript(
        language=language,
        language_probability=0.97,
        duration=duration if duration is not None else max(u.end for u in utterances),
        channel_layout=layout,
        utterances=utterances,
        metrics=metrics or CallMetrics(),
    )


def agent_metrics(
    mean_loudness: float = -24.0,
    max_loudness: float = -18.0,
    interruptions_by_agent: int = 0,
    longest_silence: float = 2.0,
    holds: tuple[Period, ...] = (),
) -> CallMetrics:
    """Acoustics of a call: the agent's loudness, interruptions, silences and holds."""
    return CallMetrics(
        speakers={
            "agent": SpeakerMetrics(
                talk_time=120.0,
                talk_ratio=0.55,
                words_per_minute=150.0,
                utterance_count=30,
                mean_loudness_dbfs=mean_loudness,
                max_loudness_dbfs=max_loudness,
            ),
            "customer": SpeakerMetrics(
                talk_time=100.0, talk_ratio=0.45, words_per_minute=140.0, utterance_count=28
            ),
        },
        longest_silence=longest_silence,
        total_silence=longest_silence * 2,
        silences=(Period(40.0, 40.0 + longest_silence), Period(90.0, 91.0)),
        hold_periods=holds,
        interruptions=tuple(
            Interruption(at=30.0 + 10 * i, by="agent", on="customer")
            for i in range(interruptions_by_agent)
        ),
    )
