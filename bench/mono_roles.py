"""Mono role attribution on the Harper Valley calls mixed down to mono (truth: their channels).

For each call the two channels are summed to one, the reference words (with their times) are
given to the role step, and each word's decided role is compared with the channel it came from.
Baseline in the same run: every word to the voice that spoke first (what a mono call gets
without the role step is `unknown`; "first speaker" is the best trivial guess).
Prints word accuracy, the per-call confidence and the role step's real-time factor.

Run: nice -n 10 .venv/bin/python bench/mono_roles.py
"""

from __future__ import annotations

import json
import sys
import time
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.pipeline.speaker_roles import decide_roles  # noqa: E402
from transcription.diarization import TimedWord, split_speakers  # noqa: E402

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "harper-valley"


def load_mono(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as audio:
        rate, channels = audio.getframerate(), audio.getnchannels()
        pcm = np.frombuffer(audio.readframes(audio.getnframes()), dtype=np.int16)
    return pcm.reshape(-1, channels).astype(np.float32).mean(axis=1) / 32768, rate


def reference_words(sid: str) -> list[tuple[float, float, str, str]]:
    words = []
    for segment in json.loads((DATA / "transcript" / f"{sid}.json").read_text()):
        tokens = segment["human_transcript"].split()
        offsets, durations = segment["word_offsets_ms"], segment["word_durations_ms"]
        if len(tokens) != len(offsets):
            tokens = segment["transcript"].split()
        for token, offset, duration in zip(tokens, offsets, durations, strict=False):
            start = (segment["start_ms"] + offset) / 1000
            words.append((start, start + duration / 1000, token, segment["speaker_role"]))
    return sorted(words)


def main() -> int:
    if not DATA.is_dir():
        print(f"Harper Valley data not found at {DATA}")
        return 1
    right = baseline_right = total = 0
    role_seconds = audio_seconds = 0.0
    for path in sorted((DATA / "stereo").glob("*.wav")):
        samples, rate = load_mono(path)
        words = reference_words(path.stem)
        began = time.perf_counter()
        split = split_speakers(samples, rate, [TimedWord(w[0], w[1]) for w in words])
        roles = decide_roles(split, [w[2] for w in words])
        role_seconds += time.perf_counter() - began
        audio_seconds += len(samples) / rate
        decided = ["agent" if label == roles.agent_label else "caller" for label in split.labels]
        hits = sum(d == w[3] for d, w in zip(decided, words, strict=True))
        baseline = sum(w[3] == words[0][3] for w in words)
        right, baseline_right, total = right + hits, baseline_right + baseline, total + len(words)
        print(
            f"{path.stem}: {hits}/{len(words)} words = {hits / len(words):.3f} "
            f"(first-speaker baseline {baseline / len(words):.3f}), confidence {roles.confidence}"
        )
    print(
        f"word attribution {right / total:.3f} vs baseline {baseline_right / total:.3f} "
        f"(ratio {right / baseline_right:.2f}) over {total} words; "
        f"role step real-time factor {role_seconds / audio_seconds:.4f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
