"""Everything that tunes a transcription run, as one immutable dataclass.

Callers (CLI, pipeline, tests) build one `TranscriptionOptions` and pass it down, rather than
threading loose keyword arguments through every layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import languages
from transcription.model_store import BUNDLED_MODEL

if TYPE_CHECKING:
    from faster_whisper.vad import VadOptions

Device = Literal["auto", "cpu", "cuda"]
AgentChannel = Literal["left", "right"]
# The languages detection chooses among: every language in the registry, in its order.
DEFAULT_LANGUAGES: tuple[str, ...] = languages.codes()


def default_vad() -> VadOptions:
    """Silero VAD tuned for calls: short pauses split turns; 400 ms padded back around speech
    (faster-whisper's default: 200 ms clipped the onsets of Russian telephone speech, losing
    whole words that plain faster-whisper heard).

    Imported here, not at the top: importing faster-whisper loads CTranslate2 and costs
    seconds, which code that only reads options or transcripts should not pay.
    """
    from faster_whisper.vad import VadOptions

    return VadOptions(
        threshold=0.5,
        min_speech_duration_ms=200,
        min_silence_duration_ms=600,
        speech_pad_ms=400,
        max_speech_duration_s=25.0,
    )


@dataclass(frozen=True)
class TranscriptionOptions:
    # 'bundled-base', any faster-whisper model name (e.g. 'small') or a local model folder.
    model: str = BUNDLED_MODEL
    model_cache_dir: Path | None = None
    device: Device = "auto"
    # 'auto' means int8 on CPU and float16 on CUDA.
    compute_type: str = "auto"
    # 0 picks from the cores this process may use, without oversubscribing them.
    cpu_threads: int = 0
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    # Forced language of the call; None detects it among `languages`.
    language: str | None = None
    agent_channel: AgentChannel = "left"
    hold_threshold: float = 10.0
    max_duration: float = 4 * 3600.0
    # Long calls are decoded and transcribed this many seconds at a time, so memory stays flat:
    # five minutes is 38 MB of stereo float32 (Silero VAD needs several times that), and
    # calls shorter than that are one window.
    window_seconds: float = 300.0
    beam_size: int = 5
    # All windows are decoded in one batch at the first temperature; a window that fails
    # Whisper's checks is decoded again alone, sampling at the following ones. Four
    # temperatures with one sample each bound that cost on two cores (at most 4 decodes of a
    # window, not faster-whisper's 1 + 5 x 5). Sampling is random: on audio that needs it,
    # reruns can differ; (0.0,) makes runs repeatable at the price of more loops.
    temperatures: tuple[float, ...] = (0.0, 0.3, 0.6, 0.9)
    best_of: int = 1
    # Windows (of every party) encoded and decoded together; 0 means 4 on CPU, 8 on CUDA.
    # Each window in the batch holds `beam_size` copies of its encoder output for the
    # decoder (about 37 MB each with the base model), so on CPU 8 made a 5-minute window of
    # a long call peak at 1.36 GB; 4 peaks at 0.95 GB and is no slower on two cores.
    batch_size: int = 0
    vad: VadOptions = field(default_factory=default_vad)
    # Whisper's own guards against text invented over silence or noise.
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4
    # Two channels whose correlation is at least this carry one signal: treated as mono.
    same_signal_correlation: float = 0.97
    # An overlap shorter than this is back-channel or timing noise, not overtalk.
    min_overtalk: float = 0.3
