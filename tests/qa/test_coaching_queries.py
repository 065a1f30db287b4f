"""Coaching queries: example calls, recording sessions, and focus criteria before and after.

Seed (tests/ui/seed.py): Sara's calls are sara-1 on 2 Nov (80: greeting failed), sara-2 on
5 Nov (100) and sara-3 on 8 Nov (60: rude language, a critical fail).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from qa.errors import AccessDenied
from qa.queries.coaching import (
    CoachingInvalid,
    SessionForm,
    coaching_sessions,
    example_calls,
    focus_progress,
    record_session,
)
from qa.storage.db import session_scope
from qa.storage.models import AuditEntry, CoachingSession
from tests.ui.seed import Seeded
from tests.ui.seed import viewer_named as viewer


@pytest.fixture
def data(seeded_database: Seeded) -> Seeded:
    return seeded_database


def record(url: str, form: SessionForm, username: str = "coach") -> int:
    with session_scope(url) as session:
        return record_session(session, viewer(url, username), form)


def coach_sara(data: Seeded, held_on: date, *focus: str) -> int:
    """The coach records a session with Sara on these focus criteria; returns its id."""
    return record(
        data.url, SessionForm(data.agents["sara"], held_on, "Talked.", focus_criteria=focus)
    )


def test_example_calls_are_the_best_passed_and_worst_failed(data: Seeded) -> None:
    with session_scope(data.url) as session:
        examples = example_calls(session, viewer(data.url, "coach"), data.agents["sara"])
    assert [(e.call_external_id, e.score) for e in examples.good] == [
        ("sara-2", 100.0),
        ("sara-1", 80.0),
    ]
    assert examples.good[1].failed_criteria == ("Greeting",)
    assert [(e.call_external_id, e.failed_criteria) for e in examples.bad] == [
        ("sara-3", ("No rude language",))
    ]


def test_a_recorded_session_is_listed_newest_first_and_audited(data: Seeded) -> None:
    sara = data.agents["sara"]
    first = record(
        data.url, SessionForm(sara, date(2026, 11, 3), "Greet first.", focus_criteria=("greeting",))
    )
    second = record(
        data.url,
        SessionForm(
            sara, date(2026, 11, 6), "  Calm words.  ", goals="No rude words",
            action_items="Listen to sara-3", follow_up_on=date(2026, 11, 20),
            focus_criteria=("no_rude_language", "greeting"),
        ),
    )  # fmt: skip
    with session_scope(data.url) as session:
        listed = coaching_sessions(session, viewer(data.url, "admin"), sara)
        audited = session.scalars(
            select(AuditEntry.entity_id).where(AuditEntry.action == "coaching.record")
        ).all()
        assert coaching_sessions(session, viewer(data.url, "coach"), data.agents["ivan"]) == []
    assert [s.id for s in listed] == [second, first]
    assert (listed[0].coach, listed[0].notes, listed[0].goals) == (
        "Carl Coach",
        "Calm words.",
        "No rude words",
    )
    assert listed[0].focus_criteria == ("no_rude_language", "greeting")
    assert listed[0].follow_up_on == date(2026, 11, 20)
    assert sorted(audited) == sorted([str(first), str(second)])


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (dict(notes="  "), "please write notes"),
        (dict(follow_up_on=date(2026, 11, 1)), "follow-up date is before"),
        (dict(focus_criteria=("greeting", "telepathy")), "unknown focus criteria: telepathy"),
    ],
)
def test_an_invalid_session_is_refused_and_nothing_is_written(
    data: Seeded, form: dict[str, object], message: str
) -> None:
    fields: dict[str, object] = {"notes": "Talked.", **form}
    with pytest.raises(CoachingInvalid, match=message):
        record(data.url, SessionForm(data.agents["sara"], date(2026, 11, 6), **fields))  # type: ignore[arg-type]
    with session_scope(data.url) as session:
        assert session.scalar(select(func.count()).select_from(CoachingSession)) == 0


def test_only_coaches_and_admins_record_sessions(data: Seeded) -> None:
    form = SessionForm(data.agents["sara"], date(2026, 11, 6), "Talked.")
    for username in ("reviewer", "sara", "globex"):
        with pytest.raises(AccessDenied):
            record(data.url, form, username)
    assert record(data.url, form, "admin") > 0


def test_focus_progress_compares_the_days_before_and_after_the_session(data: Seeded) -> None:
    session_id = coach_sara(data, date(2026, 11, 5), "greeting", "no_rude_language")
    with session_scope(data.url) as session:
        progress = focus_progress(session, viewer(data.url, "coach"), session_id)
    # The session day (sara-2) is left out: before is sara-1 only, after is sara-3 only.
    greeting, rude = progress
    assert (greeting.name, greeting.before.score, greeting.after.score) == ("Greeting", 0.0, 100.0)
    assert greeting.change == 100.0
    assert (rude.before.score, rude.after.score, rude.change) == (100.0, 0.0, -100.0)
    assert (rude.before.verdicts, rude.before.passed, rude.after.pass_rate) == (1, 1, 0.0)


def test_focus_progress_without_calls_after_says_so(data: Seeded) -> None:
    session_id = coach_sara(data, date(2026, 11, 20), "greeting")
    with session_scope(data.url) as session:
        (greeting,) = focus_progress(session, viewer(data.url, "coach"), session_id)
    # 2 Nov to 8 Nov: sara-1 failed, sara-2 and sara-3 passed the greeting: 10 of 15 points.
    assert greeting.before.score == pytest.approx(100 * 10 / 15)
    assert greeting.after.verdicts == 0 and greeting.after.score is None
    assert greeting.change is None


def test_an_agent_reads_only_their_own_sessions_and_progress(data: Seeded) -> None:
    session_id = coach_sara(data, date(2026, 11, 5), "greeting")
    with session_scope(data.url) as session:
        sara = viewer(data.url, "sara")
        own = focus_progress(session, sara, session_id)
        assert [p.criterion for p in own] == ["greeting"]
        assert [s.id for s in coaching_sessions(session, sara, data.agents["sara"])] == [session_id]
        for other in ("ivan", "globex"):
            with pytest.raises(AccessDenied):
                focus_progress(session, viewer(data.url, other), session_id)
            with pytest.raises(AccessDenied):
                coaching_sessions(session, viewer(data.url, other), data.agents["sara"])
