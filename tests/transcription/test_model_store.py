"""The bundled model is assembled once, verified by checksum, and rebuilt when damaged."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from transcription.model_store import (
    ABANDONED_AFTER_SECONDS,
    MODEL_SHA256,
    SIDE_FILES,
    bundled_model_dir,
    default_cache_dir,
    is_valid_model_dir,
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def assembled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One assembly shared by the module: joining 145 MB is the slow part."""
    return bundled_model_dir(tmp_path_factory.mktemp("model-cache") / "whisper-base")


def test_assembled_model_has_the_pinned_checksum_and_side_files(assembled: Path) -> None:
    assert _sha256(assembled / "model.bin") == MODEL_SHA256
    assert sorted(p.name for p in assembled.iterdir()) == sorted(["model.bin", *SIDE_FILES])
    assert is_valid_model_dir(assembled)
    assert not [p for p in assembled.parent.iterdir() if p.name.startswith(".")]


def test_a_sound_cache_is_reused_as_it_is(assembled: Path) -> None:
    written = (assembled / "model.bin").stat().st_mtime_ns
    assert bundled_model_dir(assembled) == assembled
    assert (assembled / "model.bin").stat().st_mtime_ns == written


def _flip_a_byte(folder: Path) -> None:
    with (folder / "model.bin").open("r+b") as model:
        model.seek(1_000_000)
        byte = model.read(1)
        model.seek(1_000_000)
        model.write(bytes([byte[0] ^ 0xFF]))


def _cut_model_short(folder: Path) -> None:
    with (folder / "model.bin").open("r+b") as model:
        model.truncate(10_000_000)


def _lose_the_tokenizer(folder: Path) -> None:
    (folder / "tokenizer.json").unlink()


@pytest.mark.parametrize("damage", [_flip_a_byte, _cut_model_short, _lose_the_tokenizer])
def test_damaged_or_partial_cache_is_detected_and_rebuilt(
    assembled: Path, damage: Callable[[Path], None]
) -> None:
    damage(assembled)
    assert not is_valid_model_dir(assembled)
    assert bundled_model_dir(assembled) == assembled
    assert is_valid_model_dir(assembled)
    assert _sha256(assembled / "model.bin") == MODEL_SHA256
    assert not [p for p in assembled.parent.iterdir() if p.name.startswith(".")]


def test_cache_defaults_to_the_user_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "/srv/cache")
    assert default_cache_dir() == Path("/srv/cache/callqa/whisper-base")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path(os.path.expanduser("~/.cache/callqa/whisper-base"))


def test_copies_abandoned_by_a_killed_assembly_are_cleared(tmp_path: Path) -> None:
    folder = tmp_path / "whisper-base"
    abandoned = tmp_path / ".whisper-base.partial-dead0001"
    in_progress = tmp_path / ".whisper-base.partial-live0002"
    for staging in (abandoned, in_progress):
        staging.mkdir()
        (staging / "model.bin").write_bytes(b"half a model")
    an_hour_and_more = time.time() - ABANDONED_AFTER_SECONDS - 60
    os.utime(abandoned, (an_hour_and_more, an_hour_and_more))
    bundled_model_dir(folder)
    assert not abandoned.exists()
    assert in_progress.exists()
    assert is_valid_model_dir(folder)
