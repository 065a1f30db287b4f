"""The Export page saves the monthly report as PDF (its pages: tests/qa/test_report_pdf.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.test_export import download

PageAs = Callable[[str, str], AppTest]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium prints the PDF")
def test_a_built_report_can_be_made_into_a_pdf_and_downloaded(page_as: PageAs) -> None:
    at = page_as("export", "globex").run()
    at.button(key="export-build-report").click().run()
    assert download(at, "export-report-pdf") is None  # printed only on request
    at.button(key="export-make-pdf").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    pdf = download(at, "export-report-pdf")
    assert pdf.label == "Download the report (PDF)"
    assert pdf.url.endswith(".pdf")
    file_name, data = at.session_state["export_monthly_report_pdf"]
    assert file_name == "Globex 2026-11.pdf" and data.startswith(b"%PDF")
