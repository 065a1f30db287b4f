"""Peak memory and real-time factor of long two-party calls: memory must stay flat with length.

    nice -n 10 .venv/bin/python bench/long_call.py [--minutes 15 60 240] [--stage full|decode]

Each recording is synthesised with sox from the stereo test call
`data/test_calls/en_telephony_8k.wav` (21 s of espeak-ng agent and customer turns, one party per
channel, 8 kHz) followed by 39 s of silence, repeated to the length asked for, as 8 kHz stereo
FLAC: a third of every minute is the call, the rest the dead air long calls are made of. That
keeps a 4-hour case cheap; it also makes the real-time factor kinder than on wall-to-wall talk
(VAD skips the silence), while decoding, windowing and VAD still run over every second, so the
memory figure is honest.

Each case runs in a child process of its own, so peak resident memory (ru_maxrss) is that
case's alone. Stages: `full` is `transcribe_call` end to end (bundled base model, CPU);
`decode` only decodes the windows and runs VAD on each party, the part whose memory grew with
call length. The baseline, measured in the same run on the first (shortest) recording, is what
callqa did before windows: the whole file decoded at once (`decode_audio`) and VAD on each
party; the report prints each case's peak as a ratio to it. Target: a 4-hour call peaks under
1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

BLOCK_SOURCE = REPO_ROOT / "data" / "test_calls" / "en_telephony_8k.wav"
BLOCK_SECONDS = 60
MAX_PEAK_MB = 1500.0

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from transcription import TranscriptionOptions, transcribe_call
from transcription.audio import decode_audio, decode_windows
from transcription.channels import split_speakers
from transcription.speech import pack_speech
path, stage = Path({path!r}), {stage!r}
options = TranscriptionOptions(cpu_threads=2, language="en")
started = time.perf_counter()
if stage == "full":
    duration = transcribe_call(path, options).duration
elif stage == "whole-decode":
    audio = decode_audio(path, options.max_duration)
    tracks = split_speakers(audio, "left", options.same_signal_correlation)
    speech = [pack_speech(track, options.vad) for track in tracks.tracks]
    duration = audio.duration
else:
    duration = 0.0
    for window in decode_windows(path, options.max_duration, options.window_seconds):
        tracks = split_speakers(window, "left", options.same_signal_correlation)
        speech = [pack_speech(track, options.vad) for track in tracks.tracks]
        duration = window.start + window.duration
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(dict(duration=duration, seconds=seconds, peak_mb=peak)))
"""


def synthesise(minutes: int, folder: Path) -> Path:
    """A two-party call of `minutes`, built from repeats of one two-minute block."""
    block = folder / "block.wav"
    if not block.exists():  # the call, then silence up to a whole block, whatever its length
        subprocess.run(
            [
                *("sox", str(BLOCK_SOURCE), "-r", "8000", str(block)),
                *("pad", "0", str(BLOCK_SECONDS), "trim", "0", str(BLOCK_SECONDS)),
            ],
            check=True,
        )
    out = folder / f"call-{minutes}min.flac"
    repeats = minutes * 60 // BLOCK_SECONDS
    subprocess.run(["sox", str(block), str(out), "repeat", str(repeats - 1)], check=True)
    return out


def measure(path: Path, stage: str) -> dict[str, float]:
    code = CHILD.format(root=str(REPO_ROOT), path=str(path), stage=stage)
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=int, nargs="+", default=[15, 60, 240])
    parser.add_argument("--stage", choices=["full", "decode"], default="full")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="callqa-long-") as scratch:
        folder = Path(scratch)
        recordings = [synthesise(m, folder) for m in arguments.minutes]
        baseline = measure(recordings[0], "whole-decode")
        print(
            f"baseline: whole-file decode + VAD of {arguments.minutes[0]} min peaks at "
            f"{baseline['peak_mb']:.0f} MB"
        )
        print(f"stage {arguments.stage}; two-party 8 kHz stereo FLAC, a third of it the call")
        for minutes, path in zip(arguments.minutes, recordings, strict=True):
            started = time.perf_counter()
            result = measure(path, arguments.stage)
            print(
                f"  {minutes:4d} min: peak {result['peak_mb']:6.0f} MB "
                f"({result['peak_mb'] / baseline['peak_mb']:.2f}x the baseline), "
                f"{result['duration'] / result['seconds']:6.1f}x real time "
                f"({result['seconds']:.0f} s; {time.perf_counter() - started:.0f} s with start-up)"
                f"  {'ok' if result['peak_mb'] < MAX_PEAK_MB else 'OVER'} < {MAX_PEAK_MB:.0f} MB"
            )


if __name__ == "__main__":
    main()
