"""The monthly client report in print: light, legible charts with distinct series, as PDF.

The PDF is printed by the real Chromium and read back with PDFium: its text (chart titles, axis
labels, legend entries, whole criterion names) and its pixels (a white page, not dark charts).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from qa.queries.dashboard import TrendPoint
from qa.reports.charts import print_ready, trend_figure
from tests.qa.conftest import run_cli
from tests.ui.seed import Seeded, seed

A4_POINTS = (595, 842)


@pytest.fixture
def data(tmp_path: Path) -> Seeded:
    from qa.storage.migrate import upgrade_to_head

    url = f"sqlite:///{tmp_path / 'callqa.sqlite3'}"  # the rendering is the same on both DBs
    upgrade_to_head(url)
    return seed(url, tmp_path / "audio", extra_calls_per_agent=3)


def test_team_lines_differ_in_colour_dash_and_marker_even_when_their_scores_coincide() -> None:
    from datetime import date

    points = [
        TrendPoint(week=date(2026, 11, 2), group_id=team, group_name=name, average_score=80.0,
                   pass_rate=0.5, evaluations=2)
        for team, name in ((1, "Moscow Desk"), (2, "Tehran Support"))
    ]  # fmt: skip
    figure = print_ready(trend_figure(points, "Team"))
    lines = [trace.line for trace in figure.data]
    assert len({line.color for line in lines}) == 2
    assert len({line.dash for line in lines}) == 2
    assert len({trace.marker.symbol for trace in figure.data}) == 2
    assert figure.layout.template.layout.paper_bgcolor == "white"
    assert figure.layout.paper_bgcolor == "white" and figure.layout.plot_bgcolor == "white"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium prints the PDF")
def test_the_report_command_saves_a_readable_a4_pdf(data: Seeded, tmp_path: Path) -> None:
    out = tmp_path / "acme.pdf"
    done = run_cli(
        "report", "--client", "Acme Bank", "--month", "2026-11", "--out", str(out),
        home=tmp_path, database_url=data.url,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    document = pdfium.PdfDocument(out)
    pages = [document[i] for i in range(len(document))]
    assert 1 <= len(pages) <= 4
    assert all(tuple(round(v) for v in page.get_size()) == A4_POINTS for page in pages)
    text = " ".join(page.get_textpage().get_text_range() for page in pages)
    words = " ".join(text.split())
    for expected in (
        "Acme Bank", "Score trend per team", "Average score", "Week", "Moscow Desk",
        "Tehran Support", "Criterion failure rates", "Failure rate (%)",
        "No rude language (politeness)", "Customer sentiment (politeness)", "Score distribution",
    ):  # fmt: skip
        assert expected in words, expected
    for page in pages:
        image = page.render(scale=1).to_pil().convert("L")
        histogram = image.histogram()
        total = sum(histogram)
        white = sum(histogram[245:]) / total
        dark = sum(histogram[:60]) / total
        assert white > 0.75, "a light page"
        assert dark < 0.05, "no dark chart backgrounds"
