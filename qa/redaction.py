"""Mask personal data in transcripts before anything is scored or stored.

What counts as personal data is decided in one place, `scorecards.personal_data` (shared with
the sensitive-data criterion); this module applies it to a transcript. Each finding becomes a
placeholder like `[CARD]`. Word timings are kept: the words a finding covers are merged into
one placeholder word that spans their time, so evidence and playback still line up. A number
a speaker continues in their next utterance is judged whole and masked in both.
"""

from __future__ import annotations

from dataclasses import replace

from scorecards.personal_data import Finding, find_personal_data, mask_text
from transcription.transcript import CallTranscript, Utterance, Word


def redact_text(
    text: str, language: str | None = None, *, before: str = "", after: str = ""
) -> str:
    return mask_text(text, language, before=before, after=after)


def redact_words(
    words: tuple[Word, ...], language: str | None = None, *, before: str = "", after: str = ""
) -> tuple[Word, ...]:
    """Mask across word boundaries: the words a finding touches become one placeholder word."""
    joined = "".join(w.word for w in words)
    findings = find_personal_data(joined, language, before=before, after=after)
    if not findings:
        return words
    offsets, cursor = [], 0
    for w in words:
        offsets.append((cursor, cursor + len(w.word)))
        cursor += len(w.word)
    result: list[Word] = []
    index = 0
    for finding in findings:
        while index < len(words) and offsets[index][1] <= finding.start:
            result.append(words[index])
            index += 1
        first = index
        while index < len(words) and offsets[index][0] < finding.end:
            index += 1
        covered = words[first:index]
        if covered:
            result.append(
                _placeholder_word(covered, offsets[first][0], offsets[index - 1][0], finding)
            )
    result.extend(words[index:])
    return tuple(result)


def _placeholder_word(
    covered: tuple[Word, ...], first_offset: int, last_offset: int, finding: Finding
) -> Word:
    prefix = covered[0].word[: max(0, finding.start - first_offset)]
    suffix = covered[-1].word[max(0, finding.end - last_offset) :]
    return Word(
        start=covered[0].start,
        end=covered[-1].end,
        word=f"{prefix}{finding.label.token}{mask_text(suffix)}",
        probability=min(w.probability for w in covered),
    )


def redact_utterance(
    utterance: Utterance, language: str | None = None, *, before: str = "", after: str = ""
) -> Utterance:
    context = {"before": before, "after": after}
    return replace(
        utterance,
        text=redact_text(utterance.text, language, **context),
        words=redact_words(utterance.words, language, **context),
    )


def redact_transcript(transcript: CallTranscript) -> CallTranscript:
    """The same transcript with personal data masked in every utterance and word.

    Each utterance is read with its speaker's previous and next utterance beside it, so a
    number split by a pause (or by the other side's "uh-huh") is still caught.
    """
    utterances = transcript.utterances
    by_speaker: dict[str, list[int]] = {}
    for index, utterance in enumerate(utterances):
        by_speaker.setdefault(utterance.speaker, []).append(index)
    before = [""] * len(utterances)
    after = [""] * len(utterances)
    for indices in by_speaker.values():
        for previous, following in zip(indices, indices[1:], strict=False):
            before[following] = utterances[previous].text
            after[previous] = utterances[following].text
    return transcript.with_utterances(
        tuple(
            # Every language's number words: a detected language can be wrong, masking errs safe.
            redact_utterance(u, None, before=before[i], after=after[i])
            for i, u in enumerate(utterances)
        )
    )
