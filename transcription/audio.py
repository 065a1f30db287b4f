"""Decode a call recording to 16 kHz float32 samples, one row per channel.

PyAV reads every container and codec a telephony system is likely to export (WAV with PCM,
µ-law or A-law, MP3, OGG/Opus, FLAC, M4A/AAC); each way a file can be unusable becomes its own
error so an admin knows whether to re-export, re-fetch or split the recording.

Long calls are decoded in bounded windows (`decode_windows`), each cut at the quietest moment
near its end, so memory stays flat with call length: a 4-hour stereo call held whole as float32
is 1.8 GB before any copy. Length is counted from the decoded samples, never trusted from the
header: a WAV header is read with `ignore_length`, so one that claims 1 s but holds 6 h is
measured, and refused as too long as soon as the count passes the limit.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import av
import numpy as np

from transcription.errors import (
    AudioFileNotFound,
    AudioTooLong,
    CorruptAudio,
    EmptyAudioFile,
    NoAudioStream,
    TruncatedAudio,
    UnsupportedAudioFormat,
    ZeroLengthAudio,
)
from transcription.truncation import truncation_evidence

SAMPLE_RATE = 16_000
# Decoding less than this share of the declared length means packets were lost to damage.
DECODED_SHARE = 0.97
# A window ends at the quietest 100 ms of its last 20 s, so a cut rarely falls inside a word.
_CUT_SEARCH_SECONDS = 20.0
_CUT_FRAME = SAMPLE_RATE // 10


@dataclass(frozen=True)
class DecodedAudio:
    """`samples` has shape (channels, frames) at SAMPLE_RATE, values in [-1, 1]."""

    samples: np.ndarray
    source_rate: int
    codec: str
    # Seconds into the call where these samples begin (0 for a whole call or its first window).
    start: float = 0.0

    @property
    def channels(self) -> int:
        return int(self.samples.shape[0])

    @property
    def duration(self) -> float:
        return self.samples.shape[1] / SAMPLE_RATE


def decode_audio(path: Path, max_duration: float) -> DecodedAudio:
    """The whole recording at once, for short audio; long calls go through `decode_windows`."""
    windows = list(decode_windows(path, max_duration, window_seconds=max_duration + 1))
    samples = np.concatenate([window.samples for window in windows], axis=1)
    return replace(windows[0], samples=samples, start=0.0)


def decode_windows(
    path: Path, max_duration: float, window_seconds: float
) -> Iterator[DecodedAudio]:
    """`path` decoded window by window; raises a specific TranscriptionError for each kind of
    bad file. A file found too long or short of its declared length is refused only once that
    is known; the last window is yielded after those checks, so a call that fits one window is
    refused before anything is done with it."""
    path = Path(path)
    with open_audio(path, max_duration, ignore_length=True) as (container, stream, declared):
        evidence = truncation_evidence(path, container.format.name)
        if evidence:
            raise TruncatedAudio(path, evidence)
        emitted, last = 0, None
        for samples in _windows(
            _decode_stream(path, container, stream, max_duration), window_seconds
        ):
            if last is not None:
                yield last
            last = DecodedAudio(
                samples=samples,
                source_rate=stream.rate,
                codec=stream.codec_context.name,
                start=emitted / SAMPLE_RATE,
            )
            emitted += samples.shape[1]
    if last is None:
        raise ZeroLengthAudio(path)
    decoded = emitted / SAMPLE_RATE
    if declared is not None and decoded < declared * DECODED_SHARE - 0.1:
        raise CorruptAudio(
            path, f"only {decoded:.1f} s of the {declared:.1f} s it declares could be decoded"
        )
    yield last  # held back until the whole file is checked: a short call is one window


@contextmanager
def open_audio(
    path: Path, max_duration: float, *, ignore_length: bool
) -> Iterator[tuple[av.container.InputContainer, av.AudioStream, float | None]]:
    """The open container, its first audio stream and the duration its header declares (None
    if it declares none); raises a specific TranscriptionError for a missing, empty or unreadable
    file, one without audio, or one that declares more than `max_duration` seconds.

    `ignore_length` reads a WAV past the length its header claims, for decoding; a header probe
    wants the claim itself.
    """
    if not path.is_file():
        raise AudioFileNotFound(path)
    if path.stat().st_size == 0:
        raise EmptyAudioFile(path)
    options = {"ignore_length": "1"} if ignore_length else {}
    try:
        container = av.open(str(path), metadata_errors="ignore", options=options)
    except av.error.FFmpegError as error:
        raise UnsupportedAudioFormat(path, _reason(error)) from None
    with container:
        if not container.streams.audio:
            raise NoAudioStream(path)
        stream = container.streams.audio[0]
        declared = _declared_duration(container, stream)
        if declared is not None and declared > max_duration:
            raise AudioTooLong(path, declared, max_duration)
        yield container, stream, declared


def _decode_stream(
    path: Path, container: av.container.InputContainer, stream: av.AudioStream, max_duration: float
) -> Iterator[np.ndarray]:
    """Resampled blocks of (channels, frames); stops with AudioTooLong past `max_duration`."""
    layout = "mono" if stream.channels == 1 else "stereo"
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
    limit, total = int(max_duration * SAMPLE_RATE), 0
    try:
        for frame in itertools.chain(container.decode(stream), [None]):
            if frame is not None:
                frame.pts = None  # resample by sample count; broken timestamps must not drop audio
            for out in resampler.resample(frame):
                block = out.to_ndarray().astype(np.float32, copy=False)
                total += block.shape[1]
                if total > limit:
                    raise AudioTooLong(path, None, max_duration)
                yield block
    except av.error.FFmpegError as error:
        raise CorruptAudio(path, _reason(error)) from None


def _windows(blocks: Iterator[np.ndarray], window_seconds: float) -> Iterator[np.ndarray]:
    """Blocks joined into windows of about `window_seconds`, each cut at a quiet moment."""
    size = int(window_seconds * SAMPLE_RATE)
    pending: list[np.ndarray] = []
    held = 0
    for block in blocks:
        pending.append(block)
        held += block.shape[1]
        while held >= size:
            joined = np.concatenate(pending, axis=1)
            cut = quietest_cut(joined[:, :size])
            yield np.ascontiguousarray(joined[:, :cut])
            pending, held = [joined[:, cut:]], joined.shape[1] - cut
    if held:
        yield np.ascontiguousarray(np.concatenate(pending, axis=1))


def quietest_cut(samples: np.ndarray) -> int:
    """Where to end a window: the start of the quietest 100 ms frame in its last 20 s."""
    search = min(samples.shape[1], int(_CUT_SEARCH_SECONDS * SAMPLE_RATE))
    frames = search // _CUT_FRAME
    if frames < 2:
        return samples.shape[1]
    tail = samples[:, samples.shape[1] - frames * _CUT_FRAME :]
    energy = np.square(tail, dtype=np.float64).sum(axis=0).reshape(frames, _CUT_FRAME).sum(axis=1)
    return samples.shape[1] - frames * _CUT_FRAME + int(np.argmin(energy)) * _CUT_FRAME


def _declared_duration(
    container: av.container.InputContainer, stream: av.AudioStream
) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _reason(error: av.error.FFmpegError) -> str:
    return error.strerror or type(error).__name__
