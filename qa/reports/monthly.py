"""The monthly report per client: the KPIs and charts an outsourced contact center sends its client.

One self-contained HTML file (plotly's script embedded once), so it opens offline and can be
mailed as it is. The figures are the dashboards' figures for the client and the calendar month.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from qa.errors import AccessDenied, NotFound
from qa.queries import dashboard
from qa.queries.access import Viewer, ensure_role
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.reports.charts import (
    distribution_figure,
    failure_rate_figure,
    leaderboard_frame,
    print_ready,
    trend_figure,
)
from qa.reports.kpis import kpi_figures
from qa.storage.models import Client, Role


@dataclass(frozen=True)
class MonthlyReport:
    client: str
    month: date  # the first day of the month
    tiles: dashboard.KpiTiles
    previous: dashboard.KpiTiles  # the month before, for comparison
    team_trend: list[dashboard.TrendPoint]
    failure_rates: list[dashboard.CriterionFailureRate]
    distribution: list[dashboard.ScoreBucket]
    leaderboard: list[dashboard.AgentSummary]
    generated_at: datetime


def month_range(month: date) -> tuple[date, date]:
    """The first and last day of the month `month` falls in."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def build_monthly_report(
    session: Session, viewer: Viewer, client_id: int, month: date
) -> MonthlyReport:
    """Gather the month's figures; a client viewer may only build their own client's report."""
    ensure_role(viewer, *dashboard.DASHBOARD_ROLES)
    if viewer.role is Role.client_viewer and viewer.client_id != client_id:
        raise AccessDenied(f"{viewer.username} may only report on their own client")
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(f"there is no client with id {client_id}")
    first, last = month_range(month)
    view = EvaluationFilter(start=first, end=last, client_id=client_id)
    previous_first, previous_last = month_range(first - timedelta(days=1))
    previous = EvaluationFilter(start=previous_first, end=previous_last, client_id=client_id)
    return MonthlyReport(
        client=client.name,
        month=first,
        tiles=dashboard.kpi_tiles(session, view, viewer),
        previous=dashboard.kpi_tiles(session, previous, viewer),
        team_trend=dashboard.score_trend(session, view, viewer, by="team"),
        failure_rates=dashboard.criterion_failure_rates(session, view, viewer),
        distribution=dashboard.score_distribution(session, view, viewer),
        leaderboard=dashboard.agent_leaderboard(session, view, viewer),
        generated_at=datetime.now(UTC),
    )


STYLE = """
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; margin: 2rem auto;
       max-width: 1000px; color: #1f2933; }
h1 { margin-bottom: 0; } .subtitle { color: #52606d; margin-top: .25rem; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; }
th, td { border-bottom: 1px solid #d9e2ec; padding: .4rem .6rem; text-align: left; }
th { background: #f0f4f8; } td.number { text-align: right; }
.note { color: #52606d; font-size: .9rem; }
.chart { margin: 1rem 0; break-inside: avoid; }
@page { size: A4; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
}
"""


def monthly_report_html(report: MonthlyReport) -> str:
    """The report as one HTML document."""
    title = f"{report.client}: call quality report, {report.month:%B %Y}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(report.client)}</h1>",
        f'<p class="subtitle">Call quality report for {report.month:%B %Y} · generated '
        f"{report.generated_at:%d %b %Y %H:%M} UTC</p>",
        "<h2>Key figures</h2>",
        _kpi_table(report),
    ]
    if report.tiles.evaluations == 0:
        parts.append('<p class="note">No evaluated calls in this month.</p>')
    else:
        parts += _charts(report)
    parts.append(
        '<p class="note">Each call counts once per scorecard: a reviewer\'s evaluation where '
        "there is one, otherwise the automatic evaluation by the active scorecard version. "
        "Three rings are 18 seconds.</p></body></html>"
    )
    return "\n".join(parts)


def _kpi_table(report: MonthlyReport) -> str:
    now = kpi_figures(report.tiles)
    before = kpi_figures(report.previous)
    previous_month = month_range(report.month - timedelta(days=1))[0]
    rows = "".join(
        f"<tr><td>{html.escape(a.label)}</td><td class='number'>{html.escape(a.value)}</td>"
        f"<td class='number'>{html.escape(b.value)}</td></tr>"
        for a, b in zip(now, before, strict=True)
    )
    return (
        f"<table><thead><tr><th>Figure</th><th>{report.month:%B %Y}</th>"
        f"<th>{previous_month:%B %Y}</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _charts(report: MonthlyReport) -> list[str]:
    figures = [
        trend_figure(report.team_trend, "Team"),
        failure_rate_figure(report.failure_rates),
        distribution_figure(report.distribution),
    ]
    charts = [
        '<div class="chart">'
        + print_ready(figure).to_html(
            full_html=False, include_plotlyjs=index == 0, config={"displayModeBar": False}
        )
        + "</div>"
        for index, figure in enumerate(figures)
    ]
    leaders = leaderboard_frame(report.leaderboard).to_html(index=False, border=0)
    return ["<h2>Charts</h2>", *charts, "<h2>Agents</h2>", leaders]
