"""Long and lying recordings: memory bounded by windows, length measured from the samples."""

from __future__ import annotations

import struct
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from transcription.audio import SAMPLE_RATE, decode_audio, decode_windows
from transcription.engine import resolve_batch_size
from transcription.errors import AudioTooLong
from transcription.options import TranscriptionOptions

RATE = 8000


def pcm_wav(path: Path, samples: np.ndarray, header_seconds: float | None = None) -> Path:
    """A 16-bit WAV of `samples` (channels, frames); its header may claim another length."""
    channels = samples.shape[0]
    data = (np.clip(samples.T, -1, 1) * 32767).astype("<i2").tobytes()
    claimed = len(data) if header_seconds is None else int(header_seconds * RATE) * 2 * channels
    fmt = struct.pack("<IHHIIHH", 16, 1, channels, RATE, RATE * 2 * channels, 2 * channels, 16)
    riff = b"WAVE" + b"fmt " + fmt + b"data" + struct.pack("<I", claimed)
    path.write_bytes(b"RIFF" + struct.pack("<I", len(riff) + claimed) + riff + data)
    return path


def tone(seconds: float, channels: int = 1, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return np.tile(level * np.sin(2 * np.pi * 440 * t), (channels, 1)).astype(np.float32)


def test_a_wav_whose_header_claims_one_second_is_measured_not_believed(tmp_path: Path) -> None:
    liar = pcm_wav(tmp_path / "liar.wav", tone(60), header_seconds=1)
    assert decode_audio(liar, 3600).duration == pytest.approx(60, abs=0.1)


def test_a_wav_whose_header_claims_one_second_is_refused_by_the_length_limit(
    tmp_path: Path,
) -> None:
    liar = pcm_wav(tmp_path / "liar.wav", tone(60), header_seconds=1)
    with pytest.raises(AudioTooLong, match="more than 0:00:30"):
        decode_audio(liar, 30)


def test_a_long_recording_is_decoded_in_windows_cut_where_it_is_quiet(tmp_path: Path) -> None:
    audio = tone(70, channels=2)
    audio[:, 24 * RATE : int(24.5 * RATE)] = 0.0  # the quiet moment near the first window's end
    path = pcm_wav(tmp_path / "long.wav", audio)
    windows = list(decode_windows(path, 3600, window_seconds=30))
    assert 24.0 <= windows[1].start <= 24.5
    assert all(w.duration <= 30 for w in windows)
    assert [w.start for w in windows[1:]] == [w.start + w.duration for w in windows[:-1]]
    whole = decode_audio(path, 3600).samples
    assert np.array_equal(np.concatenate([w.samples for w in windows], axis=1), whole)


def test_decoding_memory_does_not_grow_with_call_length(tmp_path: Path) -> None:
    """Eight minutes of stereo held whole as float32 is 61 MB; a 30 s window is 4 MB."""
    path = pcm_wav(tmp_path / "eight-minutes.wav", tone(8 * 60, channels=2, level=0.01))
    tracemalloc.start()
    try:
        decoded = sum(w.samples.shape[1] for w in decode_windows(path, 3600, window_seconds=30))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert decoded == 8 * 60 * SAMPLE_RATE
    assert peak < 20 * 1024 * 1024


def test_a_cpu_decodes_fewer_windows_at_once_so_a_long_call_stays_under_its_memory_target() -> None:
    # Each window in a batch keeps beam_size copies of its encoder output for the decoder: 8 at
    # once made a long call's 5-minute stretch peak at 1.36 GB on CPU, 4 at 0.95 GB
    # (bench/long_call.py measures the whole call).
    default = TranscriptionOptions().batch_size
    assert resolve_batch_size(default, "cpu") == 4
    assert resolve_batch_size(default, "cuda") == 8  # memory is not the limit there
    assert resolve_batch_size(2, "cpu") == 2  # asked for is taken as given
