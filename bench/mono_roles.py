"""Mono role attribution on the Harper Valley calls mixed down to mono (truth: their channels).

For each call the two channels are summed to one, the reference words (with their times) are
given to the role step, and each word's decided role is compared with the channel it came from.
Baseline in the same run: every word to the voice that spoke first (what a mono call gets
without the role step is `unknown`; "first speaker" is the best trivial guess).
Prints word accuracy, the per-call confidence and the role step's real-time factor (MFCCs,
voice split and role decision; transcription is not part of it), in wall-clock time and in CPU
time (the wall figure swells when other jobs share the cores). Then, labelled synthetic, the
Russian, Persian and English espeak-ng test calls (data/test_calls) mixed down to mono, their
words timed from the script's turns.

With `--transcribe`, each mono mix-down also goes through the real transcription (bundled model,
temperature 0) and the role step of the pipeline, and every word Whisper heard is scored against
the role of the reference word it overlaps most (words overlapping none are counted apart).

With `--held-out`, the figure is made honest: the refinement's parameters (`VoiceSettings`:
mixture size and change costs, tuned on these same four calls) are chosen from a small grid on
three calls and the fourth is scored with them, for each call in turn (leave one call out); the
in-sample figure (defaults) is printed beside it. The run then builds twelve synthetic mono
calls at run time from the calls' own agent and caller channel files re-paired across calls
(agent of call A with caller of call B; the segments of both keep their order and their own
start times, pushed later where they would overlap), scored with the defaults and with the
parameters chosen on the real calls that share no voice with the pair. Last it says whether the
per-call confidence ranks the calls by accuracy (Spearman's rho, the AUROC for calls with at
least 0.90 of words right, and words right in the calls kept and those the default threshold
sends to review), in-sample and held out.

Run: nice -n 10 .venv/bin/python bench/mono_roles.py [--transcribe | --held-out]
"""

from __future__ import annotations

import itertools
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
from qa.settings import Settings  # noqa: E402
from transcription.diarization import (  # noqa: E402
    TimedWord,
    VoiceSettings,
    mfcc,
    split_speakers,
)

# The transcribers' marks for non-speech and unintelligible speech: no transcript from Whisper
# has them, so they are not words a role is given to. (Kept in, the 38 `[noise]` marks pulled
# one call's voice split towards noise-versus-speech; see docs/transcription.md.)
ANNOTATIONS = {"[noise]", "<unk>"}
DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "harper-valley"
# The grid the defaults were tuned over (diarization.VoiceSettings); the defaults come first, so
# a tie keeps them.
GRID = [
    VoiceSettings(components, in_run, at_pause)
    for components, in_run, at_pause in itertools.product(
        (4, 1, 2, 8), (25.0, 8.0, 20.0, 40.0, 80.0), (1.0, 3.0)
    )
]
DEFAULTS = VoiceSettings()
# Synthetic two-voice calls in other languages (espeak-ng), scored in the plain run.
TEST_CALLS = Path(__file__).resolve().parent.parent / "data" / "test_calls"
SCRIPTED_CALLS = ("ru_stereo", "fa_stereo", "en_stereo")
# A call is "good" when it meets the target; the confidence should tell these apart.
GOOD_CALL = 0.90
THRESHOLD = Settings.model_fields["role_confidence_threshold"].default
# Least silence between two segments of a synthetic call, where their own times would overlap.
SYNTHETIC_GAP_SECONDS = 0.3


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
    return attribute(samples, rate, reference_words(folder, sid))


def attribute(
    samples: np.ndarray,
    rate: int,
    words: list[tuple[float, float, str, str]],
    settings: VoiceSettings = DEFAULTS,
) -> CallAttribution:
    """A mono call and its reference words (start, end, word, role) through the role step."""
    began, began_cpu = time.perf_counter(), time.process_time()
    split = split_speakers(mfcc(samples, rate), [TimedWord(w[0], w[1]) for w in words], settings)
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
    if "--held-out" in sys.argv:
        return _held_out()
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
    for name in SCRIPTED_CALLS:
        call = scripted_call(name)
        print(
            f"synthetic {name} (espeak-ng test call mixed to mono, scripted turn times): "
            f"{call.right}/{call.words} words = {call.right / call.words:.3f} "
            f"(first-speaker baseline {call.baseline_right / call.words:.3f}), "
            f"confidence {call.confidence}"
        )
    return 0


def scripted_call(name: str) -> CallAttribution:
    """One of the synthetic stereo test calls (data/test_calls, espeak-ng) mixed to mono. Its
    script gives each turn's times, not each word's: a turn's words share its time evenly."""
    from transcription.audio import SAMPLE_RATE, decode_audio

    script = json.loads((TEST_CALLS / f"{name}.json").read_text())
    audio = decode_audio(TEST_CALLS / script["audio_file"], max_duration=3600)
    words = []
    for turn in script["turns"]:
        tokens = turn["text"].split()
        step = (turn["end"] - turn["start"]) / len(tokens)
        role = "agent" if turn["speaker"] == "agent" else "caller"
        words += [
            (turn["start"] + k * step, turn["start"] + (k + 1) * step, token, role)
            for k, token in enumerate(tokens)
        ]
    return attribute(audio.samples.mean(axis=0), SAMPLE_RATE, sorted(words))


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


def synthetic_call(
    folder: Path, agent_sid: str, caller_sid: str
) -> tuple[np.ndarray, int, list[tuple[float, float, str, str]]]:
    """A mono call of one call's agent and another call's caller, with its reference words:
    each segment cut from its own channel file and laid down in the order of the segments' own
    start times, later where it would overlap the one before."""
    segments = []
    for sid, role in ((agent_sid, "agent"), (caller_sid, "caller")):
        samples, rate = load_mono(folder / "audio" / role / f"{sid}.wav")
        words = [w for w in reference_words(folder, sid) if w[3] == role]
        for segment in json.loads((folder / "transcript" / f"{sid}.json").read_text()):
            if segment["speaker_role"] != role:
                continue
            start, end = (
                segment["start_ms"] / 1000,
                (segment["start_ms"] + segment["duration_ms"]) / 1000,
            )
            inside = [w for w in words if start <= w[0] < end]
            segments.append((start, end, samples[int(start * rate) : int(end * rate)], inside))
    out: list[np.ndarray] = []
    placed: list[tuple[float, float, str, str]] = []
    cursor = 0.0
    for start, _, audio, words in sorted(segments, key=lambda s: s[0]):
        at = max(start, cursor + SYNTHETIC_GAP_SECONDS) if out else start
        out.append(np.zeros(int(at * rate) - sum(len(a) for a in out), dtype=np.float32))
        out.append(audio)
        placed.extend((w[0] - start + at, w[1] - start + at, w[2], w[3]) for w in words)
        cursor = at + len(audio) / rate
    mixed = np.concatenate(out)
    # A phone line is never digitally silent: a faint noise floor (about -60 dBFS) in the gaps.
    noise = np.random.default_rng(0).normal(0.0, 1e-3, mixed.size).astype(np.float32)
    return mixed + noise, rate, sorted(placed)


def _spearman(x: list[float], y: list[float]) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(x, y).statistic)


def _ranking(calls: list[CallAttribution]) -> str:
    """Whether the confidence ranks `calls` by accuracy: Spearman's rho, the AUROC of the
    confidence for telling good calls from the rest, and the share of words right in the calls
    the default threshold keeps and in those it sends to review."""
    from sklearn.metrics import roc_auc_score

    accuracy = [c.right / c.words for c in calls]
    confidence = [c.confidence for c in calls]
    good = [a >= GOOD_CALL for a in accuracy]
    auroc = f"{roc_auc_score(good, confidence):.2f}" if 0 < sum(good) < len(good) else "n/a"
    kept = [c for c in calls if c.confidence >= THRESHOLD]
    review = [c for c in calls if c.confidence < THRESHOLD]

    def share(group: list[CallAttribution]) -> str:
        words = sum(c.words for c in group)
        return f"{sum(c.right for c in group) / words:.3f} ({len(group)} calls)" if words else "-"

    return (
        f"Spearman rho {_spearman(confidence, accuracy):.2f}, AUROC {auroc}; words right "
        f"kept {share(kept)}, to review {share(review)}"
    )


def _held_out() -> int:
    sids = [path.stem for path in sorted((DATA / "stereo").glob("*.wav"))]
    real = {
        sid: (*load_mono(DATA / "stereo" / f"{sid}.wav"), reference_words(DATA, sid))
        for sid in sids
    }
    # Every call scored under every setting of the grid, once.
    scores = {(sid, settings): attribute(*real[sid], settings) for sid in sids for settings in GRID}

    def chosen(excluded: set[str]) -> VoiceSettings:
        return max(GRID, key=lambda g: sum(scores[s, g].right for s in sids if s not in excluded))

    default = DEFAULTS
    inside = held = total = 0
    held_calls: list[CallAttribution] = []
    inside_calls: list[CallAttribution] = []
    for sid in sids:
        pick = chosen({sid})
        ins, out = scores[sid, default], scores[sid, pick]
        held_calls.append(out)
        inside_calls.append(ins)
        inside, held, total = inside + ins.right, held + out.right, total + out.words
        print(
            f"{sid}: in-sample {ins.right / ins.words:.3f}, held-out {out.right / out.words:.3f} "
            f"with {pick} chosen on the other three, confidence {out.confidence}"
        )
    best = chosen(set())
    print(
        f"real calls: in-sample {inside / total:.3f} (defaults), held-out {held / total:.3f} "
        f"over {total} words; best on all four: {best}"
    )
    synthetic_default: list[CallAttribution] = []
    synthetic_held: list[CallAttribution] = []
    for agent_sid, caller_sid in itertools.permutations(sids, 2):
        samples, rate, words = synthetic_call(DATA, agent_sid, caller_sid)
        pick = chosen({agent_sid, caller_sid})
        ins, out = attribute(samples, rate, words), attribute(samples, rate, words, pick)
        synthetic_default.append(ins)
        synthetic_held.append(out)
        print(
            f"synthetic agent {agent_sid[:6]} + caller {caller_sid[:6]}: defaults "
            f"{ins.right / ins.words:.3f}, held-out {out.right / out.words:.3f}, "
            f"confidence {out.confidence}"
        )
    for name, calls in (("defaults", synthetic_default), ("held-out", synthetic_held)):
        right, words_ = sum(c.right for c in calls), sum(c.words for c in calls)
        worst = min(c.right / c.words for c in calls)
        print(
            f"synthetic calls, {name}: {right / words_:.3f} over {words_} words, "
            f"worst call {worst:.3f}"
        )
    print(
        f"confidence against accuracy (good: >= {GOOD_CALL:.2f} of words right; below the "
        f"default threshold {THRESHOLD} a call goes to review)"
    )
    for name, calls in (
        ("real, in-sample", inside_calls),
        ("real, held-out", held_calls),
        ("synthetic, defaults", synthetic_default),
        ("synthetic, held-out", synthetic_held),
        ("all 16, in-sample/defaults", inside_calls + synthetic_default),
        ("all 16, held-out", held_calls + synthetic_held),
    ):
        print(f"  {name}: {_ranking(calls)}")
    for call in sorted(held_calls + synthetic_held, key=lambda c: c.confidence):
        print(f"  confidence {call.confidence:.3f}: accuracy {call.right / call.words:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
