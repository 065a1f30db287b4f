"""Finding phrases in a call: fast over the whole call, precise about where.

The utterances in scope are joined into one normalised haystack, consecutive utterances of the
same speaker with a space (a phrase may run across them) and others with a separator that no
phrase can match through. One rapidfuzz call per phrase then covers the whole call, which is
several times faster than comparing each phrase with each utterance; the alignment rapidfuzz
returns tells which utterance(s) the match lies in.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from scorecards.phrases import Phrase
from scorecards.results import Evidence
from transcription.transcript import Utterance

SEPARATOR = " \x00\x00\x00\x00\x00\x00 "


@dataclass(frozen=True)
class PhraseMatch:
    phrase: Phrase
    indices: tuple[int, ...]  # utterance indices in the transcript, in order
    similarity: float


@dataclass(frozen=True)
class Located:
    """Where in a text a phrase matched (character offsets) and how closely."""

    score: float
    start: int
    end: int


_WORD_START = re.compile(r"(?<![^ \x00])[^ \x00]")


def locate(phrase: Phrase, text: str) -> Located | None:
    """The best place of `phrase` in `text` at or above its threshold, or None.

    A fuzzy match must begin where a word begins: "pathetic" is not said in "sympathetic",
    nor "успокойтесь" in "не беспокойтесь", however closely the letters agree. Endings may
    differ ("спасибочки" says "спасибо").
    """
    if phrase.pattern is not None:
        found = phrase.pattern.search(text)
        return Located(100.0, found.start(), found.end()) if found else None
    if len(text) < len(phrase.normalized):
        # partial_ratio would slide the text inside the phrase and call "thank you" a full
        # match for "thank you for calling": a text shorter than the phrase must match whole.
        score = fuzz.ratio(phrase.normalized, text, score_cutoff=phrase.threshold)
        return Located(score, 0, len(text)) if score else None
    best = fuzz.partial_ratio_alignment(phrase.normalized, text, score_cutoff=phrase.threshold)
    if best is None or not best.score:
        return None
    if best.dest_start == 0 or text[best.dest_start - 1] in " \x00":
        return Located(best.score, best.dest_start, best.dest_end)
    return _at_word_start(phrase, text)


def _at_word_start(phrase: Phrase, text: str) -> Located | None:
    """The best match among windows that begin a word (the rare case where the closest
    window overall begins inside one)."""
    length = len(phrase.normalized)
    starts = [m.start() for m in _WORD_START.finditer(text)]
    found = process.extractOne(
        phrase.normalized,
        [text[start : start + length] for start in starts],
        scorer=fuzz.ratio,
        score_cutoff=phrase.threshold,
    )
    if found is None:
        return None
    _, score, position = found
    start = starts[position]
    return Located(score, start, min(len(text), start + length))


def phrase_score(phrase: Phrase, text: str) -> float:
    """How well `phrase` occurs in `text`, 0..100, below its threshold counting as 0."""
    found = locate(phrase, text)
    return found.score if found else 0.0


class Haystack:
    """The normalised text of the utterances in one scope (a speaker and a time window)."""

    def __init__(
        self,
        indices: list[int],
        normalized: list[str],
        utterances: tuple[Utterance, ...],
        lemmatized: list[str] | None = None,
    ):
        """`lemmatized`: the same utterances in dictionary forms (Russian calls), where a
        phrase's lemmas are looked for when the phrase as written is not found."""
        self.indices = indices
        self.lemmas = Haystack(indices, lemmatized, utterances) if lemmatized else None
        self.utterances = utterances
        parts: list[str] = []
        self.starts: list[int] = []
        offset = 0
        previous: int | None = None
        for index in indices:
            if previous is not None:
                joined = index == previous + 1 and (
                    utterances[index].speaker == utterances[previous].speaker
                )
                glue = " " if joined else SEPARATOR
                parts.append(glue)
                offset += len(glue)
            self.starts.append(offset)
            parts.append(normalized[index])
            offset += len(normalized[index])
            previous = index
        self.text = "".join(parts)
        self.normalized = normalized
        # Whole-word phrases whose words are not all in scope cannot match: skip their regex.
        self.words = frozenset(self.text.split())
        self._best: dict[Phrase, PhraseMatch | None] = {}

    def __bool__(self) -> bool:
        return bool(self.indices)

    def best_match(self, phrase: Phrase) -> PhraseMatch | None:
        """Where the phrase best occurs in scope, or None if nowhere above its threshold.

        Remembered per phrase: lists share phrases, and criteria share scopes.
        """
        if phrase not in self._best:
            self._best[phrase] = self._find(phrase)
        return self._best[phrase]

    def _find(self, phrase: Phrase) -> PhraseMatch | None:
        found = self._find_as_written(phrase)
        if found is None and phrase.lemmas is not None and self.lemmas is not None:
            in_lemmas = self.lemmas.best_match(phrase.lemmas)
            if in_lemmas is not None:
                return PhraseMatch(phrase, in_lemmas.indices, in_lemmas.similarity)
        return found

    def _find_as_written(self, phrase: Phrase) -> PhraseMatch | None:
        if not self.text:
            return None
        if phrase.mode == "words" and not phrase.words <= self.words:
            return None
        found = locate(phrase, self.text)
        if found is None:
            return None
        if phrase.mode == "fuzzy" and len(self.text) < len(phrase.normalized):
            return PhraseMatch(phrase, tuple(self.indices), round(found.score, 1))
        indices = self._indices_between(found.start, found.end)
        if phrase.mode != "fuzzy":
            return PhraseMatch(phrase, indices, 100.0)
        return self._narrowed(phrase, indices, found.score)

    def _narrowed(self, phrase: Phrase, indices: tuple[int, ...], score: float) -> PhraseMatch:
        """The single utterance the match is in, or two when it really runs across them.

        An alignment over the joined text can reach into a neighbour; rescoring each utterance
        it touches keeps the evidence on the one where the phrase was said.
        """
        if len(indices) > 1:
            singles = [(phrase_score(phrase, self.normalized[i]), i) for i in indices]
            best_score, best = max(singles)
            spans = len(indices) == 2 and indices[1] == indices[0] + 1
            if best_score or not spans:
                return PhraseMatch(phrase, (best,), round(best_score or score, 1))
        return PhraseMatch(phrase, indices, round(score, 1))

    def matches(self, phrases: Iterable[Phrase], places: int | None = None) -> list[PhraseMatch]:
        """The best place of each phrase that occurs, closest match first (then earliest).

        With `places`, stops once the matches found cover that many utterances: enough
        evidence for a phrase that must be present, without searching for every other phrase.
        """
        found: list[PhraseMatch] = []
        covered: set[tuple[int, ...]] = set()
        for phrase in phrases:
            match = self.best_match(phrase)
            if match is not None:
                found.append(match)
                covered.add(match.indices)
                if places is not None and len(covered) >= places:
                    break
        return sorted(found, key=lambda m: (-m.similarity, m.indices[0]))

    def first_occurrence(self, phrases: Iterable[Phrase]) -> PhraseMatch | None:
        """The earliest utterance where any phrase occurs (for "A happens before B").

        A phrase may run across two consecutive utterances of one speaker; such a pair counts
        only when the second utterance does not hold a phrase on its own.
        """
        present = [m.phrase for m in self.matches(phrases)]
        if not present:
            return None
        for position, index in enumerate(self.indices):
            single = self._best_in((index,), present)
            if single is not None:
                return single
            following = self.indices[position + 1] if position + 1 < len(self.indices) else None
            if following != index + 1 or (
                self.utterances[following].speaker != self.utterances[index].speaker
            ):
                continue
            pair = self._best_in((index, following), present)
            if pair is not None and self._best_in((following,), present) is None:
                return pair
        return None

    def _best_in(self, window: tuple[int, ...], phrases: list[Phrase]) -> PhraseMatch | None:
        scored = ((self._window_score(p, window), p) for p in phrases)
        score, phrase = max(scored, key=lambda s: s[0])
        return PhraseMatch(phrase, window, round(score, 1)) if score else None

    def _window_score(self, phrase: Phrase, window: tuple[int, ...]) -> float:
        score = phrase_score(phrase, " ".join(self.normalized[i] for i in window))
        if not score and phrase.lemmas is not None and self.lemmas is not None:
            return self.lemmas._window_score(phrase.lemmas, window)
        return score

    def _indices_between(self, start: int, end: int) -> tuple[int, ...]:
        first = max(0, bisect_right(self.starts, start) - 1)
        last = max(first, bisect_right(self.starts, max(start, end - 1)) - 1)
        # A match that only touches an utterance's first character belongs to the one before.
        return tuple(self.indices[first : last + 1])


def evidence_for(match: PhraseMatch, utterances: tuple[Utterance, ...]) -> Evidence:
    said = [utterances[i] for i in match.indices]
    return Evidence(
        utterance_index=match.indices[0],
        speaker=said[0].speaker,
        start=said[0].start,
        end=said[-1].end,
        text=" ".join(u.text.strip() for u in said),
        phrase=match.phrase.text,
        similarity=match.similarity,
    )
