"""Dashboard aggregations against figures worked out by hand from the seeded rows.

The UI seed (tests/ui/seed.py) gives each agent calls scored 80, 100 and 60 (Gina: 80, 100).
On top of it this module adds what makes counting interesting: a reviewer's re-score of sara-1
(80 -> 100, a human evaluation counts instead of the automatic one), an evaluation by an
inactive scorecard version (history: not counted) and a fourth call of Sara's in the next week.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.errors import AccessDenied
from qa.queries import dashboard
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.storage.db import session_scope
from qa.storage.evaluations import save_evaluation
from qa.storage.migrate import upgrade_to_head
from qa.storage.models import Call, CallStatus, EvaluationKind, ScorecardVersion, User
from qa.storage.models import Evaluation as EvaluationRecord
from scorecards.results import CriterionVerdict, Evaluation
from tests.conftest import fresh_database
from tests.ui.seed import Seeded, seed
from tests.ui.seed import viewer_named as viewer

EVERYTHING = EvaluationFilter()


def _scored(greeting: bool, rude: bool) -> Evaluation:
    """An evaluation of the seed's politeness scorecard: 25 points over four criteria."""
    verdicts = (
        CriterionVerdict("greeting", "Greeting", "courtesy", "pass" if greeting else "fail",
                         5.0 if greeting else 0.0, 5.0),
        CriterionVerdict("courtesy_words", "Courtesy words", "courtesy", "pass", 5.0, 5.0),
        CriterionVerdict("no_rude_language", "No rude language", "courtesy",
                         "fail" if rude else "pass", 0.0 if rude else 10.0, 10.0, critical=True),
        CriterionVerdict("customer_sentiment", "Customer sentiment", "courtesy", "pass", 5.0, 5.0),
    )  # fmt: skip
    score = 100.0 * sum(v.points for v in verdicts) / sum(v.max_points for v in verdicts)
    return Evaluation(
        scorecard="politeness",
        scorecard_name="Politeness",
        scorecard_version="v1",
        score=score,
        passed=score >= 80 and not rude,
        critical_failed=rude,
        verdicts=verdicts,
    )


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def data(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    """Seeded once per database kind: every test here only reads."""
    folder = tmp_path_factory.mktemp(f"dashboard-{request.param}")
    with fresh_database(request.param, folder) as database_url:
        upgrade_to_head(database_url)
        yield _seeded(database_url, folder)


def _seeded(database_url: str, folder: Path) -> Seeded:
    seeded = seed(database_url, folder / "audio")
    with session_scope(database_url) as session:
        active = session.scalars(select(ScorecardVersion)).one()
        reviewer = session.scalar(select(User.id).where(User.username == "reviewer"))
        save_evaluation(
            session, seeded.calls["sara-1"], active.id, _scored(greeting=True, rude=False),
            kind=EvaluationKind.human, reviewer_id=reviewer,
            reviews_evaluation_id=seeded.evaluations["sara-1"],
        )  # fmt: skip
        old = replace_version(session, active)
        save_evaluation(session, seeded.calls["ivan-1"], old.id, _scored(False, rude=True))
        sara_1 = session.get(Call, seeded.calls["sara-1"])
        assert sara_1 is not None
        late = Call(
            external_id="sara-4", client_id=sara_1.client_id, team_id=sara_1.team_id,
            agent_id=sara_1.agent_id, started_at=datetime(2026, 11, 9, 10, tzinfo=UTC),
            customer_consent=True, agent_consent=True, language="fa", status=CallStatus.done,
            ring_seconds=30.0, handle_seconds=100.0,
        )  # fmt: skip
        session.add(late)
        session.flush()
        save_evaluation(session, late.id, active.id, _scored(greeting=False, rude=True))
    return seeded


def replace_version(session: Session, active: ScorecardVersion) -> ScorecardVersion:
    old = ScorecardVersion(
        scorecard_key=active.scorecard_key, version="v0", name=active.name,
        yaml_text=active.yaml_text, active=False,
    )  # fmt: skip
    session.add(old)
    session.flush()
    return old


def test_scores_as_the_seed_helper_builds_them() -> None:
    assert _scored(greeting=False, rude=False).score == 80.0
    assert _scored(greeting=True, rude=False).score == 100.0
    assert _scored(greeting=True, rude=True).score == 60.0
    assert _scored(greeting=False, rude=True).score == 40.0


def test_kpi_tiles_count_one_evaluation_per_call_the_human_one_first(data: Seeded) -> None:
    with session_scope(data.url) as session:
        tiles = dashboard.kpi_tiles(session, EVERYTHING, viewer(data.url, "admin"))
    # Scores: Sara 100 (reviewed), 100, 60, 40; Ivan 80, 100, 60; Gina 80, 100.
    assert tiles.evaluations == 9
    assert tiles.calls == 9
    assert tiles.average_score == pytest.approx(720 / 9)
    assert tiles.pass_rate == pytest.approx(6 / 9)
    assert tiles.critical_fail_rate == pytest.approx(3 / 9)
    # Rings: every seeded call rang 4 s; sara-4 rang 30 s, past three rings (18 s).
    assert tiles.answered_within_three_rings == pytest.approx(8 / 9)
    assert tiles.average_handle_seconds == pytest.approx((8 * 10 + 100) / 9)
    # Feedback 5, 2, 5 per seeded agent (Gina 5, 2); sara-4 has none.
    assert tiles.feedback_responses == 8
    assert tiles.average_customer_feedback == pytest.approx(31 / 8)
    # Silences come from transcripts; sara-4 has none and is left out of the average.
    assert tiles.average_longest_silence_seconds == pytest.approx(3.0)
    assert tiles.average_hold_seconds == pytest.approx(0.0)


def test_score_trend_groups_by_monday_weeks_per_team_and_agent(data: Seeded) -> None:
    admin = viewer(data.url, "admin")
    with session_scope(data.url) as session:
        teams = dashboard.score_trend(session, EVERYTHING, admin, by="team")
        agents = dashboard.score_trend(session, EVERYTHING, admin, by="agent")
    by_team = {(p.week, p.group_name): (p.evaluations, p.average_score) for p in teams}
    # Sunday 8 November still belongs to the week of Monday 2 November.
    assert by_team == {
        (date(2026, 11, 2), "Globex Care"): (2, pytest.approx(90.0)),
        (date(2026, 11, 2), "Moscow Desk"): (3, pytest.approx(80.0)),
        (date(2026, 11, 2), "Tehran Support"): (3, pytest.approx(260 / 3)),
        (date(2026, 11, 9), "Tehran Support"): (1, pytest.approx(40.0)),
    }
    assert [p.week for p in teams] == sorted(p.week for p in teams)
    sara = [p for p in agents if p.group_name == "Sara Ahmadi"]
    assert [(p.week, p.pass_rate) for p in sara] == [
        (date(2026, 11, 2), pytest.approx(2 / 3)),
        (date(2026, 11, 9), 0.0),
    ]


def test_criterion_failure_rates_score_distribution_and_leaderboard(data: Seeded) -> None:
    admin = viewer(data.url, "admin")
    with session_scope(data.url) as session:
        rates = dashboard.criterion_failure_rates(session, EVERYTHING, admin)
        buckets = dashboard.score_distribution(session, EVERYTHING, admin)
        leaders = dashboard.agent_leaderboard(session, EVERYTHING, admin)
    failures = {r.criterion: (r.failed, r.applicable) for r in rates}
    # Greeting failed on ivan-1, gina-1 and sara-4 (sara-1's failure was overruled by review).
    assert failures == {
        "greeting": (3, 9),
        "no_rude_language": (3, 9),
        "courtesy_words": (0, 9),
        "customer_sentiment": (0, 9),
    }
    assert [r.criterion for r in rates[:2]] == ["greeting", "no_rude_language"]
    counts = {b.lower: b.evaluations for b in buckets if b.evaluations}
    assert counts == {90: 4, 80: 2, 60: 2, 40: 1}
    assert len(buckets) == 10 and buckets[-1].upper == 100
    assert [(a.agent_name, a.evaluations, a.average_score, a.critical_fails) for a in leaders] == [
        ("Gina Lopez", 2, pytest.approx(90.0), 0),
        ("Ivan Petrov", 3, pytest.approx(80.0), 1),
        ("Sara Ahmadi", 4, pytest.approx(75.0), 2),
    ]


def test_filters_narrow_by_date_agent_language_and_scorecard(data: Seeded) -> None:
    admin = viewer(data.url, "admin")
    with session_scope(data.url) as session:

        def count(**conditions: object) -> int:
            view = EvaluationFilter(**conditions)  # type: ignore[arg-type]
            return dashboard.kpi_tiles(session, view, admin).evaluations

        assert count(end=date(2026, 11, 8)) == 8
        assert count(start=date(2026, 11, 9), end=date(2026, 11, 9)) == 1
        assert count(agent_id=data.agents["ivan"]) == 3
        assert count(language="en") == 2
        assert count(client_id=data.clients["Acme Bank"]) == 7
        assert count(scorecard_key="politeness") == 9
        assert count(scorecard_key="no-such-scorecard") == 0


def test_a_client_viewer_sees_only_their_client_whatever_the_filter(data: Seeded) -> None:
    globex = viewer(data.url, "globex")
    with session_scope(data.url) as session:
        tiles = dashboard.kpi_tiles(session, EVERYTHING, globex)
        leaders = dashboard.agent_leaderboard(session, EVERYTHING, globex)
        teams = {p.group_name for p in dashboard.score_trend(session, EVERYTHING, globex)}
        crafted = EvaluationFilter(client_id=data.clients["Acme Bank"])
        stolen = dashboard.kpi_tiles(session, crafted, globex)
        stolen_rates = dashboard.criterion_failure_rates(session, crafted, globex)
    assert (tiles.evaluations, tiles.average_score, tiles.pass_rate) == (2, 90.0, 1.0)
    assert [a.agent_name for a in leaders] == ["Gina Lopez"]
    assert teams == {"Globex Care"}
    assert stolen.evaluations == 0 and stolen.calls == 0 and stolen.average_score is None
    assert stolen_rates == []


def test_agents_are_refused_the_dashboards(data: Seeded) -> None:
    sara = viewer(data.url, "sara")
    with session_scope(data.url) as session:
        for query in (
            dashboard.kpi_tiles,
            dashboard.score_trend,
            dashboard.criterion_failure_rates,
            dashboard.score_distribution,
            dashboard.agent_leaderboard,
        ):
            with pytest.raises(AccessDenied):
                query(session, EVERYTHING, sara)


def test_the_empty_date_range_is_an_error_message() -> None:
    from qa.errors import QAError

    with pytest.raises(QAError, match="is after"):
        EvaluationFilter(start=date(2026, 11, 9), end=date(2026, 11, 1))


def test_score_trend_weeks_start_on_the_readers_first_weekday(data: Seeded) -> None:
    """Persian weeks start on Saturday, Russian and ISO weeks on Monday (issue 12)."""
    admin = viewer(data.url, "admin")
    with session_scope(data.url) as session:
        monday = dashboard.score_trend(session, EVERYTHING, admin, by="team")
        saturday = dashboard.score_trend(session, EVERYTHING, admin, by="team", week_starts_on=5)
        counted = session.execute(
            select(Call.started_at, Call.team_id)
            .join(EvaluationRecord, EvaluationRecord.call_id == Call.id)
            .where(EvaluationRecord.counts.is_(True))
        ).all()
    assert {p.week.weekday() for p in saturday} == {5}
    assert {p.week.weekday() for p in monday} == {0}
    # The same evaluations, cut into weeks from the Saturday on or before each call.
    expected: dict[date, int] = {}
    for started_at, _team in counted:
        day = started_at.date()
        first = day - timedelta(days=(day.weekday() - 5) % 7)
        expected[first] = expected.get(first, 0) + 1
    by_week: dict[date, int] = {}
    for p in saturday:
        by_week[p.week] = by_week.get(p.week, 0) + p.evaluations
    assert by_week == expected
    # Sunday 8 November is in the Monday week of 2 November, the Persian week of 7 November.
    assert date(2026, 11, 7) in by_week and date(2026, 11, 9) not in by_week
