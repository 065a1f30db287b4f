"""The `counts` flag follows the rule on every write: one evaluation counts per call and scorecard.

The latest human evaluation if a reviewer looked at the call, else the latest automatic one
by the scorecard's active version, else the latest automatic one by an older version; the
migrations backfill the flag by that rule.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa.storage.db import session_scope
from qa.storage.evaluations import save_evaluation
from qa.storage.migrate import alembic_config, upgrade_to_head
from qa.storage.models import (
    Call,
    Client,
    CriterionVerdictRecord,
    EvaluationKind,
    ScorecardVersion,
)
from qa.storage.models import Evaluation as EvaluationRow
from qa.storage.scorecard_store import activate_version, deactivate_scorecard
from scorecards.results import CriterionVerdict, Evaluation


def _evaluation(score: float) -> Evaluation:
    return Evaluation(
        scorecard="politeness",
        scorecard_name="Politeness",
        scorecard_version="v",
        score=score,
        passed=score >= 80,
        critical_failed=False,
        verdicts=(
            CriterionVerdict("greeting", "Greeting", "opening", "pass", 1, 1),
            CriterionVerdict("empathy", "Empathy", "tone", "fail" if score < 80 else "pass", 0, 1),
        ),
    )


def _version(session: Session, version: str) -> int:
    row = ScorecardVersion(
        scorecard_key="politeness", version=version, name="Politeness", yaml_text="", active=False
    )
    session.add(row)
    session.flush()
    return row.id


def _call(session: Session, external_id: str) -> int:
    client = session.scalar(select(Client)) or Client(name="Acme")
    call = Call(
        external_id=external_id,
        client=client,
        started_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
        customer_consent=True,
        agent_consent=True,
    )
    session.add(call)
    session.flush()
    return call.id


def _counted_scores(session: Session, call_id: int) -> list[float]:
    return list(
        session.scalars(
            select(EvaluationRow.score).where(
                EvaluationRow.call_id == call_id, EvaluationRow.counts.is_(True)
            )
        )
    )


def _verdicts_in_step(session: Session) -> bool:
    """Every verdict carries its evaluation's flag and version (failure rates read them alone)."""
    rows = session.execute(
        select(
            CriterionVerdictRecord.counts,
            EvaluationRow.counts,
            CriterionVerdictRecord.scorecard_version_id,
            EvaluationRow.scorecard_version_id,
        ).join(EvaluationRow, EvaluationRow.id == CriterionVerdictRecord.evaluation_id)
    ).all()
    return bool(rows) and all(a == b and c == d for a, b, c, d in rows)


def test_the_flag_moves_with_reviews_activations_and_deactivation(database_url: str) -> None:
    with session_scope(database_url) as session:
        v1, v2 = _version(session, "v1"), _version(session, "v2")
        activate_version(session, v1)
        call, other = _call(session, "c-1"), _call(session, "c-2")
        save_evaluation(session, call, v1, _evaluation(70))
        save_evaluation(session, other, v1, _evaluation(90))
        assert _counted_scores(session, call) == [70]

        save_evaluation(session, call, v2, _evaluation(75))  # a rescore with an inactive version
        assert _counted_scores(session, call) == [70]

        activate_version(session, v2)
        assert _counted_scores(session, call) == [75]
        assert _verdicts_in_step(session)
        # Never rescored with v2: its v1 evaluation still counts (history is not hidden).
        assert _counted_scores(session, other) == [90]

        save_evaluation(session, call, v1, _evaluation(85), kind=EvaluationKind.human)
        assert _counted_scores(session, call) == [85]  # a person's verdict, whatever version

        save_evaluation(session, call, v2, _evaluation(95), kind=EvaluationKind.human)
        assert _counted_scores(session, call) == [95]  # the latest review

        deactivate_scorecard(session, "politeness")
        assert _counted_scores(session, call) == [95]
        assert _counted_scores(session, other) == []

        activate_version(session, v1)
        assert _counted_scores(session, call) == [95]
        assert _counted_scores(session, other) == [90]
        assert _verdicts_in_step(session)


def test_the_migration_backfills_the_flag_by_the_same_rule(database_url: str) -> None:
    with session_scope(database_url) as session:
        v1, v2 = _version(session, "v1"), _version(session, "v2")
        activate_version(session, v2)
        automatic, reviewed = _call(session, "c-1"), _call(session, "c-2")
        save_evaluation(session, automatic, v1, _evaluation(60))
        save_evaluation(session, automatic, v2, _evaluation(70))
        save_evaluation(session, reviewed, v2, _evaluation(80))
        save_evaluation(session, reviewed, v1, _evaluation(90), kind=EvaluationKind.human)
        not_rescored = _call(session, "c-3")
        save_evaluation(session, not_rescored, v1, _evaluation(50))
    command.downgrade(alembic_config(database_url), "0001")
    upgrade_to_head(database_url)
    with session_scope(database_url) as session:
        assert _counted_scores(session, automatic) == [70]
        assert _counted_scores(session, reviewed) == [90]
        assert _counted_scores(session, not_rescored) == [50]
        assert _verdicts_in_step(session)


def _counted_row(session: Session, call_id: int, version_id: int, kind: EvaluationKind) -> None:
    """A counted evaluation written past `recount`, as a racing writer's would land."""
    session.add(
        EvaluationRow(
            call_id=call_id,
            scorecard_version_id=version_id,
            scorecard_key="politeness",
            kind=kind,
            score=50,
            passed=False,
            critical_failed=False,
            counts=True,
        )
    )
    session.flush()


@pytest.mark.parametrize(
    ("second_version", "second_kind"),
    [
        ("v1", EvaluationKind.automatic),
        ("v2", EvaluationKind.automatic),
        ("v1", EvaluationKind.human),
        ("v2", EvaluationKind.human),
    ],
)
def test_the_database_refuses_a_second_counted_evaluation_per_call_and_scorecard(
    database_url: str, second_version: str, second_kind: EvaluationKind
) -> None:
    with session_scope(database_url) as session:
        versions = {"v1": _version(session, "v1"), "v2": _version(session, "v2")}
        activate_version(session, versions["v1"])
        call = _call(session, "c-1")
        save_evaluation(session, call, versions["v1"], _evaluation(70))
        with pytest.raises(IntegrityError), session.begin_nested():
            _counted_row(session, call, versions[second_version], second_kind)
        # A rescore under a newly active version moves the flag in its own transaction.
        activate_version(session, versions["v2"])
        save_evaluation(session, call, versions["v2"], _evaluation(90))
        assert _counted_scores(session, call) == [90]
    with session_scope(database_url) as session:
        assert _counted_scores(session, call) == [90]
        keys = set(session.scalars(select(EvaluationRow.scorecard_key)))
        assert keys == {"politeness"}
