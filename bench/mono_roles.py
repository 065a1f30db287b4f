"""Mono role attribution on the Harper Valley calls mixed down to mono (truth: their channels).

For each call the two channels are summed to one, the reference words (with their times) are
given to the role step, and each word's decided role is compared with the channel it came from.
Baseline in the same run: every word to the voice that spoke first (what a mono call gets
without the role step is `unknown`; "first speaker" is the best trivial guess).
Prints word accuracy, the per-call confidence and the role step's real-time factor (MFCCs,
voice split and role decision; transcription is not part of it), in wall-clock time and in CPU
time (the wall figure swells when other jobs share the cores).

With `--transcribe`, each mono mix-down also goes through the real transcription (bundled model,
temperature 0) and the role step of the pipeline, and every word Whisper heard is scored against
the role of the reference word it overlaps most (words overlapping none are counted apart).

Run: nice -n 10 .venv/bin/python bench/mono_roles.py [--transcribe]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.pipeline.speaker_roles import decide_roles, with_roles  # noqa: E402
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


def transcribed_attribution(folder: Path, sid: str) -> tuple[int, int, int, float | None]:
    """(right, scored, unmatched, role confidence) of Whisper's words on the mono mix-down."""
    from transcription import TranscriptionOptions, transcribe_call

    samples, rate = load_mono(folder / "stereo" / f"{sid}.wav")
    reference = reference_words(folder, sid)
    with tempfile.TemporaryDirectory() as work:
        mono = Path(work) / f"{sid}.wav"
        with wave.open(str(mono), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes((samples * 32767).astype("<i2").tobytes())
        heard = transcribe_call(mono, TranscriptionOptions(language="en", temperatures=(0.0,)))
    labelled = with_roles(heard, min_confidence=0.0, min_overtalk=0.3)
    right = scored = unmatched = 0
    for utterance in labelled.utterances:
        for word in utterance.words:
            overlaps = {
                role: sum(
                    max(0.0, min(word.end, r[1]) - max(word.start, r[0]))
                    for r in reference
                    if r[3] == role
                )
                for role in ("agent", "caller")
            }
            if not any(overlaps.values()):
                unmatched += 1
                continue
            truth = "agent" if overlaps["agent"] >= overlaps["caller"] else "customer"
            scored += 1
            right += utterance.speaker == truth
    return right, scored, unmatched, labelled.role_confidence


def main() -> int:
    if not DATA.is_dir():
        print(f"Harper Valley data not found at {DATA}")
        return 1
    if "--transcribe" in sys.argv:
        return _transcribed()
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


def _transcribed() -> int:
    right = scored = unmatched = 0
    for path in sorted((DATA / "stereo").glob("*.wav")):
        hits, count, missed, confidence = transcribed_attribution(DATA, path.stem)
        right, scored, unmatched = right + hits, scored + count, unmatched + missed
        print(
            f"{path.stem}: {hits}/{count} Whisper words = {hits / max(count, 1):.3f} "
            f"({missed} overlap no reference word), confidence {confidence}"
        )
    share = right / max(scored, 1)
    print(f"Whisper words attributed {share:.3f} over {scored} ({unmatched} unmatched)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
