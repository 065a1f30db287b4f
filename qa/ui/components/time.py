"""Dates and times as the user reads and types them: their time zone, language and calendar.

Streamlit reports the browser's IANA time zone (`st.context.timezone`); the language, and with
it the calendar and digits, is the signed-in user's (`qa.locale_format`). When the zone is
unknown (AppTest, the very first script run) times are shown in UTC, and the zone is always
printed so a reader is never left guessing. Date inputs show and accept the user's calendar:
Streamlit's picker is Gregorian only, so Jalali dates are typed as year/month/day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from languages import Calendar, Language
from qa import locale_format
from qa.i18n import _, current_language


def _context(name: str) -> str | None:
    try:
        value = getattr(st.context, name)
    except Exception:  # noqa: BLE001 - outside a browser session there is no context
        return None
    return value if isinstance(value, str) and value else None


def browser_language() -> str | None:
    """The primary language the browser asks for (e.g. 'fa' of fa-IR), or None."""
    tag = _context("locale")
    return tag.split("-")[0].split("_")[0].lower() if tag else None


def user_timezone() -> tzinfo:
    name = _context("timezone")
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def reading_language() -> Language:
    """The user's language, with the browser's regional formats when it asks for the same one
    (an en-US browser writes English dates month first, an en-GB one day first)."""
    language = current_language()
    tag = _context("locale")
    if tag and browser_language() == language.code:
        return replace(language, locale=tag.replace("-", "_"))
    return language


def format_datetime(value: datetime | None) -> str:
    """E.g. '23 Nov 2026, 16:40 CET', '23 нояб. 2026 г., 16:40 CET', '۲ آذر ۱۴۰۵، ۱۶:۴۰ CET'.

    Naive values are taken as UTC (SQLite drops the zone).
    """
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(user_timezone())
    return locale_format.format_datetime(local, local.strftime("%Z"), reading_language())


def format_date(value: date | None) -> str:
    return locale_format.format_date(value, reading_language())


def date_input_format() -> str:
    """The st.date_input format closest to the language's own (day, month or year first)."""
    from babel import Locale

    pattern = Locale.parse(reading_language().locale).date_formats["short"].pattern.lower()
    order = sorted("dmy", key=lambda part: pattern.find(part) if part in pattern else 9)
    separator = next((mark for mark in "./-" if mark in pattern), "/")
    parts = {"d": "DD", "m": "MM", "y": "YYYY"}
    return separator.join(parts[part] for part in order)


def picked_date_range(value: object) -> tuple[date | None, date | None]:
    """st.date_input gives one date, a one- or two-date tuple while picking, or nothing."""
    if isinstance(value, date):
        return value, value
    if isinstance(value, tuple | list) and value:
        return value[0], value[-1]
    return None, None


def _typed_date(label: str, value: date | None, key: str, container: object) -> date | None:
    """A Jalali date typed as year/month/day (Persian or Latin digits), checked as it is read."""
    example = locale_format.date_text(date.today())
    text = container.text_input(  # type: ignore[attr-defined]
        label,
        value=locale_format.date_text(value) if value else "",
        placeholder=example,
        key=key,
        help=_("Year/month/day, e.g. {example}").format(example=example),
    )
    if not text.strip():
        return None
    try:
        return locale_format.parse_date(text)
    except locale_format.DateNotUnderstood:
        container.error(  # type: ignore[attr-defined]
            _("“{text}” is not a date; type year/month/day, e.g. {example}.").format(
                text=text, example=example
            )
        )
        return None


def date_field(label: str, value: date | None, key: str, container: object = st) -> date | None:
    """One date in the user's calendar; None when left empty."""
    if current_language().calendar is Calendar.jalali:
        return _typed_date(label, value, key, container)
    picked = container.date_input(  # type: ignore[attr-defined]
        label, value=value, format=date_input_format(), key=key
    )
    return picked if isinstance(picked, date) else None


def date_field_state(value: date | None) -> object:
    """What a `date_field`'s key holds for `value`: typed text for Jalali, else the date."""
    if current_language().calendar is Calendar.jalali:
        return locale_format.date_text(value) if value else ""
    return value


def date_range_field(
    label: str, key: str, container: object = st
) -> tuple[date | None, date | None]:
    """A from-to range of dates in the user's calendar (either end may be left open)."""
    if current_language().calendar is Calendar.jalali:
        box = container.container()  # type: ignore[attr-defined]
        start_column, end_column = box.columns(2)
        start = _typed_date(
            _("{label}: from").format(label=label), None, f"{key}-from", start_column
        )
        end = _typed_date(_("{label}: to").format(label=label), None, f"{key}-to", end_column)
        return start, end
    dates = container.date_input(  # type: ignore[attr-defined]
        label, value=[], format=date_input_format(), key=key
    )
    return picked_date_range(dates)


def format_clock(seconds: float | None) -> str:
    """A position in a recording as m:ss (or h:mm:ss for long calls)."""
    if seconds is None:
        return "—"
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return locale_format.digits(text)


def clock(seconds: float) -> str:
    """A moment of a recording as m:ss."""
    return locale_format.digits(f"{int(seconds) // 60}:{int(seconds) % 60:02d}")
