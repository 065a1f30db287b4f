"""Find where a party speaks and pack only that speech into one stream for Whisper.

Silero VAD runs on each channel separately, so a party's silent stretches (the half of a stereo
call where the other side talks, hold, dead air) never reach the model: the model pays for each
second of speech once. Chunks are laid end to end with a short gap, so Whisper hears a boundary,
and every word is mapped back to its time in the call through the chunk that holds it.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

import numpy as np
from faster_whisper.vad import VadOptions, get_speech_timestamps

from transcription.audio import SAMPLE_RATE
from transcription.channels import SpeakerTrack
from transcription.transcript import Speaker

GAP_SAMPLES = int(0.2 * SAMPLE_RATE)
# Whisper reads 30-second windows; the GPU batch path groups chunks into windows this long.
WINDOW_SAMPLES = 30 * SAMPLE_RATE


@dataclass(frozen=True)
class SpeechChunk:
    """A stretch of speech: `start`/`end` in the call, `offset` in the packed stream (samples)."""

    start: int
    end: int
    offset: int

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, packed_start: float, packed_end: float) -> bool:
        """Whether a packed-stream span touches this chunk's audio, not only the gap beside it."""
        start, end = packed_start * SAMPLE_RATE, packed_end * SAMPLE_RATE
        return start < self.offset + self.length and end > self.offset

    def call_time(self, packed_seconds: float) -> float:
        """A packed-stream time as seconds into the call, clamped to this chunk."""
        within = min(max(int(packed_seconds * SAMPLE_RATE) - self.offset, 0), self.length)
        return (self.start + within) / SAMPLE_RATE


@dataclass(frozen=True)
class PackedSpeech:
    """One party's speech chunks laid end to end, and where each came from."""

    speaker: Speaker
    audio: np.ndarray
    chunks: tuple[SpeechChunk, ...]

    @property
    def speech_samples(self) -> int:
        return sum(chunk.length for chunk in self.chunks)

    def chunk_at(self, packed_seconds: float) -> SpeechChunk | None:
        """The chunk holding this packed-stream time; inside a gap, the nearer neighbour."""
        if not self.chunks:
            return None
        position = int(packed_seconds * SAMPLE_RATE)
        index = max(0, bisect.bisect_right(self._offsets, position) - 1)
        chunk = self.chunks[index]
        past_end = position - (chunk.offset + chunk.length)
        if past_end > GAP_SAMPLES // 2 and index + 1 < len(self.chunks):
            return self.chunks[index + 1]
        return chunk

    def windows(self) -> list[dict[str, float]]:
        """Consecutive chunks grouped into windows of at most 30 s, in packed seconds."""
        windows: list[dict[str, float]] = []
        for chunk in self.chunks:
            end = chunk.offset + chunk.length
            if windows and end - windows[-1]["start"] * SAMPLE_RATE <= WINDOW_SAMPLES:
                windows[-1]["end"] = end / SAMPLE_RATE
            else:
                windows.append({"start": chunk.offset / SAMPLE_RATE, "end": end / SAMPLE_RATE})
        return windows

    def head(self, seconds: float) -> np.ndarray:
        """The first `seconds` of packed speech, for language detection."""
        return self.audio[: int(seconds * SAMPLE_RATE)]

    @functools.cached_property
    def _offsets(self) -> list[int]:
        return [chunk.offset for chunk in self.chunks]


def pack_speech(track: SpeakerTrack, vad: VadOptions) -> PackedSpeech:
    """VAD on one party's channel, and its speech chunks packed into one stream."""
    pieces: list[np.ndarray] = []
    chunks: list[SpeechChunk] = []
    offset = 0
    gap = np.zeros(GAP_SAMPLES, dtype=np.float32)
    for span in get_speech_timestamps(track.samples, vad):
        start, end = int(span["start"]), int(span["end"])
        chunks.append(SpeechChunk(start=start, end=end, offset=offset))
        pieces.extend((track.samples[start:end], gap))
        offset += end - start + GAP_SAMPLES
    audio = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
    return PackedSpeech(speaker=track.speaker, audio=audio, chunks=tuple(chunks))
