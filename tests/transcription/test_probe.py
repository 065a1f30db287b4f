"""The header probe at ingest: it refuses what the header already shows unusable, and reports
the length the header declares (decoding, not the probe, measures what is really there)."""

from __future__ import annotations

import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.transcription.test_bad_input import (
    MONO_WAV,
    empty_file,
    text_named_like_audio,
    video_without_audio,
)
from tests.transcription.test_long_calls import pcm_wav, tone
from transcription import TranscriptionError
from transcription.errors import (
    AudioFileNotFound,
    AudioTooLong,
    EmptyAudioFile,
    NoAudioStream,
    UnsupportedAudioFormat,
)
from transcription.probe import probe_audio


def missing_file(folder: Path) -> Path:
    return folder / "gone.wav"


UNUSABLE: dict[str, tuple[Callable[[Path], Path], type[TranscriptionError]]] = {
    "missing file": (missing_file, AudioFileNotFound),
    "empty file": (empty_file, EmptyAudioFile),
    "no audio stream": (video_without_audio, NoAudioStream),
    "unsupported format": (text_named_like_audio, UnsupportedAudioFormat),
}


@pytest.mark.parametrize("case", sorted(UNUSABLE))
def test_a_recording_the_header_shows_unusable_is_refused_with_its_own_error(
    case: str, tmp_path: Path
) -> None:
    make, error = UNUSABLE[case]
    with pytest.raises(error):
        probe_audio(make(tmp_path), 3600)


def test_the_probe_reports_the_length_the_header_declares() -> None:
    with wave.open(str(MONO_WAV)) as recording:
        seconds = recording.getnframes() / recording.getframerate()
    assert probe_audio(MONO_WAV, 3600) == pytest.approx(seconds, abs=0.05)


def test_a_header_that_claims_one_second_is_taken_at_its_word(tmp_path: Path) -> None:
    """Decoding measures the 60 s; the probe only reads what the header says."""
    liar = pcm_wav(tmp_path / "liar.wav", tone(60), header_seconds=1)
    assert probe_audio(liar, 30) == pytest.approx(1, abs=0.05)


def test_a_recording_declared_longer_than_the_limit_is_refused(tmp_path: Path) -> None:
    long = pcm_wav(tmp_path / "long.wav", tone(60))
    with pytest.raises(AudioTooLong, match="lasts 0:01:00, longer than the limit of 0:00:30"):
        probe_audio(long, 30)
