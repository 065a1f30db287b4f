"""Loading scorecard files: all or nothing, errors that name the file and the field, versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scorecards import ScorecardFileError, load_scorecard, load_scorecard_text, load_scorecards_dir
from scorecards.loader import LIBRARY_DIR

VALID = """\
id: tiny
name: Tiny
version: "1"
pass_mark: 80
sections:
  - id: opening
    name: Opening
    weight: 2
    criteria:
      - id: greeting
        name: Greeting
        speaker: agent
        points: 1
        check:
          type: phrase_present
          params: {lists: [greeting], window: {first: 20}}
        coaching_tip: {en: Greet the customer.}
      - id: resolved
        name: Resolved
        points: 2
        not_applicable:
          type: criterion
          params: {criterion: greeting}
        check:
          type: phrase_present
          params: {phrases: {en: [all done]}, threshold: 90}
        coaching_tip: {en: Resolve it., ru: Решите вопрос., fa: حل کنید.}
"""


def problems_of(yaml_text: str) -> list[tuple[str, str]]:
    with pytest.raises(ScorecardFileError) as raised:
        load_scorecard_text(yaml_text, source="cards/tiny.yaml")
    assert str(raised.value).startswith("cards/tiny.yaml: ")
    assert raised.value.source == "cards/tiny.yaml"
    return [(where, str(message)) for where, message in raised.value.problems]


def test_a_valid_file_loads_with_its_criteria_and_checks() -> None:
    scorecard = load_scorecard_text(VALID)
    assert scorecard.id == "tiny" and scorecard.version_label == "1"
    assert [(c.id, c.section, c.check.name) for c in scorecard.criteria()] == [
        ("greeting", "opening", "phrase_present"),
        ("resolved", "opening", "phrase_present"),
    ]


@pytest.mark.parametrize(
    ("broken", "field", "message"),
    [
        (
            VALID.replace("points: 2", "points: lots"),
            "sections[0] (opening).criteria[1] (resolved).points",
            "valid number",
        ),
        (
            VALID.replace("points: 2", "points: -1"),
            "sections[0] (opening).criteria[1] (resolved).points",
            "greater than 0",
        ),
        (
            VALID.replace("coaching_tip: {en: Greet the customer.}", ""),
            "sections[0] (opening).criteria[0] (greeting).coaching_tip",
            "Field required",
        ),
        (
            VALID.replace("speaker: agent", "speaker: supervisor"),
            "sections[0] (opening).criteria[0] (greeting).speaker",
            "'agent', 'customer' or 'any'",
        ),
        (
            VALID.replace("pass_mark: 80", "pass_mark: 180"),
            "pass_mark",
            "less than or equal to 100",
        ),
        (
            VALID.replace("id: resolved", "id: greeting"),
            "",
            "criterion ids must be unique; repeated: greeting",
        ),
        (
            VALID.replace("name: Tiny\n", "name: Tiny\ncolour: red\n"),
            "colour",
            "Extra inputs are not permitted",
        ),
        (
            VALID.replace(
                "type: phrase_present\n          params: {lists",
                "type: phrase_presnt\n          params: {lists",
            ),
            "sections[0] (opening).criteria[0] (greeting).check.type",
            "unknown check type 'phrase_presnt'",
        ),
        (
            VALID.replace("lists: [greeting]", "lists: [greetings]"),
            "sections[0] (opening).criteria[0] (greeting).check.params",
            "unknown phrase list 'greetings'",
        ),
        (
            VALID.replace("window: {first: 20}", "window: {first: 20, last: 30}"),
            "sections[0] (opening).criteria[0] (greeting).check.params.window",
            "exactly one of 'first' or 'last'",
        ),
        (
            VALID.replace("threshold: 90", "threshold: 30"),
            "sections[0] (opening).criteria[1] (resolved).check.params.threshold",
            "greater than or equal to 50",
        ),
        (
            VALID.replace("criterion: greeting", "criterion: greting"),
            "sections[0] (opening).criteria[1] (resolved).not_applicable.params.criterion",
            "no criterion 'greting'",
        ),
        (
            VALID.replace("params: {phrases", "parms: {phrases"),
            "sections[0] (opening).criteria[1] (resolved).check.parms",
            "Extra inputs are not permitted",
        ),
        (  # pydantic fills part of this message in itself: kept as it words it
            "id: politeness\nname: Politeness\nversion: '2'\npass_mark: 80\nsections: []\n",
            "sections",
            "List should have at least 1 item",
        ),
    ],
)
def test_a_broken_file_names_the_field_and_what_is_wrong(
    broken: str, field: str, message: str
) -> None:
    problems = problems_of(broken)
    assert any(path == field and message in text for path, text in problems), problems


def test_invalid_yaml_names_the_line() -> None:
    (problem,) = problems_of(VALID.replace("name: Opening", "name: [Opening"))
    assert problem[0].startswith("line ")
    assert "not valid YAML" in problem[1]
    (problem,) = problems_of("- just\n- a list\n")
    assert "mapping" in problem[1]


def test_a_folder_with_one_broken_file_loads_nothing(tmp_path: Path) -> None:
    (tmp_path / "a_good.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "b_bad.yaml").write_text(
        VALID.replace("id: tiny", "id: Tiny Card"), encoding="utf-8"
    )
    with pytest.raises(ScorecardFileError) as raised:
        load_scorecards_dir(tmp_path)
    assert raised.value.source == str(tmp_path / "b_bad.yaml")
    assert raised.value.problems[0][0] == "id"


def test_two_files_with_one_id_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "two.yaml").write_text(VALID, encoding="utf-8")
    with pytest.raises(ScorecardFileError, match="also the id of"):
        load_scorecards_dir(tmp_path)


def test_a_missing_file_is_a_scorecard_error(tmp_path: Path) -> None:
    with pytest.raises(ScorecardFileError, match="cannot read"):
        load_scorecard(tmp_path / "nope.yaml")


def test_the_version_ignores_formatting_and_follows_content() -> None:
    version = load_scorecard_text(VALID).version
    reformatted = "# a comment\n" + VALID.replace("name: Tiny", "name: 'Tiny'").replace(
        "pass_mark: 80", "pass_mark: 80.0"
    )
    assert load_scorecard_text(reformatted).version == version
    assert load_scorecard_text(VALID).version == version

    edits = [
        VALID.replace("threshold: 90", "threshold: 91"),
        VALID.replace("weight: 2", "weight: 3"),
        VALID.replace("Greet the customer.", "Greet the customer warmly."),
        VALID.replace("all done", "all sorted"),
    ]
    versions = {load_scorecard_text(text).version for text in edits}
    assert version not in versions and len(versions) == len(edits)


def test_editing_a_phrase_list_changes_the_version_of_scorecards_using_it(tmp_path: Path) -> None:
    shutil.copytree(LIBRARY_DIR / "phrases", tmp_path / "phrases")
    card = tmp_path / "tiny.yaml"
    card.write_text(VALID, encoding="utf-8")
    before = load_scorecard(card).version
    assert load_scorecard(card).version == before

    greeting = tmp_path / "phrases" / "greeting.yaml"
    greeting.write_text(greeting.read_text(encoding="utf-8") + "  - howdy\n", encoding="utf-8")
    assert load_scorecard(card).version != before

    # A list the scorecard does not use leaves its version alone.
    unused = tmp_path / "phrases" / "transfer.yaml"
    after = load_scorecard(card).version
    unused.write_text(
        unused.read_text(encoding="utf-8").replace("transfer you to", "hand you to"),
        encoding="utf-8",
    )
    assert load_scorecard(card).version == after


def test_a_broken_phrase_list_names_its_file(tmp_path: Path) -> None:
    (tmp_path / "phrases").mkdir()
    (tmp_path / "phrases" / "greeting.yaml").write_text("de: [hallo]\n", encoding="utf-8")
    card = tmp_path / "tiny.yaml"
    card.write_text(VALID, encoding="utf-8")
    with pytest.raises(ScorecardFileError) as raised:
        load_scorecard(card)
    assert raised.value.source.endswith("greeting.yaml")
    assert raised.value.problems[0][0] == "de"


def test_a_self_contained_scorecard_keeps_its_version_and_phrases_when_the_lists_change(
    tmp_path: Path,
) -> None:
    shutil.copytree(LIBRARY_DIR / "phrases", tmp_path / "phrases")
    card = tmp_path / "tiny.yaml"
    card.write_text(VALID, encoding="utf-8")
    original = load_scorecard(card)
    stored = original.self_contained_yaml()

    greeting = tmp_path / "phrases" / "greeting.yaml"
    greeting.write_text("en: [howdy]\n", encoding="utf-8")
    assert load_scorecard(card).version != original.version

    reloaded = load_scorecard_text(stored, phrases_dir=tmp_path / "phrases")
    assert reloaded.version == original.version
    assert reloaded.phrase_lists == original.phrase_lists
    assert "good morning" in reloaded.phrase_lists["greeting"]["en"]


def test_inline_phrase_lists_win_over_files_and_are_validated() -> None:
    inline = VALID + "phrase_lists:\n  greeting:\n    en: [howdy partner]\n"
    assert load_scorecard_text(inline).phrase_lists == {"greeting": {"en": ["howdy partner"]}}
    problems = problems_of(VALID + "phrase_lists:\n  greeting:\n    de: [hallo]\n")
    assert problems[0][0] == "phrase_lists.greeting.de"
