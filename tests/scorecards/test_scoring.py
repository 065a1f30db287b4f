"""Points, weighted section and overall percentages, pass marks and critical fails."""

from __future__ import annotations

from pathlib import Path

import yaml

from scorecards import load_scorecard_text, score_call
from tests.scorecards.calls import call
from tests.scorecards.cards import TIP

CALL = call(
    "en",
    [
        ("agent", 0.0, 3.0, "good morning, this is Ivy"),
        ("customer", 3.5, 6.0, "hi, i'd like to check my balance"),
        ("agent", 6.5, 9.0, "sure, one moment"),
    ],
)


def said(phrase: str) -> dict[str, object]:
    return {"type": "phrase_present", "params": {"phrases": {"en": [phrase]}}}


def never_said(phrase: str) -> dict[str, object]:
    return {"type": "phrase_absent", "params": {"phrases": {"en": [phrase]}}}


def criterion(
    criterion_id: str, check: dict[str, object], points: float = 1, **extra: object
) -> dict[str, object]:
    return {
        "id": criterion_id,
        "name": criterion_id,
        "speaker": "agent",
        "points": points,
        "check": check,
        "coaching_tip": TIP,
        **extra,
    }


class _NoAliases(yaml.SafeDumper):
    """Shared dicts (the tip) written out each time: scorecard YAML refuses aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def card(sections: list[dict[str, object]], pass_mark: float = 70) -> str:
    return yaml.dump(
        {"id": "weights", "name": "Weights", "pass_mark": pass_mark, "sections": sections},
        Dumper=_NoAliases,
    )


TWO_SECTIONS = card(
    [
        {
            "id": "heavy",
            "name": "Heavy",
            "weight": 3,
            "criteria": [
                criterion("greets", said("good morning"), points=2),
                criterion("asks_name", said("may i have your name")),
            ],
        },
        {
            "id": "light",
            "name": "Light",
            "weight": 1,
            "criteria": [
                criterion("polite", never_said("shut up")),
                # Never applicable here: the customer did not ask for a manager.
                criterion(
                    "transfers_on_request",
                    said("transferring you"),
                    not_applicable={
                        "type": "phrase_absent",
                        "params": {"phrases": {"en": ["manager"]}, "speaker": "customer"},
                    },
                ),
            ],
        },
    ]
)


def test_sections_score_applicable_points_and_the_overall_score_weights_them() -> None:
    (evaluation,) = score_call(CALL, None, [load_scorecard_text(TWO_SECTIONS)])

    points = {v.criterion: (v.outcome, v.points, v.max_points) for v in evaluation.verdicts}
    assert points == {
        "greets": ("pass", 2.0, 2.0),
        "asks_name": ("fail", 0.0, 1.0),
        "polite": ("pass", 1.0, 1.0),
        "transfers_on_request": ("na", 0.0, 1.0),
    }
    sections = {s.section: s.score for s in evaluation.sections}
    assert sections == {"heavy": 66.67, "light": 100.0}
    assert evaluation.score == round((3 * 200 / 3 + 1 * 100) / 4, 2) == 75.0
    assert evaluation.passed and not evaluation.critical_failed


def test_a_section_with_nothing_applicable_is_left_out_of_the_overall_score() -> None:
    text = card(
        [
            {
                "id": "scored",
                "name": "Scored",
                "weight": 1,
                "criteria": [criterion("greets", said("good morning"))],
            },
            {
                "id": "idle",
                "name": "Idle",
                "weight": 5,
                "criteria": [
                    criterion(
                        "rings",
                        {"type": "metadata_threshold", "params": {"field": "rings", "at_most": 3}},
                    )
                ],
            },
        ]
    )
    (evaluation,) = score_call(CALL, None, [load_scorecard_text(text)])
    assert {s.section: s.score for s in evaluation.sections} == {"scored": 100.0, "idle": None}
    assert evaluation.score == 100.0


def test_below_the_pass_mark_fails() -> None:
    (evaluation,) = score_call(
        CALL, None, [load_scorecard_text(TWO_SECTIONS.replace("pass_mark: 70", "pass_mark: 80"))]
    )
    assert evaluation.score == 75.0
    assert not evaluation.passed and not evaluation.critical_failed


def test_a_critical_fail_fails_the_evaluation_whatever_the_percentage() -> None:
    text = card(
        [
            {
                "id": "all",
                "name": "All",
                "criteria": [
                    criterion("greets", said("good morning"), points=10),
                    criterion("says_one_moment", said("one moment"), points=10),
                    criterion("no_slang", never_said("one moment"), points=1, critical=True),
                ],
            }
        ],
        pass_mark=50,
    )
    (evaluation,) = score_call(CALL, None, [load_scorecard_text(text)])
    assert evaluation.score == round(100 * 20 / 21, 2)
    assert evaluation.critical_failed
    assert not evaluation.passed
    critical = evaluation.verdict("no_slang")
    assert critical.critical and critical.outcome == "fail"
    assert critical.evidence[0].utterance_index == 2


def test_every_evaluation_records_the_scorecard_version() -> None:
    scorecard = load_scorecard_text(TWO_SECTIONS)
    (evaluation,) = score_call(CALL, None, [scorecard])
    assert evaluation.scorecard == "weights"
    assert evaluation.scorecard_version == scorecard.version
    assert len(evaluation.scorecard_version) == 64


def test_an_evaluation_survives_a_round_trip_through_a_dict() -> None:
    (evaluation,) = score_call(CALL, None, [load_scorecard_text(TWO_SECTIONS)])
    assert type(evaluation).from_dict(evaluation.to_dict()) == evaluation


def test_scorecards_share_a_check_only_when_their_phrase_lists_agree(
    tmp_path: Path,
) -> None:
    greets = yaml.safe_dump(
        {
            "id": "greets",
            "name": "Greets",
            "sections": [
                {
                    "id": "s",
                    "name": "S",
                    "criteria": [
                        criterion(
                            "greeting",
                            {"type": "phrase_present", "params": {"lists": ["greeting"]}},
                        )
                    ],
                }
            ],
        }
    )
    (tmp_path / "phrases").mkdir()
    (tmp_path / "phrases" / "greeting.yaml").write_text("en: [howdy partner]\n", encoding="utf-8")
    shipped_lists = load_scorecard_text(greets)
    own_lists = load_scorecard_text(greets, phrases_dir=tmp_path / "phrases")

    outcomes = [
        e.verdict("greeting").outcome for e in score_call(CALL, None, [shipped_lists, own_lists])
    ]
    assert outcomes == ["pass", "fail"]


THIRDS = card(
    [
        {
            "id": "thirds",
            "name": "Thirds",
            "weight": 1,
            "criteria": [
                criterion("greets", said("good morning")),
                criterion("asks_name", said("may i have your name")),
                criterion("says_bye", said("goodbye")),
            ],
        }
    ]
)


def test_a_reviewers_override_is_scored_by_the_same_rule_as_the_scorer() -> None:
    from scorecards.engine import rescored

    scorecard = load_scorecard_text(THIRDS, "thirds")
    (automatic,) = score_call(CALL, None, [scorecard])
    assert automatic.score == 33.33  # one of three points, rounded as reports show it
    unchanged = rescored(automatic, {}, scorecard.pass_mark)
    assert unchanged == automatic
    both = rescored(automatic, {"asks_name": "pass"}, scorecard.pass_mark)
    assert (both.score, both.sections[0].score, both.passed) == (66.67, 66.67, False)
    assert both.verdict("asks_name").points == 1.0
    left_out = rescored(automatic, {"asks_name": "na", "says_bye": "na"}, scorecard.pass_mark)
    assert (left_out.score, left_out.passed) == (100.0, True)
