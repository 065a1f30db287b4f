"""Mono role attribution on the Harper Valley calls mixed down to mono (truth: their channels).

For each call the two channels are summed to one, the reference words (with their times) are
given to the role step, and each word's decided role is compared with the channel it came from.
Baseline in the same run: every word to the voice that spoke first (what a mono call gets
without the role step is `unknown`; "first speaker" is the best trivial guess).
Prints word accuracy, the per-call confidence and the role step's real-time factor (MFCCs,
voice split and role decision; transcription is not part of it), in wall-clock time and in CPU
time (the wall figure swells when other jobs share the cores).

Run: nice -n 10 .venv/bin/python bench/mono_roles.py
"""

from __future__ import annotations

import json
import sys
import time
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.pipeline.speaker_roles import decide_roles  # noqa: E402
from transcription.diarization import TimedWord, mfcc, split_speakers  # noqa: E402

# The transcribers' marks for non-speech and unintelligible speech: no transcript from Whisper
# has them, so they are not words a role is given to. (Kept in, the 38 `[noise]` marks pulled
# one call's voice split towards noise-versus-speech; see docs/transcription.md.)
ANNOTATIONS = {"[noise]", "<unk>"}
DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "harper-valley"


@dataclass(frozen=True)
class CallAttribution:
    right: int
    baseline_right: int
    words: int
    confidence: float
    role_seconds: float
    role_cpu_seconds: float
    audio_seconds: float


def load_mono(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as audio:
        rate, channels = audio.getframerate(), audio.getnchannels()
        pcm = np.frombuffer(audio.readframes(audio.getnframes()), dtype=np.int16)
    return pcm.reshape(-1, channels).astype(np.float32).mean(axis=1) / 32768, rate


def reference_words(folder: Path, sid: str) -> list[tuple[float, float, str, str]]:
    words = []
    for segment in json.loads((folder / "transcript" / f"{sid}.json").read_text()):
        tokens = segment["human_transcript"].split()
        offsets, durations = segment["word_offsets_ms"], segment["word_durations_ms"]
        if len(tokens) != len(offsets):
            tokens = segment["transcript"].split()
        for token, offset, duration in zip(tokens, offsets, durations, strict=False):
            if token in ANNOTATIONS:
                continue
            start = (segment["start_ms"] + offset) / 1000
            words.append((start, start + duration / 1000, token, segment["speaker_role"]))
    return sorted(words)


def attribute_call(folder: Path, sid: str) -> CallAttribution:
    """One Harper Valley call through the role step, scored word by word against its channels."""
    samples, rate = load_mono(folder / "stereo" / f"{sid}.wav")
    words = reference_words(folder, sid)
    began, began_cpu = time.perf_counter(), time.process_time()
    split = split_speakers(mfcc(samples, rate), [TimedWord(w[0], w[1]) for w in words])
    roles = decide_roles(split.labels, [w[2] for w in words], split.confidence)
    role_seconds = time.perf_counter() - began
    role_cpu_seconds = time.process_time() - began_cpu
    decided = ["agent" if label == roles.agent_label else "caller" for label in split.labels]
    return CallAttribution(
        right=sum(d == w[3] for d, w in zip(decided, words, strict=True)),
        baseline_right=sum(w[3] == words[0][3] for w in words),
        words=len(words),
        confidence=roles.confidence,
        role_seconds=role_seconds,
        role_cpu_seconds=role_cpu_seconds,
        audio_seconds=len(samples) / rate,
    )


def main() -> int:
    if not DATA.is_dir():
        print(f"Harper Valley data not found at {DATA}")
        return 1
    calls = []
    for path in sorted((DATA / "stereo").glob("*.wav")):
        call = attribute_call(DATA, path.stem)
        calls.append(call)
        print(
            f"{path.stem}: {call.right}/{call.words} words = {call.right / call.words:.3f} "
            f"(first-speaker baseline {call.baseline_right / call.words:.3f}), "
            f"confidence {call.confidence}"
        )
    right, total = sum(c.right for c in calls), sum(c.words for c in calls)
    baseline = sum(c.baseline_right for c in calls)
    audio = sum(c.audio_seconds for c in calls)
    rtf = sum(c.role_seconds for c in calls) / audio
    cpu_rtf = sum(c.role_cpu_seconds for c in calls) / audio
    print(
        f"word attribution {right / total:.3f} vs baseline {baseline / total:.3f} "
        f"(ratio {right / baseline:.2f}) over {total} words; "
        f"role step real-time factor {rtf:.4f} wall, {cpu_rtf:.4f} CPU (all threads) "
        f"over {audio:.0f} s of audio"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
