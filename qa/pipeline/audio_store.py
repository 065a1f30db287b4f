"""Content-addressed audio storage: a recording lives under its sha256, so it is stored once."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def stored_path(audio_dir: Path, sha256: str, suffix: str) -> Path:
    return audio_dir / sha256[:2] / f"{sha256}{suffix.lower()}"


def store_audio(source: Path, audio_dir: Path, sha256: str, *, move: bool = False) -> Path:
    """Put the recording in storage (copy, or move an upload); a half-copied file never shows.

    The copy goes to a temporary name first and is renamed into place, so a crash mid-copy
    leaves no truncated file under the content address.
    """
    target = stored_path(audio_dir, sha256, source.suffix).resolve()
    if target.exists():
        if move:
            source.unlink()
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    if move:
        source.unlink()
    return target


def discard_audio(path: Path) -> None:
    """Remove a stored recording that was refused (too long, undecodable)."""
    path.unlink(missing_ok=True)
