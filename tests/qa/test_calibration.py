"""Calibration sessions: blind scoring, closing, and the agreement figures they report.

Three seeded calls scored on the shipped two-criterion compliance scorecard by Rita (the
expert), Carl and the automatic scorer. Expected figures are worked out by hand from the
definitions in scorecards/agreement.py (see the comments).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from qa.calibration import (
    CalibrationInvalid,
    NewCalibration,
    close_calibration,
    create_calibration,
    save_answers,
)
from qa.errors import AccessDenied, NotFound
from qa.queries.calibration import (
    ResultsNotReady,
    calibration_results,
    calibration_sessions,
    calibration_task,
)
from qa.storage.db import session_scope
from qa.storage.evaluations import save_evaluation
from qa.storage.models import CalibrationAnswer, CalibrationSession, ScorecardVersion, User
from qa.storage.scorecard_store import sync_shipped_scorecards
from scorecards.results import CriterionVerdict, Evaluation
from tests.ui.seed import Seeded
from tests.ui.seed import viewer_named as viewer

RINGS, DATA = "answered_within_three_rings", "no_sensitive_data_readback"
CALLS = ("sara-1", "ivan-1", "gina-1")
# Per call: (rings, data) outcomes.
RITA = [("pass", "pass"), ("pass", "fail"), ("fail", "pass")]
CARL = [("pass", "pass"), ("pass", "pass"), ("fail", "fail")]
AUTOMATIC = [("pass", "pass"), ("pass", "fail"), ("pass", "pass")]


@pytest.fixture
def data(seeded_database: Seeded) -> Seeded:
    seeded = seeded_database
    with session_scope(seeded.url) as session:
        sync_shipped_scorecards(session)
    return seeded


def compliance_version(url: str) -> int:
    with session_scope(url) as session:
        return session.scalars(
            select(ScorecardVersion.id).where(
                ScorecardVersion.scorecard_key == "compliance", ScorecardVersion.active
            )
        ).one()


def user_id(url: str, username: str) -> int:
    with session_scope(url) as session:
        return session.scalars(select(User.id).where(User.username == username)).one()


def store_automatic(data: Seeded, version_id: int) -> None:
    with session_scope(data.url) as session:
        for external, (rings, readback) in zip(CALLS, AUTOMATIC, strict=True):
            verdicts = tuple(
                CriterionVerdict(c, c, "s", o, 1.0 if o == "pass" else 0.0, 1.0)  # type: ignore[arg-type]
                for c, o in ((RINGS, rings), (DATA, readback))
            )
            evaluation = Evaluation(
                scorecard="compliance", scorecard_name="Compliance", scorecard_version="x",
                score=50.0, passed=False, critical_failed=False, verdicts=verdicts, sections=(),
            )  # fmt: skip
            save_evaluation(session, data.calls[external], version_id, evaluation)


def create(data: Seeded, include_automatic: bool = True) -> int:
    new = NewCalibration(
        title="Week 47",
        scorecard_version_id=compliance_version(data.url),
        call_ids=tuple(data.calls[c] for c in CALLS),
        participant_ids=(user_id(data.url, "coach"),),
        expert_id=user_id(data.url, "reviewer"),
        include_automatic=include_automatic,
    )
    with session_scope(data.url) as session:
        return create_calibration(session, viewer(data.url, "admin"), new)


def answer(data: Seeded, username: str, session_id: int, plan: list[tuple[str, str]]) -> bool:
    closed = False
    for external, (rings, readback) in zip(CALLS, plan, strict=True):
        with session_scope(data.url) as session:
            closed = save_answers(
                session, viewer(data.url, username), session_id, data.calls[external],
                {RINGS: rings, DATA: readback},
            )  # fmt: skip
    return closed


def results(data: Seeded, session_id: int, username: str = "reviewer"):  # type: ignore[no-untyped-def]
    with session_scope(data.url) as session:
        return calibration_results(session, viewer(data.url, username), session_id)


def test_participants_score_blind_and_the_session_closes_when_the_last_one_is_in(
    data: Seeded,
) -> None:
    session_id = create(data)
    assert answer(data, "reviewer", session_id, RITA) is False
    with session_scope(data.url) as session:
        carls = calibration_task(session, viewer(data.url, "coach"), session_id)
    assert carls.answers == {}  # Rita's answers are not shown to Carl
    assert [criterion for criterion, _name in carls.criteria] == [RINGS, DATA]
    for username in ("reviewer", "coach", "admin"):
        with pytest.raises(ResultsNotReady):
            results(data, session_id, username)
    assert answer(data, "coach", session_id, CARL) is True
    with session_scope(data.url) as session:
        listed = calibration_sessions(session, viewer(data.url, "coach"))
    assert [s.status.value for s in listed] == ["closed"]


def test_results_report_every_measure_deviations_and_what_split_the_group(data: Seeded) -> None:
    store_automatic(data, compliance_version(data.url))
    session_id = create(data)
    answer(data, "reviewer", session_id, RITA)
    answer(data, "coach", session_id, CARL)
    shown = results(data, session_id, "coach")
    assert shown.participants == ("Rita R.", "Carl C.", "Automatic scorer")
    assert shown.expert == "Rita R."
    overall = shown.overall
    # Six items; three unanimous, three split 2:1 -> observed agreement (3 + 3 * 1/3) / 6.
    assert overall.units == 6
    assert overall.agreement == pytest.approx(2 / 3)
    # 13 of 18 answers are pass: Fleiss' pe = (13/18)^2 + (5/18)^2 = 194/324 -> 22/130.
    assert overall.fleiss_kappa == pytest.approx(22 / 130)
    # AC1 over pass/fail/n-a: pe = 2 * (13/18)(5/18) / 2 = 65/324 -> 151/259.
    assert overall.gwet_ac1 == pytest.approx(151 / 259)
    assert overall.krippendorff_alpha is not None
    rita_carl = overall.pairs[0]
    # Rita x Carl: agree on 4 of 6; both say pass 4 times of 6 -> pe = 20/36, kappa = 1/4.
    assert (rita_carl.units, rita_carl.agreement, rita_carl.kappa) == (
        6,
        pytest.approx(4 / 6),
        pytest.approx(0.25),
    )
    assert [(d.participant, d.compared, d.differing) for d in shown.deviations] == [
        ("Carl C.", 6, 2), ("Automatic scorer", 6, 1),
    ]  # fmt: skip
    rings = next(c for c in shown.per_criterion if c.criterion == RINGS)
    assert rings.agreement.agreement == pytest.approx(7 / 9)
    assert len(shown.splits) == 3
    assert sorted((s.call, round(s.majority_share, 3)) for s in shown.splits) == [
        ("gina-1", 0.667), ("gina-1", 0.667), ("ivan-1", 0.667),
    ]  # fmt: skip
    assert shown.splits[0].answers.keys() == {"Rita R.", "Carl C.", "Automatic scorer"}


def test_the_lead_can_close_early_and_results_use_what_is_in(data: Seeded) -> None:
    session_id = create(data, include_automatic=False)
    answer(data, "reviewer", session_id, RITA)
    with session_scope(data.url) as session:
        close_calibration(session, viewer(data.url, "admin"), session_id)
    shown = results(data, session_id, "admin")
    assert shown.overall.units == 0  # nobody to compare Rita with
    assert shown.deviations[0].compared == 0
    with session_scope(data.url) as session, pytest.raises(CalibrationInvalid, match="closed"):
        save_answers(
            session, viewer(data.url, "coach"), session_id, data.calls["sara-1"],
            {RINGS: "pass", DATA: "pass"},
        )  # fmt: skip


def test_only_leads_create_only_participants_take_part_and_half_answers_are_refused(
    data: Seeded,
) -> None:
    with session_scope(data.url) as session, pytest.raises(AccessDenied):
        create_calibration(
            session,
            viewer(data.url, "reviewer"),
            NewCalibration("x", compliance_version(data.url), (data.calls["sara-1"],), (1,)),
        )
    session_id = create(data)
    with session_scope(data.url) as session:
        assert calibration_sessions(session, viewer(data.url, "admin"))[0].participants == 3
    for username in ("sara", "globex"):
        with session_scope(data.url) as session, pytest.raises(AccessDenied):
            calibration_sessions(session, viewer(data.url, username))
    with session_scope(data.url) as session, pytest.raises(AccessDenied):
        calibration_task(
            session, viewer(data.url, "admin"), session_id
        )  # a lead, not a participant
    with session_scope(data.url) as session, pytest.raises(CalibrationInvalid, match=DATA):
        save_answers(
            session, viewer(data.url, "coach"), session_id, data.calls["sara-1"], {RINGS: "pass"}
        )
    with session_scope(data.url) as session:
        assert session.scalar(select(func.count()).select_from(CalibrationAnswer)) == 0


def test_a_session_opens_to_its_participants_and_to_leads_and_a_missing_one_is_not_found(
    data: Seeded,
) -> None:
    from qa.storage.directory import create_user

    session_id = create(data, include_automatic=False)
    answer(data, "reviewer", session_id, RITA)
    with session_scope(data.url) as session:
        create_user(session, "cora", "cora-password", "coach", display_name="Cora Coach")
        close_calibration(session, viewer(data.url, "admin"), session_id)
    assert results(data, session_id, "admin").participants == ("Rita R.", "Carl C.")
    outsider = viewer(data.url, "cora")  # a coach who was not invited
    with session_scope(data.url) as session:
        with pytest.raises(AccessDenied):
            calibration_results(session, outsider, session_id)
        with pytest.raises(AccessDenied):
            calibration_task(session, outsider, session_id)
        with pytest.raises(AccessDenied):  # not a participant comes before closed
            save_answers(session, outsider, session_id, data.calls["sara-1"], {})
    missing = session_id + 1
    with session_scope(data.url) as session:
        for read in (calibration_results, calibration_task):
            with pytest.raises(NotFound, match=str(missing)):
                read(session, viewer(data.url, "coach"), missing)
        with pytest.raises(NotFound, match=str(missing)):
            close_calibration(session, viewer(data.url, "admin"), missing)
        with pytest.raises(NotFound, match=str(missing)):
            save_answers(session, viewer(data.url, "coach"), missing, data.calls["sara-1"], {})


def test_the_demo_adds_a_finished_session_with_results_to_discuss(data: Seeded) -> None:
    from qa.cli.demo_calibration import add_demo_calibration
    from qa.storage.directory import create_user

    store_automatic(data, compliance_version(data.url))
    assert add_demo_calibration(data.url) is None  # no QA lead to lead it yet
    with session_scope(data.url) as session:
        lead_id = create_user(session, "lead", "lead-password", "lead", display_name="Lea Lead").id
    session_id = add_demo_calibration(data.url)
    assert session_id is not None
    with session_scope(data.url) as session:
        assert session.get_one(CalibrationSession, session_id).lead_id == lead_id
    shown = results(data, session_id, "coach")
    assert shown.participants == ("Rita R.", "Carl C.", "Lea L.", "Automatic scorer")
    assert shown.expert == "Lea L."
    assert shown.overall.units == 6
    assert shown.splits and shown.overall.gwet_ac1 is not None
    assert all(d.compared == 6 for d in shown.deviations)
