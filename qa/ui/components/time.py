"""Dates and times as the user reads them: their browser's time zone and locale.

Streamlit reports the browser's IANA time zone and language (`st.context.timezone`,
`st.context.locale`); Babel formats for that locale. When either is unknown (AppTest, the
very first script run) times are shown in UTC in one fixed format, and the zone is always
printed so a reader is never left guessing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st
from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time

DATETIME_FORMAT = "%d %b %Y, %H:%M %Z"
DATE_FORMAT = "%d %b %Y"


def _context(name: str) -> str | None:
    try:
        value = getattr(st.context, name)
    except Exception:  # noqa: BLE001 - outside a browser session there is no context
        return None
    return value if isinstance(value, str) and value else None


def user_timezone() -> tzinfo:
    name = _context("timezone")
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def user_locale() -> Locale | None:
    """The browser's locale (e.g. en-US, fa-IR), or None when the browser has not said."""
    tag = _context("locale")
    if not tag:
        return None
    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return None


def format_datetime(value: datetime | None) -> str:
    """E.g. '23 Nov 2026, 16:40 CET' (en-GB) or 'Nov 23, 2026, 4:40 PM CET' (en-US).

    Naive values are taken as UTC (SQLite drops the zone).
    """
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(user_timezone())
    locale = user_locale()
    if locale is None:
        return local.strftime(DATETIME_FORMAT)
    day = babel_date(local.date(), "medium", locale=locale)
    clock = babel_time(local.time(), "short", locale=locale)
    return f"{day}, {clock} {local.strftime('%Z')}"


def format_date(value: date | None) -> str:
    if value is None:
        return "—"
    locale = user_locale()
    return value.strftime(DATE_FORMAT) if locale is None else babel_date(value, "medium", locale)


def date_input_format() -> str:
    """The st.date_input format closest to the user's locale (day, month or year first)."""
    locale = user_locale()
    if locale is None:
        return "YYYY-MM-DD"
    pattern = locale.date_formats["short"].pattern.lower()
    order = sorted("dmy", key=lambda part: pattern.find(part) if part in pattern else 9)
    formats = {"dmy": "DD/MM/YYYY", "mdy": "MM/DD/YYYY"}
    return formats.get("".join(order), "YYYY/MM/DD")


def picked_date_range(value: object) -> tuple[date | None, date | None]:
    """st.date_input gives one date, a one- or two-date tuple while picking, or nothing."""
    if isinstance(value, date):
        return value, value
    if isinstance(value, tuple | list) and value:
        return value[0], value[-1]
    return None, None


def format_clock(seconds: float | None) -> str:
    """A position in a recording as m:ss (or h:mm:ss for long calls)."""
    if seconds is None:
        return "—"
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def clock(seconds: float) -> str:
    """A moment of a recording as m:ss."""
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"
