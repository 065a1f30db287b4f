"""Call acoustics from word timings and the audio: talk time, silence, hold, overtalk, loudness.

Speech intervals come from word times (more precise than segment bounds, which Whisper pads):
a party is talking from a word's start to its end, and pauses shorter than MAX_PAUSE between two
of their words still count as talking. The rules, in the terms a QA analyst uses:

- silence: nobody talks for at least MIN_SILENCE seconds. Before the first and after the last
  speech only a stretch longer than EDGE_GRACE counts (a few seconds of ringing or hang-up are
  not dead air; a call where hardly anyone or nobody speaks is silence, and a silent call is
  silent for its whole length);
- hold: a silence of at least `hold_threshold` seconds;
- overtalk: both parties talk at once for at least `min_overtalk` seconds;
- interruption: a party starts talking while the other is mid-utterance (started earlier),
  and the other goes on for at least `min_overtalk` seconds after that start, so a reply that
  merely touches the end of a sentence is not an interruption.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np

from transcription.audio import SAMPLE_RATE
from transcription.channels import SpeakerTracks
from transcription.transcript import (
    CallMetrics,
    Interruption,
    Period,
    Speaker,
    SpeakerMetrics,
    Utterance,
)

MAX_PAUSE = 0.5
MIN_SILENCE = 1.0
EDGE_GRACE = 5.0
_FLOOR_DBFS = -100.0
# Whisper can give a word no duration; loudness is then taken over this much audio from its start.
_MIN_LOUDNESS_SAMPLES = int(0.1 * SAMPLE_RATE)

Intervals = list[tuple[float, float]]


def with_loudness(utterances: Sequence[Utterance], tracks: SpeakerTracks) -> list[Utterance]:
    """Each utterance with the RMS loudness (dBFS) of its own party's channel."""
    samples_of = {track.speaker: track.samples for track in tracks.tracks}
    return [
        _replace_loudness(u, rms_dbfs(samples_of[u.speaker], u.start, u.end)) for u in utterances
    ]


def rms_dbfs(samples: np.ndarray, start: float, end: float) -> float:
    first = int(start * SAMPLE_RATE)
    piece = samples[first : max(int(end * SAMPLE_RATE), first + _MIN_LOUDNESS_SAMPLES)]
    if len(piece) == 0:
        return _FLOOR_DBFS
    rms = float(np.sqrt(np.mean(np.square(piece, dtype=np.float64))))
    return round(max(_FLOOR_DBFS, 20 * math.log10(rms)) if rms > 0 else _FLOOR_DBFS, 2)


def call_metrics(
    utterances: Sequence[Utterance],
    hold_threshold: float,
    min_overtalk: float,
    call_duration: float | None = None,
) -> CallMetrics:
    """Metrics of these utterances; `call_duration` (the decoded length) lets the silence
    before the first and after the last speech count, and without it they cannot."""
    speakers = sorted({u.speaker for u in utterances})
    talk = {s: speech_intervals(u for u in utterances if u.speaker == s) for s in speakers}
    total_talk = sum(_length(intervals) for intervals in talk.values())
    speech = _union([i for intervals in talk.values() for i in intervals])
    silences = _silences(speech, call_duration)
    overtalk: Intervals = []
    interruptions: list[Interruption] = []
    if len(speakers) == 2:
        first, second = speakers
        both = _intersection(talk[first], talk[second])
        overtalk = [(s, e) for s, e in both if e - s >= min_overtalk]
        interruptions = _interruptions(talk, min_overtalk)
    return CallMetrics(
        speakers={
            s: _speaker_metrics([u for u in utterances if u.speaker == s], talk[s], total_talk)
            for s in speakers
        },
        total_silence=round(sum(e - s for s, e in silences), 3),
        longest_silence=round(max((e - s for s, e in silences), default=0.0), 3),
        silences=_periods(silences),
        hold_threshold=hold_threshold,
        hold_periods=_periods([p for p in silences if p[1] - p[0] >= hold_threshold]),
        overtalk_periods=_periods(overtalk),
        interruptions=tuple(interruptions),
    )


def speech_intervals(utterances: Iterable[Utterance]) -> Intervals:
    """Word-time intervals of these utterances, pauses under MAX_PAUSE bridged."""
    spans: Intervals = []
    for utterance in utterances:
        if utterance.words:
            spans.extend((w.start, w.end) for w in utterance.words)
        else:
            spans.append((utterance.start, utterance.end))
    return _union(spans, bridge=MAX_PAUSE)


def _speaker_metrics(
    utterances: list[Utterance], talk: Intervals, total_talk: float
) -> SpeakerMetrics:
    talk_time = _length(talk)
    words = sum(len(u.words) or len(u.text.split()) for u in utterances)
    loudness = [u.loudness_dbfs for u in utterances if u.loudness_dbfs is not None]
    return SpeakerMetrics(
        talk_time=round(talk_time, 3),
        talk_ratio=round(talk_time / total_talk, 4) if total_talk else 0.0,
        words_per_minute=round(words / (talk_time / 60), 1) if talk_time else 0.0,
        utterance_count=len(utterances),
        mean_loudness_dbfs=round(float(np.mean(loudness)), 2) if loudness else None,
        max_loudness_dbfs=round(max(loudness), 2) if loudness else None,
    )


def _interruptions(talk: dict[Speaker, Intervals], min_overtalk: float) -> list[Interruption]:
    found: list[Interruption] = []
    for by, on in ((a, b) for a in talk for b in talk if a != b):
        starts = [s for s, _ in talk[on]]
        for start, _ in talk[by]:
            index = bisect.bisect_left(starts, start) - 1  # the other's last turn begun before
            if index >= 0 and talk[on][index][1] - start >= min_overtalk:
                found.append(Interruption(at=round(start, 3), by=by, on=on))
    return sorted(found, key=lambda i: i.at)


def _silences(speech: Intervals, call_duration: float | None) -> Intervals:
    gaps = [(end, start) for (_, end), (start, _) in zip(speech, speech[1:], strict=False)]
    inner = [(s, e) for s, e in gaps if e - s >= MIN_SILENCE]
    if call_duration is None:
        return inner
    if not speech:
        return [(0.0, call_duration)] if call_duration >= MIN_SILENCE else []
    edges = [(0.0, speech[0][0])], [(speech[-1][1], call_duration)]
    leading, trailing = ([(s, e) for s, e in edge if e - s > EDGE_GRACE] for edge in edges)
    return [*leading, *inner, *trailing]


def _union(spans: Intervals, bridge: float = 0.0) -> Intervals:
    merged: Intervals = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + bridge:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _intersection(first: Intervals, second: Intervals) -> Intervals:
    """Overlaps of two sorted, disjoint interval lists, by a single sweep."""
    overlaps: Intervals = []
    i = j = 0
    while i < len(first) and j < len(second):
        start, end = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        if end > start:
            overlaps.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return overlaps


def _length(intervals: Intervals) -> float:
    return sum(end - start for start, end in intervals)


def _periods(intervals: Intervals) -> tuple[Period, ...]:
    return tuple(Period(start=round(float(s), 3), end=round(float(e), 3)) for s, e in intervals)


def _replace_loudness(utterance: Utterance, loudness: float) -> Utterance:
    return replace(utterance, loudness_dbfs=loudness)
