"""The two ways to a bigger model (a faster-whisper name, a local folder), and weak-model flags."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.transcription.conftest import TEST_CALLS
from transcription import TranscriptionOptions, transcribe_call
from transcription.engine import resolve_model_location
from transcription.errors import ModelNotFound
from transcription.model_fit import is_weak_for, model_size
from transcription.model_store import bundled_model_dir


@pytest.mark.parametrize("name", ["small", "large-v3", "Systran/faster-whisper-medium"])
def test_a_model_name_is_left_to_faster_whisper_to_download(name: str) -> None:
    assert resolve_model_location(name, None) == name


def test_a_model_name_that_cannot_be_fetched_offline_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No network here: Hugging Face offline mode makes the download fail the way it would."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    options = TranscriptionOptions(model="small", model_cache_dir=tmp_path)
    with pytest.raises(ModelNotFound, match="CALLQA_WHISPER_MODEL"):
        transcribe_call(TEST_CALLS / "en_mono.wav", options)


def test_a_local_model_folder_copied_in_by_an_admin_is_used(
    tmp_path: Path, transcription_options: TranscriptionOptions
) -> None:
    folder = tmp_path / "models" / "faster-whisper-base"
    folder.parent.mkdir()
    folder.symlink_to(bundled_model_dir(), target_is_directory=True)
    transcript = transcribe_call(
        TEST_CALLS / "en_mono.wav", replace(transcription_options, model=str(folder))
    )
    assert transcript.model == str(folder)
    assert transcript.language == "en" and transcript.utterances


def test_a_missing_local_model_folder_is_refused_with_the_setting_to_fix() -> None:
    with pytest.raises(ModelNotFound, match="No Whisper model folder at /srv/models/none"):
        resolve_model_location("/srv/models/none", None)


@pytest.mark.parametrize(
    ("model", "size"),
    [
        ("bundled-base", "base"),
        ("small", "small"),
        ("Systran/faster-whisper-base", "base"),
        ("/srv/models/whisper-large-v3-ct2", "large"),
        ("/srv/models/our-model", None),
    ],
)
def test_the_size_of_a_model_is_read_from_its_name(model: str, size: str | None) -> None:
    assert model_size(model) == size


def test_base_is_weak_for_persian_and_small_is_not() -> None:
    assert is_weak_for("bundled-base", "fa")
    assert not is_weak_for("small", "fa")
    assert not is_weak_for("bundled-base", "en")
