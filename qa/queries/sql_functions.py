"""Date and number functions that SQLite and PostgreSQL spell differently, compiled per dialect."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Integer, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class week_start(FunctionElement[date]):  # noqa: N801 - reads like the SQL function it is
    """The first day (UTC) of the week a timestamp falls in: `week_start(column, first_day)`.

    `first_day` counts like `date.weekday()`: 0 is Monday (ISO weeks), 5 Saturday (Persian
    weeks), 6 Sunday. Computed as the Monday-week of the timestamp moved back by `first_day`
    days, moved forward again by as many.
    """

    type = Date()
    inherit_cache = True
    name = "week_start"

    def __init__(self, timestamp: Any, first_day: int = 0) -> None:
        # Written into the SQL, not bound: PostgreSQL would not see a grouped and a selected
        # week as one expression if each had its own parameter.
        super().__init__(timestamp, literal_column(str(int(first_day) % 7), Integer))


@compiles(week_start, "sqlite")
def _week_start_sqlite(element: week_start, compiler: Any, **kw: Any) -> str:
    timestamp, first_day = (compiler.process(c, **kw) for c in element.clauses)
    # 'weekday 0' moves forward to Sunday (or stays), '-6 days' steps back to that week's Monday.
    return (
        f"date({timestamp}, '-' || ({first_day}) || ' days', 'weekday 0', '-6 days', "
        f"'+' || ({first_day}) || ' days')"
    )


@compiles(week_start, "postgresql")
def _week_start_postgresql(element: week_start, compiler: Any, **kw: Any) -> str:
    timestamp, first_day = (compiler.process(c, **kw) for c in element.clauses)
    shifted = f"({timestamp} AT TIME ZONE 'UTC') - make_interval(days => {first_day})"
    return f"CAST(date_trunc('week', {shifted}) + make_interval(days => {first_day}) AS DATE)"


class floor_int(FunctionElement[int]):  # noqa: N801
    """Round down to an integer (SQLite's CAST truncates, PostgreSQL's rounds)."""

    type = Integer()
    inherit_cache = True
    name = "floor_int"


@compiles(floor_int, "sqlite")
def _floor_int_sqlite(element: floor_int, compiler: Any, **kw: Any) -> str:
    # Only used on non-negative values, where truncation is the floor.
    return f"CAST({compiler.process(element.clauses, **kw)} AS INTEGER)"


@compiles(floor_int, "postgresql")
def _floor_int_postgresql(element: floor_int, compiler: Any, **kw: Any) -> str:
    return f"CAST(floor({compiler.process(element.clauses, **kw)}) AS INTEGER)"


def as_date(value: date | datetime | str) -> date:
    """SQLite hands back dates as ISO strings; PostgreSQL as dates."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])
