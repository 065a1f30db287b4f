"""A scorecard file cannot exhaust the process: no alias expansion, and a size limit."""

from __future__ import annotations

import time

import pytest

from scorecards.errors import ScorecardFileError
from scorecards.loader import MAX_YAML_BYTES, load_scorecard_text

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]"
        for i in range(8)
    ]
)


def test_a_yaml_bomb_is_refused_at_its_first_alias_without_expanding_it() -> None:
    started = time.monotonic()
    with pytest.raises(ScorecardFileError, match=r"line 2, column \d+: YAML aliases"):
        load_scorecard_text(BILLION_LAUGHS, "bomb.yaml")
    assert time.monotonic() - started < 1.0


def test_a_scorecard_over_the_size_limit_is_refused_before_parsing() -> None:
    huge = "id: huge\nname: Huge\nphrases:\n" + "  - please hold the line\n" * (
        MAX_YAML_BYTES // 20
    )
    started = time.monotonic()
    with pytest.raises(ScorecardFileError, match="over the limit of 1 MB"):
        load_scorecard_text(huge, "huge.yaml")
    assert time.monotonic() - started < 1.0
