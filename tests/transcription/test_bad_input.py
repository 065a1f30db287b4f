"""Each way a recording can be unusable gives its own error, and a failed run caches nothing."""

from __future__ import annotations

import wave
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import pytest

from tests.transcription.conftest import TEST_CALLS
from transcription import TranscriptionError, TranscriptionOptions, transcribe_call
from transcription.errors import (
    AudioFileNotFound,
    AudioTooLong,
    CorruptAudio,
    EmptyAudioFile,
    ModelNotFound,
    NoAudioStream,
    TruncatedAudio,
    UnsupportedAudioFormat,
    ZeroLengthAudio,
)

STEREO_OGG = TEST_CALLS / "en_stereo.ogg"
MONO_WAV = TEST_CALLS / "en_mono.wav"


def empty_file(folder: Path) -> Path:
    path = folder / "empty.wav"
    path.write_bytes(b"")
    return path


def wav_without_samples(folder: Path) -> Path:
    path = folder / "no-samples.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
    return path


def video_without_audio(folder: Path) -> Path:
    path = folder / "screen.mkv"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=5)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        black = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
        for packet in [*stream.encode(black), *stream.encode()]:
            container.mux(packet)
    return path


def wav_cut_in_half(folder: Path) -> Path:
    path = folder / "cut.wav"
    whole = MONO_WAV.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


def ogg_cut_in_half(folder: Path) -> Path:
    path = folder / "cut.ogg"
    whole = STEREO_OGG.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


def ogg_with_damaged_pages(folder: Path) -> Path:
    path = folder / "damaged.ogg"
    data = bytearray(STEREO_OGG.read_bytes())
    middle = len(data) // 3
    data[middle : middle + 5000] = np.random.default_rng(7).bytes(5000)
    path.write_bytes(bytes(data))
    return path


def text_named_like_audio(folder: Path) -> Path:
    path = folder / "notes.mp3"
    path.write_text("call notes, not a recording\n" * 40, encoding="utf-8")
    return path


BAD_FILES: dict[str, tuple[Callable[[Path], Path], type[TranscriptionError]]] = {
    "empty file": (empty_file, EmptyAudioFile),
    "zero-length audio": (wav_without_samples, ZeroLengthAudio),
    "no audio stream": (video_without_audio, NoAudioStream),
    "truncated wav": (wav_cut_in_half, TruncatedAudio),
    "truncated ogg": (ogg_cut_in_half, TruncatedAudio),
    "corrupt ogg": (ogg_with_damaged_pages, CorruptAudio),
    "unsupported format": (text_named_like_audio, UnsupportedAudioFormat),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_recording_raises_its_own_error_and_caches_nothing(
    tmp_path: Path, transcription_options: TranscriptionOptions, case: str
) -> None:
    make, error = BAD_FILES[case]
    recording = make(tmp_path)
    cache = tmp_path / "model-cache"
    with pytest.raises(error) as raised:
        transcribe_call(recording, replace(transcription_options, model_cache_dir=cache))
    assert str(recording) in str(raised.value)
    assert not cache.exists()


def test_missing_file_names_the_path(transcription_options: TranscriptionOptions) -> None:
    with pytest.raises(AudioFileNotFound, match="no-such-call.wav"):
        transcribe_call(Path("no-such-call.wav"), transcription_options)


def test_recording_longer_than_the_limit_is_refused(
    tmp_path: Path, transcription_options: TranscriptionOptions
) -> None:
    cache = tmp_path / "model-cache"
    limited = replace(transcription_options, max_duration=10.0, model_cache_dir=cache)
    with pytest.raises(AudioTooLong, match=r"lasts 0:00:14, longer than the limit of 0:00:10"):
        transcribe_call(MONO_WAV, limited)
    assert not cache.exists()


def test_default_limit_is_four_hours() -> None:
    assert TranscriptionOptions().max_duration == 4 * 3600


@pytest.mark.parametrize("model", ["missing-model-folder", "nested/missing/model-folder"])
def test_missing_model_folder_is_reported(
    tmp_path: Path, transcription_options: TranscriptionOptions, model: str
) -> None:
    missing = tmp_path / model
    with pytest.raises(ModelNotFound, match="No Whisper model folder at"):
        transcribe_call(MONO_WAV, replace(transcription_options, model=str(missing)))
    assert list(tmp_path.iterdir()) == []


def test_unknown_model_name_is_reported(transcription_options: TranscriptionOptions) -> None:
    with pytest.raises(ModelNotFound, match="CALLQA_WHISPER_MODEL"):
        transcribe_call(MONO_WAV, replace(transcription_options, model="no-such-size"))
