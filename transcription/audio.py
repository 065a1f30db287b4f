"""Decode a call recording to 16 kHz float32 samples, one row per channel.

PyAV reads every container and codec a telephony system is likely to export (WAV with PCM,
µ-law or A-law, MP3, OGG/Opus, FLAC, M4A/AAC); each way a file can be unusable becomes its own
error so an admin knows whether to re-export, re-fetch or split the recording.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class DecodedAudio:
    """`samples` has shape (channels, frames) at SAMPLE_RATE, values in [-1, 1]."""

    samples: np.ndarray
    source_rate: int
    codec: str

    @property
    def channels(self) -> int:
        return int(self.samples.shape[0])

    @property
    def duration(self) -> float:
        return self.samples.shape[1] / SAMPLE_RATE


def decode_audio(path: Path, max_duration: float) -> DecodedAudio:
    """Decode `path`; raises a specific TranscriptionError for each kind of bad file."""
    path = Path(path)
    if not path.is_file():
        raise AudioFileNotFound(path)
    if path.stat().st_size == 0:
        raise EmptyAudioFile(path)
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except av.error.FFmpegError as error:
        raise UnsupportedAudioFormat(path, _reason(error)) from None
    with container:
        if not container.streams.audio:
            raise NoAudioStream(path)
        stream = container.streams.audio[0]
        declared = _declared_duration(container, stream)
        if declared is not None and declared > max_duration:
            raise AudioTooLong(path, declared, max_duration)
        samples = _decode_stream(path, container, stream)
        container_format = container.format.name
    evidence = truncation_evidence(path, container_format)
    if evidence:
        raise TruncatedAudio(path, evidence)
    decoded = samples.shape[1] / SAMPLE_RATE
    if samples.shape[1] == 0:
        raise ZeroLengthAudio(path)
    if decoded > max_duration:
        raise AudioTooLong(path, decoded, max_duration)
    if declared is not None and decoded < declared * DECODED_SHARE - 0.1:
        raise CorruptAudio(
            path, f"only {decoded:.1f} s of the {declared:.1f} s it declares could be decoded"
        )
    return DecodedAudio(samples=samples, source_rate=stream.rate, codec=stream.codec_context.name)


def _decode_stream(
    path: Path, container: av.container.InputContainer, stream: av.AudioStream
) -> np.ndarray:
    layout = "mono" if stream.channels == 1 else "stereo"
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
    blocks: list[np.ndarray] = []
    try:
        for frame in container.decode(stream):
            frame.pts = None  # resample by sample count; broken timestamps must not drop audio
            blocks.extend(out.to_ndarray() for out in resampler.resample(frame))
        blocks.extend(out.to_ndarray() for out in resampler.resample(None))
    except av.error.FFmpegError as error:
        raise CorruptAudio(path, _reason(error)) from None
    channels = 1 if layout == "mono" else 2
    if not blocks:
        return np.zeros((channels, 0), dtype=np.float32)
    return np.ascontiguousarray(np.concatenate(blocks, axis=1), dtype=np.float32)


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
