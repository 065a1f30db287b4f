"""AI-vs-human agreement: automatic verdicts against reviewers' final verdicts, per criterion.

Seed (tests/ui/seed.py): eight calls from 2 to 8 Nov 2026, automatic greeting failed on sara-1,
ivan-1 and gina-1 (n % 3 == 0). Every call is reviewed here; the reviewer passes the greeting
of sara-1 and ivan-1, so greeting pairs are (fail, pass) x2, (fail, fail) x1, (pass, pass) x5.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.queries.access import Viewer
from qa.queries.ai_agreement import ai_human_agreement
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.storage.db import session_scope
from qa.storage.evaluations import load_evaluation, save_evaluation
from qa.storage.models import Evaluation as EvaluationRow
from qa.storage.models import EvaluationKind, Role, User
from scorecards.results import Evaluation
from tests.qa.conftest import run_cli
from tests.ui.seed import Seeded

OPERATOR = Viewer(user_id=0, username="test", role=Role.admin)
GREETING_OVERRULED = ("sara-1", "ivan-1")


def review(data: Seeded, external: str, greeting: str | None = None) -> None:
    """A human evaluation of the call's automatic one, with the greeting set as given."""
    with session_scope(data.url) as session:
        automatic = session.get_one(EvaluationRow, data.evaluations[external])
        reviewer_id = session.scalars(select(User.id).where(User.username == "reviewer")).one()
        evaluation: Evaluation = load_evaluation(automatic)
        verdicts = tuple(
            replace(v, outcome=greeting) if v.criterion == "greeting" and greeting else v
            for v in evaluation.verdicts
        )
        save_evaluation(
            session, automatic.call_id, automatic.scorecard_version_id,
            replace(evaluation, verdicts=verdicts), kind=EvaluationKind.human,
            reviewer_id=reviewer_id, reviews_evaluation_id=automatic.id,
        )  # fmt: skip


@pytest.fixture
def data(seeded_database: Seeded) -> Seeded:
    seeded = seeded_database
    review(seeded, "sara-2", greeting="fail")  # an earlier review, superseded below
    for external in seeded.calls:
        review(seeded, external, "pass" if external in GREETING_OVERRULED else None)
    return seeded


def test_each_criterion_counts_automatic_against_final_human_verdicts(data: Seeded) -> None:
    with session_scope(data.url) as session:
        criteria = {
            c.criterion: c for c in ai_human_agreement(session, OPERATOR, EvaluationFilter())
        }
    greeting = criteria["greeting"]
    assert greeting.pairs == {("fail", "pass"): 2, ("fail", "fail"): 1, ("pass", "pass"): 5}
    assert greeting.figures.n == 8
    assert greeting.figures.agreement == pytest.approx(6 / 8)
    # Automatic fail 3/8, human fail 1/8: pe = 3/64 + 35/64, kappa = (48 - 38) / (64 - 38).
    assert greeting.figures.kappa == pytest.approx(10 / 26)
    # AC1 over pass/fail/n-a: shares 1/4 fail, 3/4 pass, pe = 3/16, AC1 = (12 - 3) / 13.
    assert greeting.figures.ac1 == pytest.approx(9 / 13)
    assert criteria["courtesy_words"].figures.agreement == 1.0
    assert greeting.flagged(threshold=0.7, min_reviews=5)
    assert not greeting.flagged(threshold=0.7, min_reviews=9)
    assert not criteria["courtesy_words"].flagged(threshold=0.7, min_reviews=5)
    assert {b.label for b in greeting.by_language} == {"fa", "ru", "en"}
    persian = next(b for b in greeting.by_language if b.label == "fa")
    assert persian.pairs == {("fail", "pass"): 1, ("pass", "pass"): 2}
    assert [b.label for b in greeting.by_version] == ["v1"]
    assert sum(b.figures.n for b in greeting.by_week) == 8
    assert [b.label for b in greeting.by_week] == ["2026-11-02"]  # a Monday


def test_unreviewed_calls_and_calls_outside_the_dates_are_left_out(data: Seeded) -> None:
    view = EvaluationFilter(start=date(2026, 11, 2), end=date(2026, 11, 3))
    with session_scope(data.url) as session:
        greeting = next(
            c for c in ai_human_agreement(session, OPERATOR, view) if c.criterion == "greeting"
        )
    # Only the first call of each agent (2 Nov): all three had the greeting failed automatically.
    assert greeting.pairs == {("fail", "pass"): 2, ("fail", "fail"): 1}


def test_the_agreement_command_prints_the_figures_as_json(data: Seeded, tmp_path: Path) -> None:
    result = run_cli(
        "agreement", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "json",
        home=tmp_path, database_url=data.url,
        extra_env={"CALLQA_AGREEMENT_THRESHOLD": "0.7"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    criteria = {c["criterion"]: c for c in json.loads(result.stdout)}
    greeting = criteria["greeting"]
    counts = {(p["automatic"], p["human"]): p["count"] for p in greeting["pairs"]}
    assert len(counts) == 9 and sum(counts.values()) == 8
    assert counts[("fail", "pass")] == 2 and counts[("pass", "fail")] == 0
    assert greeting["n"] == 8
    assert greeting["agreement"] == pytest.approx(0.75)
    assert greeting["kappa"] == pytest.approx(10 / 26)
    assert greeting["ac1"] == pytest.approx(9 / 13)
    assert greeting["flagged"] is True
    assert criteria["no_rude_language"]["flagged"] is False
    assert [w["week"] for w in greeting["by_week"]] == ["2026-11-02"]
    table = run_cli(
        "agreement", "--from", "2026-11-01", "--to", "2026-11-30",
        home=tmp_path, database_url=data.url,
    )  # fmt: skip
    assert table.returncode == 0, table.stderr
    assert "greeting" in table.stdout and "0.38" in table.stdout
