"""callqa against plain faster-whisper on Persian and Russian, by character error rate.

    nice -n 10 .venv/bin/python bench/language_parity.py

Plain is `WhisperModel.transcribe(audio, language=..., beam_size=5, vad_filter=True)` with the
same model (bundled base), measured in the same run. Synthetic calls (`data/test_calls/fa_stereo`,
`ru_stereo`: espeak-ng, with their scripts as references) are scored per party, plain reading
each channel on its own; callqa runs with its defaults (temperature fallback on) and detects the
language itself. The real Russian telephone clips (`../shared/data/dev/ru-telephony/`) have no
references: the figure is callqa's CER measured against plain's text (agreement, 0 = identical).
Prints each figure and the ratio callqa/plain where there is a reference (<= 1 means callqa is
at least as accurate).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from faster_whisper import decode_audio  # noqa: E402

from tests.transcription.wording import character_error_rate  # noqa: E402
from transcription import TranscriptionOptions, transcribe_call  # noqa: E402
from transcription.engine import load_model  # noqa: E402

TEST_CALLS = REPO_ROOT / "data" / "test_calls"
RU_TELEPHONY = REPO_ROOT.parent / "shared" / "data" / "dev" / "ru-telephony"


def plain(audio: object, language: str, options: TranscriptionOptions) -> str:
    segments, _ = load_model(options).whisper.transcribe(
        audio, language=language, beam_size=5, vad_filter=True
    )
    return " ".join(segment.text for segment in segments)


def synthetic(name: str, options: TranscriptionOptions) -> None:
    truth = json.loads((TEST_CALLS / f"{name}.json").read_text(encoding="utf-8"))
    audio = TEST_CALLS / truth["audio_file"]
    transcript = transcribe_call(audio, options)
    channels = zip(("agent", "customer"), decode_audio(str(audio), split_stereo=True), strict=True)
    ours = theirs = 0.0
    for speaker, samples in channels:
        said = " ".join(t["text"] for t in truth["turns"] if t["speaker"] == speaker)
        heard = " ".join(u.text for u in transcript.utterances_of(speaker))
        ours += character_error_rate(said, heard) / 2
        theirs += character_error_rate(said, plain(samples, truth["language"], options)) / 2
    print(
        f"  {name:28s} callqa {ours:5.3f}  plain {theirs:5.3f}  ratio {ours / theirs:4.2f}"
        f"  (detected {transcript.language})"
    )


def real_russian(path: Path, options: TranscriptionOptions) -> None:
    transcript = transcribe_call(path, options)
    ours = " ".join(u.text for u in transcript.utterances)
    agreement = character_error_rate(plain(str(path), "ru", options), ours)
    print(
        f"  {path.name:28s} callqa vs plain CER {agreement:5.3f}  (detected {transcript.language})"
    )


def main() -> None:
    options = TranscriptionOptions()
    print("character error rate, bundled base; synthetic calls against their scripts")
    for name in ("fa_stereo", "ru_stereo"):
        synthetic(name, options)
    clips = sorted(RU_TELEPHONY.glob("*.flac"))
    print("real Russian telephone speech, no references: disagreement with plain")
    if not clips:
        print(f"  skipped: no clips in {RU_TELEPHONY}")
    for clip in clips:
        real_russian(clip, options)


if __name__ == "__main__":
    main()
