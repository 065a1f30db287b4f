"""The transcript of record: what every later stage (scoring, storage, CLI) exchanges.

Plain frozen dataclasses with a JSON round-trip, so the scorer, the database and the CLI agree
on one shape without importing each other.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

Speaker = Literal["agent", "customer", "unknown"]
ChannelLayout = Literal["stereo", "mono"]
SPEAKERS: tuple[Speaker, ...] = ("agent", "customer", "unknown")


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    word: str
    probability: float


@dataclass(frozen=True)
class Utterance:
    speaker: Speaker
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    # RMS loudness of the utterance's audio in dBFS, so shouting can be found.
    loudness_dbfs: float | None = None
    # Which of a mono call's two voices said it (0 or 1; see `diarization`); None on stereo.
    voice: int | None = None

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)

    def shifted(self, seconds: float) -> Utterance:
        """The same utterance `seconds` later: times from a window are made times in the call."""
        if not seconds:
            return self
        return replace(
            self,
            start=round(self.start + seconds, 3),
            end=round(self.end + seconds, 3),
            words=tuple(
                replace(w, start=round(w.start + seconds, 3), end=round(w.end + seconds, 3))
                for w in self.words
            ),
        )


@dataclass(frozen=True)
class Period:
    start: float
    end: float

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class Interruption:
    """`by` started talking while `on` was still mid-utterance."""

    at: float
    by: Speaker
    on: Speaker


@dataclass(frozen=True)
class SpeakerMetrics:
    talk_time: float
    talk_ratio: float
    words_per_minute: float
    utterance_count: int
    mean_loudness_dbfs: float | None = None
    max_loudness_dbfs: float | None = None


@dataclass(frozen=True)
class CallMetrics:
    """Call acoustics computed from the audio and the timestamps."""

    speakers: dict[str, SpeakerMetrics] = field(default_factory=dict)
    total_silence: float = 0.0
    longest_silence: float = 0.0
    silences: tuple[Period, ...] = ()
    hold_threshold: float = 0.0
    hold_periods: tuple[Period, ...] = ()
    overtalk_periods: tuple[Period, ...] = ()
    interruptions: tuple[Interruption, ...] = ()

    @property
    def hold_time(self) -> float:
        return sum(p.duration for p in self.hold_periods)

    @property
    def hold_count(self) -> int:
        return len(self.hold_periods)

    @property
    def overtalk_time(self) -> float:
        return sum(p.duration for p in self.overtalk_periods)

    def interruptions_by(self, speaker: Speaker) -> int:
        return sum(1 for i in self.interruptions if i.by == speaker)


@dataclass(frozen=True)
class CallTranscript:
    language: str
    language_probability: float
    duration: float
    channel_layout: ChannelLayout
    utterances: tuple[Utterance, ...]
    metrics: CallMetrics = field(default_factory=CallMetrics)
    # Name or path of the model that produced it, for traceability.
    model: str = ""
    # Mono calls: 0..1, how far the split into two voices can be trusted (the name is older:
    # `diarization.split_confidence`, not how far apart the voices sound).
    voice_separation: float | None = None
    # Mono calls: 0..1, how sure the agent/customer labels given to the two voices are (None
    # until roles are given, and on stereo calls, whose channels say who is who).
    role_confidence: float | None = None
    # Mono calls: roles were given, but below the confidence the platform trusts.
    roles_uncertain: bool = False

    @property
    def speakers_known(self) -> bool:
        """Agent and customer can be told apart: stereo, or mono with trusted roles."""
        if self.channel_layout == "stereo":
            return True
        return self.role_confidence is not None and not self.roles_uncertain

    def utterances_of(self, speaker: Speaker) -> tuple[Utterance, ...]:
        return tuple(u for u in self.utterances if u.speaker == speaker)

    def with_utterances(self, utterances: tuple[Utterance, ...]) -> CallTranscript:
        return replace(self, utterances=utterances)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["speakers_known"] = self.speakers_known
        m = self.metrics
        data["metrics"].update(
            hold_time=m.hold_time,
            hold_count=m.hold_count,
            overtalk_time=m.overtalk_time,
        )
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CallTranscript:
        return cls(
            language=data["language"],
            language_probability=float(data["language_probability"]),
            duration=float(data["duration"]),
            channel_layout=data["channel_layout"],
            utterances=tuple(_utterance_from_dict(u) for u in data["utterances"]),
            metrics=_metrics_from_dict(data.get("metrics") or {}),
            model=data.get("model", ""),
            voice_separation=data.get("voice_separation"),
            role_confidence=data.get("role_confidence"),
            roles_uncertain=bool(data.get("roles_uncertain", False)),
        )

    @classmethod
    def from_json(cls, text: str) -> CallTranscript:
        return cls.from_dict(json.loads(text))


def _utterance_from_dict(data: dict[str, Any]) -> Utterance:
    return Utterance(
        speaker=data["speaker"],
        start=float(data["start"]),
        end=float(data["end"]),
        text=data["text"],
        words=tuple(Word(**w) for w in data.get("words", ())),
        loudness_dbfs=data.get("loudness_dbfs"),
        voice=data.get("voice"),
    )


def _metrics_from_dict(data: dict[str, Any]) -> CallMetrics:
    return CallMetrics(
        speakers={k: SpeakerMetrics(**v) for k, v in data.get("speakers", {}).items()},
        total_silence=float(data.get("total_silence", 0.0)),
        longest_silence=float(data.get("longest_silence", 0.0)),
        silences=tuple(Period(**p) for p in data.get("silences", ())),
        hold_threshold=float(data.get("hold_threshold", 0.0)),
        hold_periods=tuple(Period(**p) for p in data.get("hold_periods", ())),
        overtalk_periods=tuple(Period(**p) for p in data.get("overtalk_periods", ())),
        interruptions=tuple(Interruption(**i) for i in data.get("interruptions", ())),
    )
