"""Reports as PDF, printed by headless Chromium from the same HTML the browser shows.

The charts are plotly (JavaScript), so a pure-Python converter (WeasyPrint, xhtml2pdf) would
print them blank; static chart images would need kaleido, which drives a Chrome anyway. So the
one browser callqa already relies on (Debian's chromium, as the browser tests use) prints the
page with its own print stylesheet (A4, 12 mm margins, charts kept whole).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from qa.errors import QAError
from qa.i18n import _
from qa.settings import get_settings

# Plotly draws after the page loads; virtual time lets it finish before printing.
RENDER_BUDGET_MS = 10_000
TIMEOUT_SECONDS = 120


class PdfUnavailable(QAError):
    """Chromium is missing or failed to print."""


def html_to_pdf(html: str, chromium: str | None = None) -> bytes:
    """The PDF of an HTML document, as Chromium prints it."""
    browser = shutil.which(chromium or get_settings().chromium)
    if browser is None:
        raise PdfUnavailable(
            _(
                "Chromium is needed to save PDF reports: install it (apt-get install chromium) "
                "or set CALLQA_CHROMIUM to its path. The HTML report works without it."
            )
        )
    with tempfile.TemporaryDirectory(prefix="callqa-pdf-") as folder:
        source, target = Path(folder) / "report.html", Path(folder) / "report.pdf"
        source.write_text(html, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--virtual-time-budget={RENDER_BUDGET_MS}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with it
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired as error:
            raise PdfUnavailable(_("Chromium took too long to print the report.")) from error
        if not target.is_file() or target.stat().st_size == 0:
            raise PdfUnavailable(_("Chromium could not print the report to PDF."))
        return target.read_bytes()
