"""The monthly report per client: the KPIs and charts an outsourced contact center sends its client.

One self-contained HTML file (plotly's script embedded once), so it opens offline and can be
mailed as it is. The figures are the dashboards' figures for the client and the calendar month.
It is written in the current language (`qa.i18n`): its calendar decides the month (a Persian
report covers a Solar Hijri month, weeks from Saturday), its direction the page's.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from qa import locale_format
from qa.errors import AccessDenied, NotFound
from qa.i18n import _, current_language
from qa.locale_format import format_datetime, format_month
from qa.queries import dashboard
from qa.queries.access import Viewer, ensure_role
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.queries.scorecard_texts import scorecard_texts, with_criterion_names
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
    """The first and last day of the month `month` falls in, in the current language's calendar."""
    return locale_format.month_range(month)


def build_monthly_report(
    session: Session, viewer: Viewer, client_id: int, month: date
) -> MonthlyReport:
    """Gather the month's figures; a client viewer may only build their own client's report."""
    ensure_role(viewer, *dashboard.DASHBOARD_ROLES)
    if viewer.role is Role.client_viewer and viewer.client_id != client_id:
        raise AccessDenied(
            _("{username} may only report on their own client").format(username=viewer.username)
        )
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(_("there is no client with id {id}").format(id=client_id))
    first, last = month_range(month)
    view = EvaluationFilter(start=first, end=last, client_id=client_id)
    previous_first, previous_last = month_range(first - timedelta(days=1))
    previous = EvaluationFilter(start=previous_first, end=previous_last, client_id=client_id)
    return MonthlyReport(
        client=client.name,
        month=first,
        tiles=dashboard.kpi_tiles(session, view, viewer),
        previous=dashboard.kpi_tiles(session, previous, viewer),
        team_trend=dashboard.score_trend(
            session, view, viewer, by="team", week_starts_on=locale_format.week_start_day()
        ),
        failure_rates=_named_in_language(
            session, dashboard.criterion_failure_rates(session, view, viewer)
        ),
        distribution=dashboard.score_distribution(session, view, viewer),
        leaderboard=dashboard.agent_leaderboard(session, view, viewer),
        generated_at=datetime.now(UTC),
    )


def _named_in_language(
    session: Session, rates: list[dashboard.CriterionFailureRate]
) -> list[dashboard.CriterionFailureRate]:
    return with_criterion_names(scorecard_texts(session), rates, current_language().code)


STYLE = """
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; margin: 2rem auto;
       max-width: 1000px; color: #1f2933; }
h1 { margin-bottom: 0; } .subtitle { color: #52606d; margin-top: .25rem; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; }
th, td { border-bottom: 1px solid #d9e2ec; padding: .4rem .6rem; text-align: start; }
th { background: #f0f4f8; } td.number { text-align: end; }
.note { color: #52606d; font-size: .9rem; }
.chart { margin: 1rem 0; break-inside: avoid; }
@page { size: A4; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
}
"""
# Persian reports: Vazirmatn when the reader has it, the system's Persian fonts otherwise.
RTL_STYLE = 'body { font-family: Vazirmatn, "Noto Sans Arabic", Tahoma, sans-serif; }'


def monthly_report_html(report: MonthlyReport) -> str:
    """The report as one HTML document."""
    language = current_language()
    month = format_month(report.month)
    title = _("{client}: call quality report, {month}").format(client=report.client, month=month)
    subtitle = _("Call quality report for {month} · generated {when}").format(
        month=month, when=format_datetime(report.generated_at, "UTC")
    )
    style = STYLE + (RTL_STYLE if language.rtl else "")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{language.code}" dir="{language.direction}"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{style}</style></head><body>",
        f"<h1>{html.escape(report.client)}</h1>",
        f'<p class="subtitle">{html.escape(subtitle)}</p>',
        "<h2>{}</h2>".format(html.escape(_("Key figures"))),
        _kpi_table(report),
    ]
    if report.tiles.evaluations == 0:
        empty = _("No evaluated calls in this month.")
        parts.append(f'<p class="note">{html.escape(empty)}</p>')
    else:
        parts += _charts(report)
    note = _(
        "Each call counts once per scorecard: a reviewer's evaluation where there is one, "
        "otherwise the automatic evaluation by the active scorecard version. "
        "Three rings are 18 seconds."
    )
    parts.append(f'<p class="note">{html.escape(note)}</p></body></html>')
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
    heads = (_("Figure"), format_month(report.month), format_month(previous_month))
    head = "".join(f"<th>{html.escape(text)}</th>" for text in heads)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _charts(report: MonthlyReport) -> list[str]:
    figures = [
        trend_figure(report.team_trend, _("Team")),
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
    charts_title, agents_title = html.escape(_("Charts")), html.escape(_("Agents"))
    return [f"<h2>{charts_title}</h2>", *charts, f"<h2>{agents_title}</h2>", leaders]
