"""Render the call scripts in data/call_scripts/ into synthetic call recordings.

Every call is spoken by espeak-ng, one turn at a time, and laid onto a timeline, so the
ground truth (who spoke when, the holds, the overtalk, the interruptions) is known exactly
and written next to the audio as a JSON sidecar the tests assert against. A call set that
carries a `manifest` section also gets the CSV manifest `python -m qa demo` ingests.

Output is deterministic: the same scripts give byte-identical files (fixed noise seed,
bit-exact muxing), so regenerating does not churn the repository.

Usage: .venv/bin/python data/synthesize_calls.py [call_scripts/*.yaml ...]
Needs the espeak-ng binary and PyAV (libopus, pcm_mulaw).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import av
import numpy as np
import yaml

DATA_DIR = Path(__file__).resolve().parent
SCRIPTS_DIR = DATA_DIR / "call_scripts"

Speaker = Literal["agent", "customer"]
SPEAKERS: tuple[Speaker, Speaker] = ("agent", "customer")
DEFAULT_PAUSE_S = 0.6
LEAD_IN_S = 0.4
TAIL_S = 0.6
SILENCE_REPORT_MIN_S = 2.0
TURN_PEAK_DBFS = -4.0
NOISE_FLOOR_DBFS = -62.0
ESPEAK_SPEED_WPM = 160
OPUS_BITRATE = 24_000
MANIFEST_COLUMNS = [
    "call_id",
    "audio_file",
    "agent_id",
    "agent_name",
    "client",
    "team",
    "started_at",
    "direction",
    "queue",
    "ring_seconds",
    "wait_seconds",
    "handle_seconds",
    "customer_feedback",
    "customer_consent",
    "agent_consent",
    "language",
    "agent_channel",
]

# How each encoding is written: (container format, codec, file suffix).
ENCODINGS: dict[str, tuple[str, str, str]] = {
    "opus": ("ogg", "libopus", ".ogg"),
    "pcm16": ("wav", "pcm_s16le", ".wav"),
    "mulaw": ("wav", "pcm_mulaw", ".wav"),
}


class ScriptError(ValueError):
    """A call script is malformed; the message names the file and the call."""


@dataclass(frozen=True)
class Turn:
    speaker: Speaker
    text: str
    pause: float = DEFAULT_PAUSE_S  # silence before this turn, after the previous speech
    overlap: float = 0.0  # when > 0: start this long before the previous turn ends
    gain_db: float = 0.0  # louder (shouting) or quieter speech than the usual level


@dataclass(frozen=True)
class Hold:
    """Nobody speaks for `seconds` (the customer is on hold); replaces the next pause."""

    seconds: float


@dataclass(frozen=True)
class CallScript:
    name: str
    language: str
    layout: Literal["stereo", "mono", "same_channels"]
    encoding: str
    sample_rate: int
    voices: dict[str, str]
    steps: list[Turn | Hold]
    agent_channel: Literal["left", "right"] = "left"
    speed: int = ESPEAK_SPEED_WPM
    bitrate: int = OPUS_BITRATE  # Opus only: the demo set goes lower to stay small
    purpose: str = ""
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def audio_file(self) -> str:
        return self.name + ENCODINGS[self.encoding][2]


@dataclass(frozen=True)
class PlacedTurn:
    speaker: Speaker
    text: str
    start: float
    samples: np.ndarray  # mono float32 at the call's sample rate

    def end(self, sample_rate: int) -> float:
        return self.start + len(self.samples) / sample_rate


# --------------------------------------------------------------------------- loading


def load_call_set(path: Path) -> tuple[Path, list[CallScript], dict[str, Any] | None]:
    """Read one YAML call set: its output folder, its calls, and its optional manifest spec."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    defaults = raw.get("defaults", {})
    calls = [_parse_call({**defaults, **call}, path) for call in raw["calls"]]
    names = [call.name for call in calls]
    if len(set(names)) != len(names):
        raise ScriptError(f"{path}: call names must be unique")
    return DATA_DIR / raw["output_dir"], calls, raw.get("manifest")


def _parse_call(raw: dict[str, Any], path: Path) -> CallScript:
    name = raw.get("name", "?")
    try:
        steps = [_parse_step(step) for step in raw["turns"]]
        call = CallScript(
            name=name,
            language=raw["language"],
            layout=raw["layout"],
            encoding=raw["encoding"],
            sample_rate=int(raw["sample_rate"]),
            voices=dict(raw["voices"]),
            steps=steps,
            agent_channel=raw.get("agent_channel", "left"),
            speed=int(raw.get("speed", ESPEAK_SPEED_WPM)),
            bitrate=int(raw.get("bitrate", OPUS_BITRATE)),
            purpose=str(raw.get("purpose", "")).strip(),
            manifest=dict(raw.get("manifest", {})),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ScriptError(f"{path}: call {name!r}: {error!r}") from error
    if call.encoding not in ENCODINGS:
        raise ScriptError(f"{path}: call {name!r}: unknown encoding {call.encoding!r}")
    if set(call.voices) != set(SPEAKERS):
        raise ScriptError(f"{path}: call {name!r}: voices must name agent and customer")
    return call


def _parse_step(raw: dict[str, Any]) -> Turn | Hold:
    if "hold" in raw:
        return Hold(float(raw["hold"]))
    (speaker, text), *options = raw.items()
    if speaker not in SPEAKERS:
        raise ValueError(f"a turn starts with agent: or customer:, not {speaker!r}")
    return Turn(speaker=speaker, text=" ".join(str(text).split()), **dict(options))


# --------------------------------------------------------------------------- speech


def speak(text: str, voice: str, speed: int, sample_rate: int, workdir: Path) -> np.ndarray:
    """One utterance from espeak-ng, resampled, trimmed of its own silence, peak-normalised."""
    wav_path = workdir / "turn.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav_path), text],
        check=True,
        capture_output=True,
    )
    samples = _decode_mono(wav_path, sample_rate)
    voiced = np.flatnonzero(np.abs(samples) > 10 ** (-40 / 20) * np.abs(samples).max())
    if voiced.size == 0:
        raise ScriptError(f"espeak-ng produced no speech for {text!r} with voice {voice}")
    samples = samples[voiced[0] : voiced[-1] + 1]
    return samples * (10 ** (TURN_PEAK_DBFS / 20) / np.abs(samples).max())


def _decode_mono(path: Path, sample_rate: int) -> np.ndarray:
    resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
    chunks: list[np.ndarray] = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            chunks.extend(out.to_ndarray()[0] for out in resampler.resample(frame))
        chunks.extend(out.to_ndarray()[0] for out in resampler.resample(None))
    return np.concatenate(chunks).astype(np.float32)


# --------------------------------------------------------------------------- timeline


def place_turns(call: CallScript, workdir: Path) -> list[PlacedTurn]:
    """Put every turn on the timeline: after a pause, after a hold, or overlapping the last."""
    placed: list[PlacedTurn] = []
    speech_end = LEAD_IN_S
    hold: float | None = None
    for step in call.steps:
        if isinstance(step, Hold):
            hold = step.seconds
            continue
        voice = call.voices[step.speaker]
        samples = speak(step.text, voice, call.speed, call.sample_rate, workdir)
        samples = samples * 10 ** (step.gain_db / 20)
        if not placed:
            start = LEAD_IN_S
        elif step.overlap > 0:
            start = placed[-1].end(call.sample_rate) - step.overlap
        else:
            start = speech_end + (hold if hold is not None else step.pause)
        hold = None
        turn = PlacedTurn(
            step.speaker, step.text, round(start * call.sample_rate) / call.sample_rate, samples
        )
        placed.append(turn)
        speech_end = max(speech_end, turn.end(call.sample_rate))
    return placed


def ground_truth(call: CallScript, placed: list[PlacedTurn], duration: float) -> dict[str, Any]:
    """What a correct analysis of the call must find, computed from the timeline itself."""
    rate = call.sample_rate
    spans = sorted((t.start, t.end(rate)) for t in placed)
    return {
        "name": call.name,
        "audio_file": call.audio_file,
        "purpose": call.purpose,
        "language": call.language,
        "layout": call.layout,
        "agent_channel": call.agent_channel if call.layout == "stereo" else None,
        "channels": 1 if call.layout == "mono" else 2,
        "encoding": call.encoding,
        "sample_rate": rate,
        "duration": round(duration, 3),
        "turns": [
            {"speaker": t.speaker, "text": t.text, "start": _r(t.start), "end": _r(t.end(rate))}
            for t in placed
        ],
        "silences": _silences(spans, duration),
        "overtalk": _overtalk(placed, rate),
        "interruptions": _interruptions(placed, rate),
    }


def _r(seconds: float) -> float:
    return round(seconds, 3)


def _silences(spans: list[tuple[float, float]], duration: float) -> list[dict[str, float]]:
    gaps, covered_until = [], 0.0
    for start, end in [*spans, (duration, duration)]:
        if start - covered_until > SILENCE_REPORT_MIN_S:
            gaps.append({"start": _r(covered_until), "end": _r(start)})
        covered_until = max(covered_until, end)
    return gaps


def _overtalk(placed: list[PlacedTurn], rate: int) -> list[dict[str, float]]:
    periods = []
    for i, first in enumerate(placed):
        for second in placed[i + 1 :]:
            if second.speaker == first.speaker:
                continue
            start, end = max(first.start, second.start), min(first.end(rate), second.end(rate))
            if end > start:
                periods.append({"start": _r(start), "end": _r(end)})
    return sorted(periods, key=lambda p: p["start"])


def _interruptions(placed: list[PlacedTurn], rate: int) -> list[dict[str, Any]]:
    return [
        {"at": _r(turn.start), "by": turn.speaker, "on": other.speaker}
        for turn in placed
        for other in placed
        if other.speaker != turn.speaker and other.start < turn.start < other.end(rate)
    ]


# --------------------------------------------------------------------------- audio


def mix_channels(call: CallScript, placed: list[PlacedTurn]) -> np.ndarray:
    """The call as (channels, samples) float32: one track per party, or their mix."""
    rate = call.sample_rate
    length = round((max(t.end(rate) for t in placed) + TAIL_S) * rate)
    tracks = {speaker: np.zeros(length, dtype=np.float32) for speaker in SPEAKERS}
    for turn in placed:
        offset = round(turn.start * rate)
        tracks[turn.speaker][offset : offset + len(turn.samples)] += turn.samples
    rng = np.random.default_rng(zlib.crc32(call.name.encode()))
    noise_level = 10 ** (NOISE_FLOOR_DBFS / 20)
    if call.layout == "stereo":
        order: tuple[Speaker, Speaker] = (
            ("agent", "customer") if call.agent_channel == "left" else ("customer", "agent")
        )
        left, right = order
        channels = np.stack([tracks[left], tracks[right]])
        channels += rng.normal(0.0, noise_level, channels.shape).astype(np.float32)
    else:
        mix = tracks["agent"] + tracks["customer"]
        mix += rng.normal(0.0, noise_level, length).astype(np.float32)
        channels = mix[np.newaxis] if call.layout == "mono" else np.stack([mix, mix])
    return np.clip(channels, -1.0, 1.0)


def encode(channels: np.ndarray, call: CallScript, path: Path) -> None:
    """Write the audio bit-exactly (no random Ogg serials, no encoder-version tags)."""
    container_format, codec, _ = ENCODINGS[call.encoding]
    layout = "mono" if channels.shape[0] == 1 else "stereo"
    pcm = (channels * 32767).round().astype(np.int16)
    with av.open(
        str(path), "w", format=container_format, options={"fflags": "+bitexact"}
    ) as container:
        stream = container.add_stream(codec, rate=call.sample_rate, layout=layout)
        assert isinstance(stream, av.audio.stream.AudioStream)
        if call.encoding == "opus":
            stream.bit_rate = call.bitrate
        stream.codec_context.flags |= av.codec.context.Flags.bitexact
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(pcm.T.reshape(1, -1)), format="s16", layout=layout
        )
        frame.sample_rate = call.sample_rate
        frame.pts = 0
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def render_call(call: CallScript, output_dir: Path, workdir: Path) -> dict[str, Any]:
    placed = place_turns(call, workdir)
    channels = mix_channels(call, placed)
    duration = channels.shape[1] / call.sample_rate
    encode(channels, call, output_dir / call.audio_file)
    truth = ground_truth(call, placed, duration)
    sidecar = output_dir / f"{call.name}.json"
    sidecar.write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return truth


# --------------------------------------------------------------------------- manifest


def write_manifest(
    output_dir: Path, spec: dict[str, Any], calls: list[CallScript], truths: list[dict[str, Any]]
) -> None:
    """The ingest manifest: call metadata from the scripts, handle time from the audio."""
    agents = spec["agents"]
    path = output_dir / spec.get("file", "manifest.csv")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for call, truth in zip(calls, truths, strict=True):
            meta = call.manifest
            agent = agents[meta["agent_id"]]
            feedback = meta.get("customer_feedback")
            writer.writerow(
                {
                    "call_id": call.name,
                    "audio_file": call.audio_file,
                    "agent_id": meta["agent_id"],
                    "agent_name": agent["name"],
                    "client": agent["client"],
                    "team": agent["team"],
                    "started_at": meta["started_at"],
                    "direction": meta.get("direction", "inbound"),
                    "queue": meta["queue"],
                    "ring_seconds": meta["ring_seconds"],
                    "wait_seconds": meta["wait_seconds"],
                    "handle_seconds": round(truth["duration"]),
                    "customer_feedback": "" if feedback is None else feedback,
                    "customer_consent": _flag(meta.get("customer_consent", True)),
                    "agent_consent": _flag(meta.get("agent_consent", True)),
                    "language": call.language,
                    "agent_channel": call.agent_channel,
                }
            )


def _flag(value: bool) -> str:
    return "true" if value else "false"


# --------------------------------------------------------------------------- main


def synthesize(script_paths: list[Path]) -> None:
    with tempfile.TemporaryDirectory(prefix="callqa-synth-") as tmp:
        for script_path in script_paths:
            output_dir, calls, manifest = load_call_set(script_path)
            output_dir.mkdir(parents=True, exist_ok=True)
            truths = []
            for call in calls:
                truth = render_call(call, output_dir, Path(tmp))
                truths.append(truth)
                size_kb = (output_dir / call.audio_file).stat().st_size / 1024
                where = f"{output_dir.name}/{call.audio_file}"
                print(f"{where}: {truth['duration']:.1f} s, {size_kb:.0f} KB")
            if manifest is not None:
                write_manifest(output_dir, manifest, calls, truths)


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or sorted(SCRIPTS_DIR.glob("*.yaml"))
    try:
        synthesize(paths)
    except (ScriptError, FileNotFoundError, subprocess.CalledProcessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
