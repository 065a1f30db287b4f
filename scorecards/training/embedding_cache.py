"""Embeddings of training texts kept in a file between runs (embedding ~15k texts takes minutes).

The file lives outside the repo (default /tmp/callqa-embeddings, CALLQA_EMBEDDING_CACHE) and is
keyed by the embedding model's version, so a different model never reads stale vectors.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from scorecards.embedding import EmbeddingService, model_version

BATCH = 256


def cache_path() -> Path:
    folder = Path(os.environ.get("CALLQA_EMBEDDING_CACHE", "/tmp/callqa-embeddings"))
    tag = hashlib.sha256(model_version().encode()).hexdigest()[:12]
    return folder / f"e5-{tag}.npz"


def embed_cached(
    service: EmbeddingService, texts: Sequence[str], progress: bool = False
) -> np.ndarray:
    """Vectors for texts, reading those embedded before from the cache file and adding the rest."""
    path = cache_path()
    known: dict[str, np.ndarray] = {}
    if path.exists():
        with np.load(path, allow_pickle=False) as stored:
            known = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    for start in range(0, len(missing), BATCH):
        chunk = missing[start : start + BATCH]
        for text, vector in zip(chunk, service.embed(chunk), strict=True):
            known[text] = vector
        _save(path, known)
        if progress:
            print(f"embedded {min(start + BATCH, len(missing))}/{len(missing)}", flush=True)
    return np.stack([known[t] for t in texts]) if texts else np.zeros((0, service.dim), np.float32)


def _save(path: Path, known: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, texts=np.array(list(known)), vectors=np.stack(list(known.values())))
    tmp.replace(path)
