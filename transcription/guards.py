"""Post-processing guards against Whisper's known failure modes.

Whisper can loop ("thank you thank you thank you ..."), and over music or noise it can write
captions nobody spoke ("[Music]", "♪"). VAD and Whisper's own no-speech and log-probability
filters catch most of it; these guards catch what slips through.
"""

from __future__ import annotations

import re
from dataclasses import replace

from faster_whisper.transcribe import Segment, Word

# A phrase said this many times in a row is kept; further repeats are a decoding loop.
MAX_REPEATS = 3
MAX_PHRASE_WORDS = 8
# A letter written more than this many times in a row is a loop inside one word ("شووووو...",
# seen on Persian calls: one 'word' of 120 letters, which the phrase check cannot see).
MAX_LETTER_RUN = 3
_LETTER_LOOP = re.compile(rf"([^\W\d_])\1{{{MAX_LETTER_RUN},}}")
_NON_SPEECH = re.compile(
    r"^[\s\[\(♪♫*#-]*(music|музыка|موسیقی|applause|silence)?[\s\]\)♪♫*#.-]*$", re.IGNORECASE
)


def is_invented(segment: Segment, no_speech_threshold: float, log_prob_threshold: float) -> bool:
    """A segment the model itself doubts: probably silence, and decoded with low confidence.

    Whisper applies the same rule per 30-second window; here it is applied per segment, which
    catches a doubtful segment inside an otherwise confident window (hold music after speech).
    """
    return segment.no_speech_prob > no_speech_threshold and segment.avg_logprob < log_prob_threshold


def speech_words(words: list[Word]) -> list[Word]:
    """Words minus music/caption markers and minus the repeats of a decoding loop."""
    spoken = [_without_letter_loop(w) for w in words if not _NON_SPEECH.match(w.word)]
    return cut_repetition_loops(spoken)


def _without_letter_loop(word: Word) -> Word:
    """A letter looped within a word is kept once: the word the model began is usually right."""
    if not _LETTER_LOOP.search(word.word):
        return word
    return replace(word, word=_LETTER_LOOP.sub(r"\1", word.word))


def cut_repetition_loops(words: list[Word]) -> list[Word]:
    """Keep at most MAX_REPEATS consecutive copies of any phrase of up to MAX_PHRASE_WORDS."""
    keys = [_normalise(w.word) for w in words]
    kept: list[Word] = []
    kept_keys: list[str] = []
    index = 0
    while index < len(words):
        size = _looping_phrase_size(kept_keys, keys, index)
        if size:
            index += size
            continue
        kept.append(words[index])
        kept_keys.append(keys[index])
        index += 1
    return kept


def _looping_phrase_size(kept_keys: list[str], keys: list[str], index: int) -> int:
    """Length of the phrase starting at `index` that would be its MAX_REPEATS+1-th repeat."""
    for size in range(1, MAX_PHRASE_WORDS + 1):
        phrase = keys[index : index + size]
        if len(phrase) < size or not any(phrase):
            break
        history = kept_keys[len(kept_keys) - size * MAX_REPEATS :]
        if len(history) == size * MAX_REPEATS and history == phrase * MAX_REPEATS:
            return size
    return 0


def _normalise(word: str) -> str:
    return re.sub(r"[^\w]", "", word.lower())
