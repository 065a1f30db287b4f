"""Load the Whisper model once per process, on the right device with the right precision."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import ctranslate2
from faster_whisper import WhisperModel

from transcription.errors import ModelNotFound
from transcription.model_store import BUNDLED_MODEL, bundled_model_dir
from transcription.options import TranscriptionOptions

# CTranslate2 gains little past a handful of threads for the base model; more only competes
# with other workers on the same machine.
MAX_AUTO_THREADS = 8


@dataclass(frozen=True)
class LoadedModel:
    whisper: WhisperModel
    name: str
    device: str
    compute_type: str


def load_model(options: TranscriptionOptions) -> LoadedModel:
    """The model these options ask for, loaded at most once per process."""
    device = resolve_device(options.device)
    compute_type = resolve_compute_type(options.compute_type, device)
    threads = resolve_cpu_threads(options.cpu_threads)
    location = resolve_model_location(options.model, options.model_cache_dir)
    return _load(location, options.model, device, compute_type, threads)


def resolve_device(device: str) -> str:
    if device == "auto":
        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    return device


def resolve_batch_size(batch_size: int, device: str) -> int:
    """Windows decoded together: small on CPU, where memory, not parallelism, is the limit."""
    if batch_size == 0:
        return 8 if device == "cuda" else 4
    return batch_size


def resolve_compute_type(compute_type: str, device: str) -> str:
    if compute_type == "auto":
        return "float16" if device == "cuda" else "int8"
    return compute_type


def resolve_cpu_threads(cpu_threads: int) -> int:
    """0 means every core this process may run on (its affinity), capped."""
    if cpu_threads > 0:
        return cpu_threads
    return max(1, min(len(os.sched_getaffinity(0)), MAX_AUTO_THREADS))


def resolve_model_location(model: str, cache_dir: Path | None) -> str:
    """`bundled-base` becomes the assembled folder; names and paths pass through unchanged."""
    if model == BUNDLED_MODEL:
        return _verified_bundled_dir(cache_dir)
    folder = Path(model).expanduser()
    if folder.is_dir():
        return str(folder)
    if model.startswith(("/", ".", "~")) or model.count("/") > 1:
        raise ModelNotFound(
            f"No Whisper model folder at {model}; point CALLQA_WHISPER_MODEL at a folder holding "
            f"a CTranslate2 model (model.bin, config.json, tokenizer.json), or use "
            f"'{BUNDLED_MODEL}'."
        )
    return model  # a faster-whisper size or a Hugging Face 'owner/name'


@functools.lru_cache(maxsize=4)
def _verified_bundled_dir(cache_dir: Path | None) -> str:
    """Checked once per process: hashing 145 MB on every call would cost a tenth of a second."""
    return str(bundled_model_dir(cache_dir))


@functools.lru_cache(maxsize=4)
def _load(location: str, name: str, device: str, compute_type: str, threads: int) -> LoadedModel:
    try:
        whisper = WhisperModel(
            location,
            device=device,
            compute_type=compute_type,
            cpu_threads=threads,
            local_files_only=Path(location).is_dir(),
        )
    except Exception as error:  # faster-whisper raises hub, OS and runtime errors alike
        raise ModelNotFound(
            f"Whisper model {name!r} could not be loaded ({error}); set CALLQA_WHISPER_MODEL to "
            f"'{BUNDLED_MODEL}', a faster-whisper model name reachable from this machine, or a "
            "local model folder."
        ) from error
    return LoadedModel(whisper=whisper, name=name, device=device, compute_type=compute_type)
