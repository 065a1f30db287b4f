"""Dates and numbers as each language writes them, and the monthly report in the reader's language.

Persian: Solar Hijri dates, Persian digits and decimal mark, weeks from Saturday, Jalali dates
typed in any digits. Russian: Babel's formats and three plural forms.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from languages import get
from qa import locale_format as lf
from qa.i18n import language
from qa.reports.monthly import build_monthly_report, monthly_report_html
from qa.storage.db import session_scope
from tests.ui.seed import seed
from tests.ui.seed import viewer_named as viewer

FA, RU, EN = get("fa"), get("ru"), get("en")
NOV_28 = date(2026, 11, 28)  # 7 Azar 1405, a Saturday


def test_dates_in_each_calendar_and_digits() -> None:
    assert lf.format_date(NOV_28, FA) == "۷ آذر ۱۴۰۵"
    assert lf.format_date(NOV_28, RU).replace("\u202f", " ") == "28 нояб. 2026 г."
    assert lf.format_date(NOV_28, EN) == "28 Nov 2026"
    assert lf.format_month(NOV_28, FA) == "آذر ۱۴۰۵"
    assert lf.format_month(NOV_28, RU) == "ноябрь 2026"
    assert lf.number(82.5, 1, FA) == "۸۲٫۵" and lf.percent(0.825, 1, FA) == "۸۲٫۵٪"
    assert lf.percent(0.825, 1, RU) == "82,5%" and lf.percent(None, 0, FA) == "—"


@pytest.mark.parametrize("typed", ["۱۴۰۵/۰۹/۰۷", "1405-9-7", "١٤٠٥.٠٩.٠٧", " 1405 / 09 / 07 "])
def test_a_jalali_date_is_read_in_any_digits(typed: str) -> None:
    assert lf.parse_date(typed, FA) == NOV_28


def test_typed_dates_round_trip_and_nonsense_is_refused() -> None:
    assert lf.date_text(NOV_28, FA) == "۱۴۰۵/۰۹/۰۷"
    assert lf.parse_date(lf.date_text(NOV_28, RU), RU) == NOV_28
    for nonsense in ("1405/13/01", "yesterday", "1405/12/31"):  # 1405 is not a leap year
        with pytest.raises(lf.DateNotUnderstood):
            lf.parse_date(nonsense, FA)
    assert lf.parse_date("1403/12/30", FA) == date(2025, 3, 20)  # 1403 is


def test_weeks_start_on_saturday_in_persian_and_monday_in_russian() -> None:
    friday = date(2026, 11, 27)
    assert lf.first_day_of_week(friday, FA) == date(2026, 11, 21)
    assert lf.first_day_of_week(friday, RU) == date(2026, 11, 23)
    assert lf.first_day_of_week(NOV_28, FA) == NOV_28
    assert lf.weekday_name(lf.week_start_day(FA), FA) == "شنبه"
    assert lf.weekday_name(lf.week_start_day(RU), RU) == "понедельник"


def test_a_persian_month_is_a_solar_hijri_month() -> None:
    assert lf.month_range(NOV_28, FA) == (date(2026, 11, 22), date(2026, 12, 21))  # Azar
    assert lf.month_range(NOV_28, RU) == (date(2026, 11, 1), date(2026, 11, 30))


def test_russian_counts_take_three_forms() -> None:
    with language("ru"):
        assert [lf.change_in_points(n) for n in (1, -3, 12)] == [
            "+1 балл",
            "-3 балла",
            "+12 баллов",
        ]


def test_the_monthly_report_is_written_in_the_readers_language(
    database_url: str, tmp_path: Path
) -> None:
    data = seed(database_url, tmp_path / "audio")
    with language("fa"), session_scope(data.url) as session:
        report = build_monthly_report(
            session, viewer(data.url, "globex"), data.clients["Globex"], date(2026, 11, 17)
        )
        persian = monthly_report_html(report)
    # 17 November is in Aban 1405 (23 October - 21 November): the seed's calls are all in it.
    assert report.month == date(2026, 10, 23) and report.tiles.evaluations == 2
    assert '<html lang="fa" dir="rtl">' in persian and "Vazirmatn" in persian
    assert "گزارش کیفیت تماس‌ها برای آبان ۱۴۰۵" in persian and "مهر ۱۴۰۵" in persian
    assert "<td>میانگین امتیاز</td><td class='number'>۹۰٫۰</td>" in persian
    # The trend chart's title, as Plotly writes it into the page's JSON.
    assert json.dumps("آغاز هفته: شنبه")[1:-1] in persian
    with language("ru"), session_scope(data.url) as session:
        report = build_monthly_report(
            session, viewer(data.url, "globex"), data.clients["Globex"], date(2026, 11, 17)
        )
        russian = monthly_report_html(report)
    assert '<html lang="ru" dir="ltr">' in russian and "ноябрь 2026" in russian
    assert "<td>Средний балл</td><td class='number'>90,0</td>" in russian


@pytest.mark.parametrize(
    ("code", "tick"), [("fa", "۷ آذر ۱۴۰۵"), ("ru", "28 нояб. 2026 г."), ("en", None)]
)
def test_date_axes_are_labelled_as_the_reader_writes_dates(code: str, tick: str | None) -> None:
    """Plotly writes English Gregorian dates; other readers get their own on the ticks."""
    from datetime import datetime

    import plotly.graph_objects as go

    from qa.reports.chart_language import in_reading_language

    with language(code):
        figure = in_reading_language(go.Figure(go.Scatter(x=[datetime(2026, 11, 28, 9)], y=[1])))
    shown = figure.layout.xaxis.ticktext
    assert (None if shown is None else shown[0].replace("\u202f", " ")) == tick
