"""Speed of the stereo transcription pipeline against plain faster-whisper, on the same recordings.

    .venv/bin/python bench/transcription.py [AUDIO_OR_FOLDER ...]

Default recordings: the Harper Valley stereo calls in ../shared/data/harper-valley/stereo when
present (real 8 kHz telephone speech), else the stereo test calls in data/test_calls. One model
is loaded once and warmed up on the first recording; then, for each recording, in the same run:

- pipeline: `transcribe_call` end to end (decode, channel split, VAD per channel, language
  detection, both channels with word times, acoustics);
- plain: faster-whisper's `decode_audio` (the mono mix-down) and `WhisperModel.transcribe` with
  the same model, beam size and VAD settings, everything else at faster-whisper's defaults.

Prints each speed as a multiple of real time, by wall clock and per CPU core (process CPU time
of all threads: on a machine shared with other work the wall clock overstates the cost, and
2 x the per-core figure is what two idle cores would give at best), the ratio pipeline/plain,
and the process's peak resident memory (both runs share it). Targets on 2 CPU cores with the
bundled base model in int8: pipeline >= 12x real time, ratio <= 1.1, peak memory < 1.5 GB.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from faster_whisper import WhisperModel, decode_audio  # noqa: E402

from transcription import TranscriptionOptions, transcribe_call  # noqa: E402
from transcription.engine import load_model, resolve_cpu_threads  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
HARPER_VALLEY = REPO_ROOT.parent / "shared" / "data" / "harper-valley" / "stereo"
TEST_CALLS = REPO_ROOT / "data" / "test_calls"
MIN_REAL_TIME = 12.0
MAX_RATIO = 1.1
MAX_PEAK_MB = 1500.0
AUDIO_SUFFIXES = {".wav", ".ogg", ".opus", ".mp3", ".flac", ".m4a"}


def recordings(arguments: list[str]) -> list[Path]:
    if not arguments:
        if HARPER_VALLEY.is_dir():
            return sorted(HARPER_VALLEY.glob("*.wav"))
        return sorted(TEST_CALLS.glob("*_stereo.ogg"))
    found: list[Path] = []
    for argument in map(Path, arguments):
        if argument.is_dir():
            found.extend(sorted(p for p in argument.iterdir() if p.suffix in AUDIO_SUFFIXES))
        else:
            found.append(argument)
    return found


@dataclass
class Timing:
    """Wall-clock and CPU seconds (all threads) summed over recordings."""

    wall: float = 0.0
    cpu: float = 0.0

    def add(self, started_wall: float, started_cpu: float) -> tuple[float, float]:
        wall, cpu = time.perf_counter() - started_wall, time.process_time() - started_cpu
        self.wall += wall
        self.cpu += cpu
        return wall, cpu


def time_pipeline(path: Path, options: TranscriptionOptions, timing: Timing) -> float:
    """Runs the pipeline on `path`, adds its time to `timing`; returns seconds of audio."""
    started = time.perf_counter(), time.process_time()
    transcript = transcribe_call(path, options)
    timing.add(*started)
    return transcript.duration


def time_plain(
    path: Path, model: WhisperModel, options: TranscriptionOptions, timing: Timing
) -> None:
    started = time.perf_counter(), time.process_time()
    mono = decode_audio(str(path))
    segments, _ = model.transcribe(
        mono, beam_size=options.beam_size, vad_filter=True, vad_parameters=options.vad
    )
    for _ in segments:  # decoding happens as the generator is consumed
        pass
    timing.add(*started)


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("audio", nargs="*", help="recordings or folders of them")
    files = recordings(parser.parse_args().audio)
    if not files:
        sys.exit("no recordings to benchmark")
    options = TranscriptionOptions()
    model = load_model(options)
    print(
        f"model {options.model} on {model.device} ({model.compute_type}), "
        f"{resolve_cpu_threads(options.cpu_threads)} threads, beam {options.beam_size}, "
        f"{len(files)} recordings"
    )
    transcribe_call(files[0], options)  # warm-up: first-call allocations, VAD session
    pipeline, plain, audio_total = Timing(), Timing(), 0.0
    for path in files:
        before = pipeline.wall, plain.wall
        duration = time_pipeline(path, options, pipeline)
        time_plain(path, model.whisper, options, plain)
        audio_total += duration
        print(
            f"  {path.name}: {duration:6.1f} s audio  pipeline {pipeline.wall - before[0]:6.2f} s"
            f"  plain {plain.wall - before[1]:6.2f} s"
        )
    print(f"audio                 {audio_total:8.1f} s")
    for label, timing in (("pipeline", pipeline), ("plain faster-whisper", plain)):
        print(
            f"{label:21s} {audio_total / timing.wall:8.1f}x real time (wall); "
            f"{audio_total / timing.cpu:5.1f}x per CPU core ({timing.cpu:.1f} CPU s)"
        )
    print(f"target                >= {MIN_REAL_TIME:.0f}x real time for the pipeline on 2 cores")
    print(
        f"ratio pipeline/plain  {pipeline.wall / plain.wall:8.2f} wall, "
        f"{pipeline.cpu / plain.cpu:.2f} CPU   (target <= {MAX_RATIO})"
    )
    print(f"peak memory           {peak_memory_mb():8.0f} MB   (target < {MAX_PEAK_MB:.0f} MB)")


if __name__ == "__main__":
    main()
