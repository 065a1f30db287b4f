"""Dates and numbers as each language writes them: calendar, digits, month names, week start.

What a language uses comes from the registry (`languages/registry.yaml`): Persian readers get
Solar Hijri (Jalali) dates with Persian digits and weeks from Saturday, Russian readers Babel's
Russian formats and weeks from Monday. Every function takes the language explicitly or uses the
current one (`qa.i18n`), so pages, charts and the monthly report write a date the same way.
Storage and queries stay Gregorian and UTC; only what a person reads or types is converted.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache, reduce

import jdatetime
from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.dates import get_day_names

from languages import Calendar, Digits, Language
from qa.i18n import current_language, ngettext

_DIGITS = {
    Digits.latin: "0123456789",
    Digits.persian: "۰۱۲۳۴۵۶۷۸۹",
    Digits.arabic: "٠١٢٣٤٥٦٧٨٩",
}
# Any digit a user may type, mapped back to 0-9 (keyboards differ in which they give).
_TO_LATIN = str.maketrans(
    "".join(_DIGITS[Digits.persian] + _DIGITS[Digits.arabic]), "0123456789" * 2
)
_JALALI_MONTHS = jdatetime.date.j_months_fa


def _language(language: Language | None) -> Language:
    return language if language is not None else current_language()


def digits(text: str, language: Language | None = None) -> str:
    """`text` with 0-9 written in the language's digits (ids and codes are better left alone)."""
    table = str.maketrans("0123456789", _DIGITS[_language(language).digits])
    return text.translate(table)


def _decimal_mark(language: Language) -> str:
    """The language's own decimal mark: '.' in English, ',' in Russian, '٫' in Persian."""
    if language.digits is not Digits.latin:
        return "٫"
    return _latin_decimal_mark(language.locale)


@lru_cache(maxsize=32)
def _latin_decimal_mark(locale: str) -> str:
    return str(Locale.parse(locale).number_symbols["latn"]["decimal"])


def number(value: float, decimals: int = 0, language: Language | None = None) -> str:
    """'82.5', '82,5', '۸۲٫۵' (Russian writes a decimal comma, Persian the mark ٫)."""
    return numerals(f"{value:.{decimals}f}", language)


def numerals(formatted: str, language: Language | None = None) -> str:
    """A number Python formatted ('82.5', '+0.25') in the language's digits and decimal mark."""
    language = _language(language)
    return digits(formatted, language).replace(".", _decimal_mark(language))


def percent(value: float | None, decimals: int = 0, language: Language | None = None) -> str:
    """A share 0..1 as a percentage ('53%', '۵۳٪'); an em dash when unknown."""
    if value is None:
        return "—"
    language = _language(language)
    sign = "٪" if language.digits is not Digits.latin else "%"
    return number(100 * value, decimals, language) + sign


def format_date(value: date | None, language: Language | None = None) -> str:
    """'۷ آذر ۱۴۰۵', '28 нояб. 2026 г.', '28 Nov 2026'."""
    if value is None:
        return "—"
    language = _language(language)
    if language.calendar is Calendar.jalali:
        day = jdatetime.date.fromgregorian(date=value)
        return digits(f"{day.day} {_JALALI_MONTHS[day.month - 1]} {day.year}", language)
    return digits(babel_date(value, "medium", locale=language.locale), language)


def format_month(value: date, language: Language | None = None) -> str:
    """The month `value` falls in, in the language's calendar: 'آذر ۱۴۰۵', 'ноябрь 2026'."""
    language = _language(language)
    if language.calendar is Calendar.jalali:
        day = jdatetime.date.fromgregorian(date=value)
        return digits(f"{_JALALI_MONTHS[day.month - 1]} {day.year}", language)
    return babel_date(value, "LLLL y", locale=language.locale)


def format_time(value: time, language: Language | None = None) -> str:
    language = _language(language)
    return digits(babel_time(value, "short", locale=language.locale), language)


def format_datetime(value: datetime, zone_name: str, language: Language | None = None) -> str:
    """A local date and time with its zone: '۷ آذر ۱۴۰۵، ۱۶:۴۰ UTC'."""
    language = _language(language)
    separator = "، " if language.digits is Digits.persian else ", "
    clock = format_time(value.time(), language)
    return f"{format_date(value.date(), language)}{separator}{clock} {zone_name}"


def week_start_day(language: Language | None = None) -> int:
    """The weekday weeks start on (Monday is 0, Saturday 5), as `date.weekday()` counts."""
    return _language(language).week_start.number


def first_day_of_week(value: date, language: Language | None = None) -> date:
    return value - timedelta(days=(value.weekday() - week_start_day(language)) % 7)


def weekday_name(day: int, language: Language | None = None) -> str:
    """The name of a weekday (Monday is 0) in the language: 'суббота', 'شنبه'."""
    language = _language(language)
    return str(get_day_names("wide", locale=language.locale)[day])


class DateNotUnderstood(ValueError):
    """Typed text that is no date of the user's calendar; the message says what to type."""


_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*$")


def parse_date(text: str, language: Language | None = None) -> date:
    """A date typed as year/month/day in the language's calendar, in any digits.

    '۱۴۰۵/۰۹/۰۷' and '1405-9-7' are 28 November 2026 for a Persian user; '2026-11-28' for others.
    """
    language = _language(language)
    match = _DATE_TEXT.match(text.translate(_TO_LATIN))
    if match is None:
        raise DateNotUnderstood(text)
    year, month, day = (int(part) for part in match.groups())
    try:
        if language.calendar is Calendar.jalali:
            return jdatetime.date(year, month, day).togregorian()
        return date(year, month, day)
    except ValueError:
        raise DateNotUnderstood(text) from None


def date_text(value: date, language: Language | None = None) -> str:
    """A date as `parse_date` reads it back: '۱۴۰۵/۰۹/۰۷', '2026-11-28'."""
    language = _language(language)
    if language.calendar is Calendar.jalali:
        day = jdatetime.date.fromgregorian(date=value)
        return digits(f"{day.year:04d}/{day.month:02d}/{day.day:02d}", language)
    return digits(value.isoformat(), language)


def month_start(value: date, language: Language | None = None) -> date:
    """The first (Gregorian) day of the month `value` falls in, in the language's calendar."""
    if _language(language).calendar is Calendar.jalali:
        day = jdatetime.date.fromgregorian(date=value)
        return jdatetime.date(day.year, day.month, 1).togregorian()
    return value.replace(day=1)


def month_range(value: date, language: Language | None = None) -> tuple[date, date]:
    """The first and last day of the month `value` falls in, in the language's calendar."""
    first = month_start(value, language)
    following = month_start(first + timedelta(days=32), language)
    return first, following - timedelta(days=1)


def change_in_points(change: float, language: Language | None = None) -> str:
    """A score change with its sign: '+12 points', '−3 балла'."""
    rounded = round(change)
    text = ngettext("{change} point", "{change} points", abs(rounded))
    return text.format(change=digits(f"{rounded:+d}", language))


def join(items: list[str], language: Language | None = None) -> str:
    """Items separated as the language separates them: 'a, b, c' or 'a، b، c'."""
    middle = Locale.parse(_language(language).locale).list_patterns["standard"]["middle"]
    return reduce(middle.format, items) if items else ""
