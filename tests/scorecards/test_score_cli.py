"""`python -m qa score TRANSCRIPT.json [--scorecard ID ...]`, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.scorecards.calls import call
from tests.scorecards.test_loader import VALID

REPO_ROOT = Path(__file__).resolve().parents[2]
TRANSCRIPT = call(
    "en",
    [
        ("agent", 0.5, 4.0, "thanks for calling, my name is Joe, how can i help you"),
        ("customer", 4.5, 8.0, "my card was stolen"),
        ("agent", 8.5, 12.0, "i'm sorry to hear that, the card has been blocked"),
        ("customer", 12.5, 14.0, "thank you so much"),
        ("agent", 14.5, 17.0, "thank you for calling, goodbye"),
    ],
)


def run_score(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa", "score", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def transcript_file(tmp_path: Path) -> Path:
    path = tmp_path / "call.json"
    path.write_text(TRANSCRIPT.to_json(), encoding="utf-8")
    return path


def test_prints_every_shipped_scorecard_as_json(transcript_file: Path) -> None:
    done = run_score(str(transcript_file))
    assert done.returncode == 0, done.stderr
    evaluations: list[dict[str, Any]] = json.loads(done.stdout)

    assert [e["scorecard"] for e in evaluations] == [
        "script",
        "politeness",
        "resolution",
        "compliance",
    ]
    for evaluation in evaluations:
        assert {
            "scorecard",
            "scorecard_version",
            "score",
            "passed",
            "critical_failed",
            "verdicts",
        } <= set(evaluation)
        assert len(evaluation["scorecard_version"]) == 64
        for verdict in evaluation["verdicts"]:
            assert {
                "criterion",
                "outcome",
                "points",
                "max_points",
                "evidence",
                "explanation",
            } <= set(verdict)
            assert verdict["outcome"] in ("pass", "fail", "na")
    script = evaluations[0]
    greeting = next(v for v in script["verdicts"] if v["criterion"] == "greeting")
    assert greeting["outcome"] == "pass"
    # Phrase evidence names what matched; a learned check's evidence carries a score instead.
    matched = {"phrase": None, "similarity": None, "score": None}
    assert greeting["evidence"][0] | matched == {
        "utterance_index": 0,
        "speaker": "agent",
        "start": 0.5,
        "end": 4.0,
        "text": "thanks for calling, my name is Joe, how can i help you",
        "phrase": None,
        "similarity": None,
        "score": None,
    }


def test_scores_only_the_scorecards_asked_for_in_that_order(transcript_file: Path) -> None:
    done = run_score(str(transcript_file), "--scorecard", "compliance", "--scorecard", "politeness")
    assert done.returncode == 0, done.stderr
    assert [e["scorecard"] for e in json.loads(done.stdout)] == ["compliance", "politeness"]


def test_call_metadata_comes_from_a_file(transcript_file: Path, tmp_path: Path) -> None:
    metadata = tmp_path / "meta.json"
    metadata.write_text(json.dumps({"ring_seconds": 25}), encoding="utf-8")
    done = run_score(str(transcript_file), "--scorecard", "compliance", "--metadata", str(metadata))
    (compliance,) = json.loads(done.stdout)
    rings = compliance["verdicts"][0]
    assert (rings["criterion"], rings["outcome"]) == ("answered_within_three_rings", "fail")


def test_scorecards_from_the_configured_folder_are_offered_too(
    transcript_file: Path, tmp_path: Path
) -> None:
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "tiny.yaml").write_text(VALID, encoding="utf-8")
    done = run_score(
        str(transcript_file),
        "--scorecard",
        "tiny",
        env={"CALLQA_SCORECARDS_DIR": str(tmp_path / "cards")},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["scorecard"] == "tiny"


@pytest.mark.parametrize(
    ("make_input", "args", "message"),
    [
        (lambda d: d / "missing.json", [], "cannot read the transcript"),
        (lambda d: _write(d / "x.json", "{not json"), [], "not valid JSON"),
        (
            lambda d: _write(d / "x.json", '{"language": "en"}'),
            [],
            "not a transcript: missing field",
        ),
        (
            lambda d: _write(d / "x.json", TRANSCRIPT.to_json()),
            ["--scorecard", "politenes"],
            "unknown scorecard 'politenes'",
        ),
    ],
)
def test_bad_input_exits_non_zero_with_a_message(
    tmp_path: Path, make_input: Any, args: list[str], message: str
) -> None:
    path = make_input(tmp_path)
    done = run_score(str(path), *args)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_broken_configured_scorecard_names_file_and_field(
    transcript_file: Path, tmp_path: Path
) -> None:
    (tmp_path / "cards").mkdir()
    broken = tmp_path / "cards" / "tiny.yaml"
    broken.write_text(VALID.replace("points: 2", "points: lots"), encoding="utf-8")
    done = run_score(str(transcript_file), env={"CALLQA_SCORECARDS_DIR": str(tmp_path / "cards")})
    assert done.returncode != 0
    assert str(broken) in done.stderr
    assert "criteria[1] (resolved).points" in done.stderr
    assert "Traceback" not in done.stderr


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_configured_scorecard_replaces_the_shipped_one_with_its_id(
    transcript_file: Path, tmp_path: Path
) -> None:
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "script.yaml").write_text(
        VALID.replace("id: tiny", "id: script"), encoding="utf-8"
    )
    done = run_score(str(transcript_file), env={"CALLQA_SCORECARDS_DIR": str(tmp_path / "cards")})
    assert done.returncode == 0, done.stderr
    evaluations = json.loads(done.stdout)
    assert [e["scorecard"] for e in evaluations] == [
        "script",
        "politeness",
        "resolution",
        "compliance",
    ]
    assert [v["criterion"] for v in evaluations[0]["verdicts"]] == ["greeting", "resolved"]
