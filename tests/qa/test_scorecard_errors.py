"""A scorecard's problems as the CLI and the pages word them: in the reader's language, each at
its field; in English exactly as the error's own text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from babel.support import Translations

from qa.i18n import language
from qa.scorecard_errors import scorecard_error_text
from scorecards import ScorecardFileError, load_scorecard_text
from scorecards.loader import LIBRARY_DIR


def _error(yaml_text: str) -> ScorecardFileError:
    with pytest.raises(ScorecardFileError) as raised:
        load_scorecard_text(yaml_text, source="edited.yaml")
    return raised.value


def _compliance() -> str:
    return (LIBRARY_DIR / "compliance.yaml").read_text(encoding="utf-8")


def test_a_scorecard_error_reads_in_russian(
    russian_catalog: Callable[[Translations], None],
) -> None:
    russian_catalog({
        "{where}: {problem}": "{where} — {problem}",
        "Input should be greater than {gt}": "нужно больше {gt}",
        "must be a YAML mapping (key: value) at the top": "нужен словарь YAML",
    })  # fmt: skip
    points = _error(_compliance().replace("points: ", "points: -", 1))
    not_mapping = _error("- a list\n")
    with language("ru"):
        assert scorecard_error_text(not_mapping) == "edited.yaml — нужен словарь YAML"
        text = scorecard_error_text(points)
    assert text.startswith("edited.yaml — sections[0] (availability).criteria[0]")
    assert text.endswith(".points — нужно больше 0")


def test_in_english_it_reads_as_the_error_itself() -> None:
    error = _error(_compliance().replace("points: ", "points: -", 1))
    assert scorecard_error_text(error) == str(error)
    assert str(error).endswith(".points: Input should be greater than 0")
