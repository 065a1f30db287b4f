"""Turn packed speech into speaker-attributed utterances with word times.

Every party's speech windows are decoded together in one batch (`BatchedInferencePipeline`):
each window holds one party's speech only, so no text crosses speakers, while the encoder (a
fixed cost per 30-second window, most of the time on CPU) runs batched and no party's last,
partly filled window is encoded on its own pass.

`condition_on_previous_text=False`: feeding the previous window's text back as a prompt is what
lets one hallucination or repetition loop carry over into every following window; calls switch
speakers constantly, so that context buys little accuracy and costs a lot of robustness."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from faster_whisper import BatchedInferencePipeline
from faster_whisper.transcribe import Segment, Word

from languages import whisper_code
from transcription.audio import SAMPLE_RATE
from transcription.engine import LoadedModel, resolve_batch_size
from transcription.guards import is_invented, speech_words
from transcription.options import TranscriptionOptions
from transcription.speech import PackedSpeech, SpeechChunk
from transcription.transcript import Speaker, Utterance
from transcription.transcript import Word as TranscriptWord

# A decoded segment, the party it belongs to, and the seconds to subtract from its times to
# get times in that party's packed speech.
Decoded = tuple[Segment, PackedSpeech, float]


def recognise(
    model: LoadedModel,
    speech: Sequence[PackedSpeech],
    language: str,
    options: TranscriptionOptions,
) -> list[Utterance]:
    """Utterances of every party, each party's speech in windows of its own, merged by time."""
    utterances = [
        utterance
        for segment, packed, offset in _decode(model, speech, language, options)
        if not is_invented(segment, options.no_speech_threshold, options.log_prob_threshold)
        for utterance in _split_by_chunk(segment, packed, offset)
    ]
    return sorted(utterances, key=lambda u: (u.start, u.end))


def _decode(
    model: LoadedModel, speech: Sequence[PackedSpeech], language: str, options: TranscriptionOptions
) -> Iterator[Decoded]:
    """All parties' windows in one batch; a window whose decode failed is decoded again alone."""
    voiced = [packed for packed in speech if packed.chunks]
    if not voiced:
        return
    audio = np.concatenate([packed.audio for packed in voiced])
    starts = list(itertools.accumulate((len(p.audio) / SAMPLE_RATE for p in voiced), initial=0.0))
    windows = [
        {"start": start + window["start"], "end": start + window["end"]}
        for packed, start in zip(voiced, starts, strict=False)
        for window in packed.windows()
    ]
    segments, _ = BatchedInferencePipeline(model.whisper).transcribe(
        audio,
        clip_timestamps=windows,
        batch_size=resolve_batch_size(options.batch_size, model.device),
        temperature=options.temperatures[0],
        **_decoding(language, options),
    )
    for segment in segments:
        party = bisect.bisect_right(starts, (segment.start + segment.end) / 2) - 1
        again = _redecode(model, audio, segment, language, options)
        if again and _better(again, segment, options):
            yield from ((s, voiced[party], starts[party] - segment.start) for s in again)
        else:
            yield segment, voiced[party], starts[party]


def _failed(segment: Segment, options: TranscriptionOptions) -> bool:
    """Whisper's own test for a failed decode: a repetition loop (the text compresses too well),
    or low confidence where the model does not think it heard silence."""
    if _looped(segment, options):
        return True
    return (
        segment.avg_logprob < options.log_prob_threshold
        and segment.no_speech_prob <= options.no_speech_threshold
    )


def _looped(segment: Segment, options: TranscriptionOptions) -> bool:
    return segment.compression_ratio > options.compression_ratio_threshold


def _better(again: list[Segment], first: Segment, options: TranscriptionOptions) -> bool:
    """Whisper's choice among fallback decodes: the first that passes its checks, else the most
    confident of those that did not loop, else the most confident. The first decode stays a
    candidate: discarding it unconditionally (as callqa did) lost whole windows whose sampled
    decodes were worse or came back empty. But a loop is decoded with high confidence, so
    comparing confidence alone kept the loop ("کن کن کن ...") over a sampled decode that was
    merely unsure, and the guards then cut the window down to nothing: that cost the synthetic
    Persian call 0.86 CER against plain faster-whisper's 0.6-0.7."""
    if not any(_failed(segment, options) for segment in again):
        return True
    looped = any(_looped(segment, options) for segment in again)
    if looped != _looped(first, options):
        return not looped
    tokens = sum(len(segment.tokens) for segment in again)
    confidence = sum(s.avg_logprob * len(s.tokens) for s in again) / max(1, tokens)
    return confidence > first.avg_logprob


def _redecode(
    model: LoadedModel,
    audio: np.ndarray,
    window: Segment,
    language: str,
    options: TranscriptionOptions,
) -> list[Segment]:
    """The batch decodes at the first temperature only; a failed window gets Whisper's usual
    fallback through the remaining temperatures (none when it passed or there are none left).
    Times are relative to the window."""
    if len(options.temperatures) < 2 or not _failed(window, options):
        return []
    clip = audio[int(window.start * SAMPLE_RATE) : int(window.end * SAMPLE_RATE)]
    segments, _ = model.whisper.transcribe(
        clip,
        vad_filter=False,  # VAD already ran per channel; the window is all speech
        temperature=list(options.temperatures[1:]),
        best_of=options.best_of,
        **_decoding(language, options),
    )
    return list(segments)


def _decoding(language: str, options: TranscriptionOptions) -> dict[str, Any]:
    """Decoding settings shared by the batch and the fallback."""
    return dict(
        language=whisper_code(language),
        beam_size=options.beam_size,
        word_timestamps=True,
        condition_on_previous_text=False,
        no_speech_threshold=options.no_speech_threshold,
        log_prob_threshold=options.log_prob_threshold,
        compression_ratio_threshold=options.compression_ratio_threshold,
    )


def _split_by_chunk(segment: Segment, packed: PackedSpeech, offset: float) -> list[Utterance]:
    """A segment may span several speech chunks (a pause inside a turn); one utterance each."""
    runs: list[tuple[SpeechChunk, list[TranscriptWord]]] = []
    for word in speech_words(list(segment.words or ())):
        start, end = word.start - offset, word.end - offset
        chunk = packed.chunk_at((start + end) / 2)
        if chunk is None or not chunk.overlaps(start, end):
            continue  # a word wholly inside the silent gap between chunks was invented
        mapped = _call_word(word, chunk, offset)
        if runs and runs[-1][0] is chunk:
            runs[-1][1].append(mapped)
        else:
            runs.append((chunk, [mapped]))
    return [_utterance(packed.speaker, words) for _, words in runs if _text(words)]


def _call_word(word: Word, chunk: SpeechChunk, offset: float) -> TranscriptWord:
    start, end = chunk.call_time(word.start - offset), chunk.call_time(word.end - offset)
    return TranscriptWord(
        start=round(start, 3),
        end=round(max(end, start), 3),
        word=word.word,
        probability=round(float(word.probability), 4),
    )


def _utterance(speaker: Speaker, words: list[TranscriptWord]) -> Utterance:
    return Utterance(
        speaker=speaker,
        start=words[0].start,
        end=words[-1].end,
        text=_text(words),
        words=tuple(words),
    )


def _text(words: list[TranscriptWord]) -> str:
    return "".join(w.word for w in words).strip()
