"""Export: the filtered evaluations as CSV, and a client's monthly report as HTML.

The same filters and access scope as the dashboards: a client viewer downloads only their own
client's rows and report.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from qa.i18n import _, ngettext
from qa.locale_format import digits, format_month
from qa.queries.access import Viewer, ensure_role
from qa.queries.dashboard import DASHBOARD_ROLES, call_date_span
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.reports.evaluations_csv import export_rows, to_csv
from qa.reports.monthly import build_monthly_report, month_range, monthly_report_html
from qa.reports.pdf import html_to_pdf
from qa.ui.pages.dashboards import evaluation_filter, load_choices
from qa.ui.session import cached, current_viewer, db_session

load_rows = cached(export_rows)
load_span = cached(call_date_span)
REPORT_KEY = "export_monthly_report"
PDF_KEY = "export_monthly_report_pdf"
MONTHS_OFFERED = 24


def render() -> None:
    viewer = current_viewer()
    ensure_role(viewer, *DASHBOARD_ROLES)
    st.title(_("Export"))
    st.subheader(_("Evaluations (CSV)"))
    view = evaluation_filter(viewer, "export")
    _csv(viewer, view)
    st.subheader(_("Monthly client report"))
    _monthly_report(viewer)


def _csv(viewer: Viewer, view: EvaluationFilter) -> None:
    rows = load_rows(view, viewer)
    message = ngettext(
        "{count} evaluation: one per call and scorecard, a reviewer's where there is one.",
        "{count} evaluations: one per call and scorecard, a reviewer's where there is one.",
        len(rows),
    )
    st.caption(message.format(count=digits(str(len(rows)))))
    st.download_button(
        _("Download CSV"),
        data=to_csv(rows).encode("utf-8"),
        file_name=_csv_name(view),
        mime="text/csv",
        icon=":material/download:",
        disabled=not rows,
        key="export-csv",
    )


def _csv_name(view: EvaluationFilter) -> str:
    span = "-".join(str(d) for d in (view.start, view.end) if d is not None) or "all"
    return f"evaluations-{span}.csv"


def months_between(first: date, last: date, most: int = MONTHS_OFFERED) -> list[date]:
    """The first days of the months from `last` back to `first` (at most `most`), newest first.

    Months of the current language's calendar (Solar Hijri months for Persian readers).
    """
    months = [month_range(last)[0]]
    while len(months) < most and months[-1] > month_range(first)[0]:
        months.append(month_range(months[-1] - timedelta(days=1))[0])
    return months


def _monthly_report(viewer: Viewer) -> None:
    clients = {c.id: c.label for c in load_choices(viewer).clients}
    span = load_span(viewer)
    if not clients or span is None:
        st.info(_("There are no clients with calls yet."))
        return
    left, right = st.columns(2)
    client_id = left.selectbox(
        _("Client"), list(clients), format_func=clients.__getitem__, key="export-report-client"
    )
    month = right.selectbox(
        _("Month"),
        months_between(*span),
        format_func=format_month,
        key="export-report-month",
    )
    if st.button(_("Build report"), icon=":material/summarize:", key="export-build-report"):
        with st.spinner(_("Building the report…")), db_session() as session:
            report = build_monthly_report(session, viewer, client_id, month)
        st.session_state[REPORT_KEY] = (client_id, month, monthly_report_html(report))
    built = st.session_state.get(REPORT_KEY)
    if built is None or built[:2] != (client_id, month):
        return
    st.download_button(
        _("Download the {month} report for {client} (HTML)").format(
            month=format_month(month), client=clients[client_id]
        ),
        data=built[2].encode("utf-8"),
        file_name=f"{clients[client_id]} {month:%Y-%m}.html",
        mime="text/html",
        icon=":material/download:",
        key="export-report-download",
    )
    _pdf_download(built[2], f"{clients[client_id]} {month:%Y-%m}.pdf")


def _pdf_download(html: str, file_name: str) -> None:
    """Printing takes Chromium a few seconds, so the PDF is made on request, then offered."""
    made = st.session_state.get(PDF_KEY)
    if made is None or made[0] != file_name:
        if st.button(_("Make a PDF"), icon=":material/picture_as_pdf:", key="export-make-pdf"):
            with st.spinner(_("Printing the report…")):
                st.session_state[PDF_KEY] = (file_name, html_to_pdf(html))
            st.rerun()
        return
    st.download_button(
        _("Download the report (PDF)"),
        data=made[1],
        file_name=file_name,
        mime="application/pdf",
        icon=":material/download:",
        key="export-report-pdf",
    )
