"""Turn packed speech into speaker-attributed utterances with word times.

`condition_on_previous_text=False`: feeding the previous window's text back as a prompt is what
lets one hallucination or repetition loop carry over into every following window; calls switch
speakers constantly, so that context buys little accuracy and costs a lot of robustness."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from faster_whisper import BatchedInferencePipeline
from faster_whisper.transcribe import Segment, Word

from transcription.engine import LoadedModel
from transcription.guards import is_invented, speech_words
from transcription.options import TranscriptionOptions
from transcription.speech import PackedSpeech, SpeechChunk
from transcription.transcript import Speaker, Utterance
from transcription.transcript import Word as TranscriptWord


def recognise(
    model: LoadedModel,
    speech: Sequence[PackedSpeech],
    language: str,
    options: TranscriptionOptions,
) -> list[Utterance]:
    """Utterances of every party, each party's channel transcribed on its own, merged by time."""
    utterances = [
        utterance
        for packed in speech
        if packed.chunks
        for segment in _segments(model, packed, language, options)
        if not is_invented(segment, options.no_speech_threshold, options.log_prob_threshold)
        for utterance in _split_by_chunk(segment, packed)
    ]
    return sorted(utterances, key=lambda u: (u.start, u.end))


def _segments(
    model: LoadedModel, packed: PackedSpeech, language: str, options: TranscriptionOptions
) -> Iterable[Segment]:
    common = dict(
        language=language,
        beam_size=options.beam_size,
        temperature=list(options.temperatures),
        best_of=options.best_of,
        word_timestamps=True,
        condition_on_previous_text=False,
        no_speech_threshold=options.no_speech_threshold,
        log_prob_threshold=options.log_prob_threshold,
        compression_ratio_threshold=options.compression_ratio_threshold,
    )
    if model.device == "cuda":
        # On a GPU, windows decode in parallel batches; unmeasured here (no GPU in CI).
        batched = BatchedInferencePipeline(model.whisper)
        segments, _ = batched.transcribe(
            packed.audio,
            clip_timestamps=packed.windows(),
            batch_size=options.batch_size,
            **common,
        )
    else:
        # VAD already ran per channel; the packed stream is all speech.
        segments, _ = model.whisper.transcribe(packed.audio, vad_filter=False, **common)
    return segments


def _split_by_chunk(segment: Segment, packed: PackedSpeech) -> list[Utterance]:
    """A segment may span several speech chunks (a pause inside a turn); one utterance each."""
    runs: list[tuple[SpeechChunk, list[TranscriptWord]]] = []
    for word in speech_words(list(segment.words or ())):
        chunk = packed.chunk_at((word.start + word.end) / 2)
        if chunk is None or not chunk.overlaps(word.start, word.end):
            continue  # a word wholly inside the silent gap between chunks was invented
        mapped = _call_word(word, chunk)
        if runs and runs[-1][0] is chunk:
            runs[-1][1].append(mapped)
        else:
            runs.append((chunk, [mapped]))
    return [_utterance(packed.speaker, words) for _, words in runs if _text(words)]


def _call_word(word: Word, chunk: SpeechChunk) -> TranscriptWord:
    start, end = chunk.call_time(word.start), chunk.call_time(word.end)
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
