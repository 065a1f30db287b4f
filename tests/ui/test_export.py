"""The Export page: CSV of the filtered evaluations and the monthly client report, per role.

The files' contents are specified in tests/qa/test_export_reports.py (and downloaded in a real
browser by tests/ui/browser/test_coaching_flow.py); here: the page offers them, for the right rows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from qa.ui.pages.export import months_between
from tests.ui.seed import Seeded

PageAs = Callable[[str, str], AppTest]


def download(at: AppTest, key: str) -> Any:  # the DownloadButton proto, or None
    """The download button with this widget key (AppTest has no typed accessor for them)."""
    found = [d.proto for d in at.get("download_button") if d.proto.id.endswith(f"-{key}")]
    return found[0] if found else None


def caption(at: AppTest) -> str:
    return next(c.value for c in at.caption if "per call and scorecard" in c.value)


@pytest.mark.parametrize("username", ["admin", "reviewer", "coach"])
def test_staff_export_every_clients_evaluations(page_as: PageAs, username: str) -> None:
    at = page_as("export", username).run()
    assert not at.exception and not at.error
    assert caption(at).startswith("8 evaluations")
    button = download(at, "export-csv")
    assert button.label == "Download CSV" and not button.disabled
    assert button.url.endswith(".csv")


def test_the_csv_follows_the_filters(page_as: PageAs, seeded: Seeded) -> None:
    at = page_as("export", "coach").run()
    at.selectbox(key="export-agent").select(seeded.agents["gina"]).run()
    assert caption(at).startswith("2 evaluations")
    at.date_input(key="export-dates").set_value((date(2026, 11, 3), date(2026, 11, 30))).run()
    assert caption(at).startswith("1 evaluation:")
    at.selectbox(key="export-language").select("fa").run()
    assert caption(at).startswith("0 evaluations")
    assert download(at, "export-csv").disabled


def test_a_client_viewer_exports_and_reports_on_their_own_client_only(page_as: PageAs) -> None:
    at = page_as("export", "globex").run()
    assert not at.exception and not at.error
    assert caption(at).startswith("2 evaluations")
    client = at.selectbox(key="export-report-client")
    assert client.options == ["Globex"]
    assert at.selectbox(key="export-report-month").options == ["November 2026"]
    at.button(key="export-build-report").click().run()
    assert not at.exception and not at.error
    report = download(at, "export-report-download")
    assert report.label == "Download the November 2026 report for Globex (HTML)"
    assert report.url.endswith(".html")


def test_staff_build_any_clients_report(page_as: PageAs, seeded: Seeded) -> None:
    at = page_as("export", "reviewer").run()
    assert download(at, "export-report-download") is None  # nothing built yet
    at.selectbox(key="export-report-client").select(seeded.clients["Acme Bank"]).run()
    at.button(key="export-build-report").click().run()
    assert not at.exception and not at.error
    label = download(at, "export-report-download").label
    assert label == "Download the November 2026 report for Acme Bank (HTML)"
    # Choosing another client drops the built report rather than offering the wrong one.
    at.selectbox(key="export-report-client").select(seeded.clients["Globex"]).run()
    assert download(at, "export-report-download") is None


def test_agents_are_refused_the_export(page_as: PageAs) -> None:
    at = page_as("export", "ivan").run()
    assert [e.value for e in at.error] == [
        "this needs one of the roles: admin, lead, reviewer, coach, client_viewer"
    ]
    assert not at.get("download_button")


def test_months_offered_run_from_the_last_call_back_to_the_first() -> None:
    assert months_between(date(2026, 10, 30), date(2026, 12, 2)) == [
        date(2026, 12, 1),
        date(2026, 11, 1),
        date(2026, 10, 1),
    ]
    assert len(months_between(date(2020, 1, 1), date(2026, 12, 2))) == 24
