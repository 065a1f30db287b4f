"""Dates and times as the user reads them: in their browser's time zone, one readable format.

Streamlit reports the browser's IANA time zone (`st.context.timezone`); when it is unknown
(tests, the first script run) times are shown in UTC, and the zone is always printed so a
reader is never left guessing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

DATETIME_FORMAT = "%d %b %Y, %H:%M %Z"
DATE_FORMAT = "%d %b %Y"


def user_timezone() -> tzinfo:
    name = None
    try:
        name = st.context.timezone
    except Exception:  # noqa: BLE001 - outside a browser session there is no context
        name = None
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def format_datetime(value: datetime | None) -> str:
    """E.g. '23 Nov 2026, 16:40 CET'; naive values are taken as UTC (SQLite drops the zone)."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(user_timezone()).strftime(DATETIME_FORMAT)


def format_date(value: date | None) -> str:
    return "—" if value is None else value.strftime(DATE_FORMAT)


def format_clock(seconds: float | None) -> str:
    """A position in a recording as m:ss (or h:mm:ss for long calls)."""
    if seconds is None:
        return "—"
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
