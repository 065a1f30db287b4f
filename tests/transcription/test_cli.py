"""`python -m qa transcribe`, run as a user runs it: a separate process, JSON on stdout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.transcription.conftest import TEST_CALLS

REPO_ROOT = Path(__file__).resolve().parents[2]


def _qa_transcribe(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa", "transcribe", *arguments],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_prints_the_transcript_as_json() -> None:
    finished = _qa_transcribe(
        str(TEST_CALLS / "en_telephony_8k.wav"), "--language", "en", "--agent-channel", "right"
    )
    assert finished.returncode == 0, finished.stderr
    data = json.loads(finished.stdout)
    assert (data["language"], data["language_probability"]) == ("en", 1.0)
    assert data["channel_layout"] == "stereo"
    assert data["duration"] > 20
    first = data["utterances"][0]
    assert first["speaker"] == "customer"  # the agent speaks first, on the left
    assert "speaking" in first["text"].lower()
    assert {"start", "end", "word", "probability"} <= set(first["words"][0])
    assert {"speakers", "silences", "hold_periods", "overtalk_periods", "interruptions"} <= set(
        data["metrics"]
    )


def test_corrupt_file_exits_non_zero_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    whole = (TEST_CALLS / "en_mono.wav").read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole[: len(whole) // 3])
    finished = _qa_transcribe(str(cut))
    assert finished.returncode == 1
    assert finished.stdout == ""
    assert finished.stderr.startswith(f"error: {cut}: the file is truncated")
    assert "Traceback" not in finished.stderr


def test_language_outside_the_configured_set_is_refused() -> None:
    finished = _qa_transcribe(str(TEST_CALLS / "en_mono.wav"), "--language", "de")
    assert finished.returncode == 2
    assert "not one of the configured languages" in finished.stderr
    assert "Traceback" not in finished.stderr


def test_commands_that_do_not_transcribe_start_without_the_speech_libraries() -> None:
    """faster-whisper, CTranslate2 and PyAV load on first transcription, not at `qa` start-up."""
    probe = (
        "import sys, qa.cli, transcription; "
        "from transcription import CallTranscript, TranscriptionOptions; "
        "print(sorted({'faster_whisper', 'ctranslate2', 'av'} & set(sys.modules)))"
    )
    finished = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert finished.stdout.strip() == "[]"
