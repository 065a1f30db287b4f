"""What a check sees of one call: the transcript, its metadata, and work shared between checks.

Built once per call and shared by every scorecard scored on it, so utterances are normalised
once and a phrase list searched in the same scope by two scorecards is searched once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

from scorecards.explanation import Explanation, explain
from scorecards.learned import TextClassifier, score_texts, shipped_classifier
from scorecards.matching import Haystack
from scorecards.normalize import normalize
from scorecards.phrases import LEMMATISED, lemmatized
from scorecards.results import CallMetadata
from transcription.transcript import CallTranscript

SpeakerChoice = Literal["agent", "customer", "any"]
T = TypeVar("T")


@dataclass(frozen=True)
class Scope:
    """Which utterances a check looks at: a speaker, and the first or last seconds of the call."""

    speaker: SpeakerChoice = "any"
    first_seconds: float | None = None
    last_seconds: float | None = None

    def describe(self, speakers_known: bool) -> Explanation:
        who = party(self.speaker, speakers_known)
        if self.first_seconds is not None:
            return explain("{who} in the first {seconds:g} s", who=who, seconds=self.first_seconds)
        if self.last_seconds is not None:
            return explain("{who} in the last {seconds:g} s", who=who, seconds=self.last_seconds)
        return explain("{who} during the call", who=who)


def party(speaker: SpeakerChoice, speakers_known: bool = True) -> Explanation:
    """Whose words a check reads, as explanations name them (a mono call cannot tell apart)."""
    if speaker == "any":
        return explain("anyone")
    if speaker == "agent":
        if speakers_known:
            return explain("the agent")
        return explain("anyone (mono recording: the agent cannot be told apart)")
    if speakers_known:
        return explain("the customer")
    return explain("anyone (mono recording: the customer cannot be told apart)")


class CallContext:
    def __init__(
        self,
        transcript: CallTranscript,
        metadata: CallMetadata | None = None,
        classifiers: Mapping[str, TextClassifier] | None = None,
    ) -> None:
        self.transcript = transcript
        self.classifiers = dict(classifiers or {})
        self.metadata = metadata or CallMetadata()
        self.language = (transcript.language or "en").lower()
        self.utterances = transcript.utterances
        self.normalized = [normalize(u.text) for u in transcript.utterances]
        ends = [u.end for u in transcript.utterances]
        self.duration = max([transcript.duration, *ends])
        self.speakers_known = transcript.speakers_known
        self.roles_uncertain = transcript.roles_uncertain
        self._memo: dict[Hashable, object] = {}

    def haystack(self, scope: Scope) -> Haystack:
        return self.memo(("haystack", scope), lambda: self._build_haystack(scope))

    def classifier(self, name: str) -> TextClassifier:
        """The center's activated version of a learned model, else the shipped one."""
        return self.classifiers.get(name) or shipped_classifier(name)

    def learned_scores(self, name: str, scope: Scope) -> dict[int, float]:
        """The probability under a learned model of each utterance in scope, embedded in one
        batch and shared by all checks and scorecards that ask for it.

        Only the scope is embedded (for the shipped checks, the agent's utterances): embedding
        is the scoring stage's main cost, and the customer's half of a call is not read."""

        def compute() -> dict[int, float]:
            indices = self.haystack(scope).indices
            texts = [self.utterances[i].text for i in indices]
            scores = score_texts(self.classifier(name), texts, self.language)
            return dict(zip(indices, (float(s) for s in scores), strict=True))

        return self.memo(("learned", name, scope), compute)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Compute once per call: results that several checks or scorecards share."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    def _build_haystack(self, scope: Scope) -> Haystack:
        indices = []
        for index, utterance in enumerate(self.utterances):
            if not self.normalized[index]:
                continue
            if (
                self.speakers_known
                and scope.speaker != "any"
                and utterance.speaker != scope.speaker
            ):
                continue
            if scope.first_seconds is not None and utterance.start >= scope.first_seconds:
                continue
            if (
                scope.last_seconds is not None
                and utterance.end <= self.duration - scope.last_seconds
            ):
                continue
            indices.append(index)
        return Haystack(indices, self.normalized, self.utterances, self._lemmatized())

    def _lemmatized(self) -> list[str] | None:
        """The utterances in dictionary forms, for a call in the lemmatised language."""
        if self.language != LEMMATISED:
            return None
        return self.memo("lemmatized", lambda: [lemmatized(text) for text in self.normalized])
