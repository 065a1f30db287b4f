"""The filtered evaluations as CSV: one row per call and scorecard, the evaluation that counts.

The rows are the dashboards' rows (`qa.queries.evaluations_in_view`), so an exported file adds up
to the figures on screen; the viewer's access scope applies exactly as it does there.
"""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime

from sqlalchemy import Subquery, select
from sqlalchemy.orm import Session, aliased

from qa.queries.access import Viewer, ensure_role
from qa.queries.dashboard import DASHBOARD_ROLES
from qa.queries.evaluations_in_view import EvaluationFilter, counted_evaluations
from qa.storage.models import (
    Agent,
    Call,
    Client,
    CriterionVerdictRecord,
    Evaluation,
    ScorecardVersion,
    Team,
    User,
)


@dataclass(frozen=True)
class ExportRow:
    """One CSV line; the field names are the CSV header."""

    call_id: str
    call_started_at: str  # ISO 8601, UTC
    client: str
    team: str
    agent: str
    language: str
    scorecard: str
    scorecard_version: str
    evaluation_kind: str
    reviewer: str
    score: float
    passed: bool
    critical_failed: bool
    failed_criteria: str  # criterion ids, ";"-separated
    ring_seconds: float | None
    handle_seconds: float | None
    customer_feedback: float | None


HEADER = tuple(f.name for f in fields(ExportRow))


def export_rows(session: Session, view: EvaluationFilter, viewer: Viewer) -> list[ExportRow]:
    """The counted evaluations in the view, oldest call first (columns only: no ORM objects)."""
    ensure_role(viewer, *DASHBOARD_ROLES)
    counted = counted_evaluations(view, viewer)
    reviewer = aliased(User)
    rows = session.execute(
        select(
            counted.c.evaluation_id,
            Call.external_id,
            Call.started_at,
            Client.name,
            Team.name,
            Agent.name,
            Call.language,
            counted.c.scorecard_key,
            ScorecardVersion.version,
            Evaluation.kind,
            reviewer.display_name,
            Evaluation.score,
            Evaluation.passed,
            Evaluation.critical_failed,
            Call.ring_seconds,
            Call.handle_seconds,
            Call.customer_feedback,
        )
        .select_from(counted)
        .join(Evaluation, Evaluation.id == counted.c.evaluation_id)
        .join(ScorecardVersion, ScorecardVersion.id == Evaluation.scorecard_version_id)
        .join(Call, Call.id == counted.c.call_id)
        .join(Client, Client.id == Call.client_id)
        .outerjoin(Team, Team.id == Call.team_id)
        .outerjoin(Agent, Agent.id == Call.agent_id)
        .outerjoin(reviewer, reviewer.id == Evaluation.reviewer_id)
        .order_by(Call.started_at, Call.external_id, counted.c.scorecard_key)
    ).all()
    failed = _failed_criteria(session, counted)
    return [
        ExportRow(
            call_id=external_id,
            call_started_at=_utc_iso(started_at),
            client=client,
            team=team or "",
            agent=agent or "",
            language=language or "",
            scorecard=scorecard,
            scorecard_version=version,
            evaluation_kind=kind.value,
            reviewer=reviewer_name or "",
            score=round(score, 2),
            passed=passed,
            critical_failed=critical_failed,
            failed_criteria=";".join(failed.get(evaluation_id, ())),
            ring_seconds=ring,
            handle_seconds=handle,
            customer_feedback=feedback,
        )
        for (
            evaluation_id, external_id, started_at, client, team, agent, language, scorecard,
            version, kind, reviewer_name, score, passed, critical_failed, ring, handle, feedback,
        ) in rows
    ]  # fmt: skip


def _failed_criteria(session: Session, counted: Subquery) -> dict[int, list[str]]:
    verdict = CriterionVerdictRecord
    failed: dict[int, list[str]] = {}
    rows = session.execute(
        select(verdict.evaluation_id, verdict.criterion)
        .join(counted, counted.c.evaluation_id == verdict.evaluation_id)
        .where(verdict.outcome == "fail")
        .order_by(verdict.evaluation_id, verdict.id)
    )
    for evaluation_id, criterion in rows:
        failed.setdefault(evaluation_id, []).append(criterion)
    return failed


def _utc_iso(value: datetime) -> str:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula, prefixed with ' so it is shown as text (OWASP).

    Numbers are left alone: a negative number is data, not a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: list[ExportRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(tuple(map(safe_cell, astuple(row))) for row in rows)
    return buffer.getvalue()


def evaluations_csv(session: Session, view: EvaluationFilter, viewer: Viewer) -> str:
    """The CSV text of the view (UTF-8 safe: Persian and Russian names stay as they are)."""
    return to_csv(export_rows(session, view, viewer))
