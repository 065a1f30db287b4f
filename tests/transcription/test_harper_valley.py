"""Accuracy on real two-channel bank calls: word error rate per channel against human references.

The recordings (Harper Valley Bank corpus, CC BY 4.0) are real people on 8 kHz telephone lines;
they live outside the repository, and the test skips when they are absent.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from tests.transcription.wording import word_error_rate, words_of
from transcription import CallTranscript, TranscriptionOptions, transcribe_call
from transcription.transcript import Speaker

# The multilingual base model on 8 kHz telephone speech: about 0.2-0.3 measured; a regression
# (wrong channel, lost chunks, broken word mapping) pushes a channel well past this.
MAX_CHANNEL_WER = 0.4
ROLES: dict[str, Speaker] = {"agent": "agent", "caller": "customer"}


@pytest.fixture(scope="module")
def harper_valley_calls(
    harper_valley_dir: Path, transcription_options: TranscriptionOptions
) -> dict[str, CallTranscript]:
    return {
        path.stem: transcribe_call(path, transcription_options)
        for path in sorted((harper_valley_dir / "stereo").glob("*.wav"))
    }


def _reference_words(harper_valley_dir: Path) -> dict[tuple[str, Speaker], list[str]]:
    segments: dict[tuple[str, Speaker], list[tuple[int, str]]] = defaultdict(list)
    with (harper_valley_dir / "references.tsv").open(encoding="utf-8", newline="") as table:
        for row in csv.DictReader(table, delimiter="\t"):
            speaker = ROLES[row["speaker_role"]]
            segments[row["sid"], speaker].append((int(row["start_ms"]), row["human_transcript"]))
    return {
        key: [w for _, text in sorted(rows) for w in words_of(text)]
        for key, rows in segments.items()
    }


@pytest.mark.parametrize("speaker", ["agent", "customer"])
def test_word_error_rate_per_channel(
    harper_valley_dir: Path, harper_valley_calls: dict[str, CallTranscript], speaker: Speaker
) -> None:
    references = _reference_words(harper_valley_dir)
    errors = words = 0
    for sid, transcript in harper_valley_calls.items():
        said = references[sid, speaker]
        heard = [w for u in transcript.utterances_of(speaker) for w in words_of(u.text)]
        errors += round(word_error_rate(said, heard) * len(said))
        words += len(said)
    assert words > 100
    assert errors / words <= MAX_CHANNEL_WER


def test_real_calls_are_stereo_english_with_both_parties(
    harper_valley_calls: dict[str, CallTranscript],
) -> None:
    for transcript in harper_valley_calls.values():
        assert transcript.channel_layout == "stereo"
        assert transcript.language == "en"
        assert transcript.utterances_of("agent") and transcript.utterances_of("customer")
