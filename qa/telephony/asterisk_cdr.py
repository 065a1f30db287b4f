"""Asterisk call detail records: the `cdr-csv` file, FreePBX/Issabel's CDR table, or its database.

Asterisk's `cdr_csv` writes no header, in a fixed column order (18 columns, 21 with
`newcdrcolumns`); FreePBX and Issabel keep the `asteriskcdrdb.cdr` table, exported with a
header or read directly. Both become `CdrRecord`s; a row that cannot be read is a problem with
its line number and the others go on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from sqlalchemy import create_engine, text

from qa.errors import QAError
from qa.i18n import _, ngettext
from qa.locale_format import join

# Asterisk's cdr_csv.c column order; `newcdrcolumns` appends peeraccount, linkedid, sequence.
CDR_CSV_COLUMNS = (
    "accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp",
    "lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags",
    "uniqueid", "userfield", "peeraccount", "linkedid", "sequence",
)  # fmt: skip
HEADERLESS_WIDTHS = (16, 17, 18, 21)
REQUIRED_FIELDS = ("uniqueid", "duration", "billsec", "disposition")


class CdrError(QAError):
    """The CDR source as a whole cannot be read."""


@dataclass(frozen=True)
class CdrProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("CDR line {line}: {problem}").format(line=self.line, problem=self.message)


@dataclass(frozen=True)
class CdrRecord:
    """One CDR row (one leg of a call): who called whom, when, for how long, how it ended."""

    line: int
    uniqueid: str
    linkedid: str
    start: datetime
    src: str
    dst: str
    dcontext: str
    channel: str
    dstchannel: str
    lastapp: str
    lastdata: str
    duration: float
    billsec: float
    disposition: str
    recordingfile: str
    fields: Mapping[str, str] = field(repr=False)

    @property
    def answered(self) -> bool:
        return self.disposition.upper() == "ANSWERED"


@dataclass
class CdrBatch:
    records: list[CdrRecord] = field(default_factory=list)
    problems: list[CdrProblem] = field(default_factory=list)


def read_cdr_file(path: Path, zone: tzinfo) -> CdrBatch:
    """Rows of a cdr-csv `Master.csv` (no header) or of a CDR table exported with a header.

    Times without a zone are the PBX's local time, `zone`.
    """
    if not path.is_file():
        raise CdrError(_("CDR file not found: {path}").format(path=path))
    content = path.read_bytes().decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(content, newline="")))
    if not rows:
        raise CdrError(_("{path} is empty").format(path=path))
    if "uniqueid" in (cell.strip().lower() for cell in rows[0]):
        header = [cell.strip().lower() for cell in rows[0]]
        return _records(((n + 2, dict(zip(header, r, strict=False))) for n, r in
                         enumerate(rows[1:])), zone)  # fmt: skip
    return _records(_headerless(rows), zone)


def read_cdr_database(url: str, zone: tzinfo, since: datetime | None = None) -> CdrBatch:
    """Rows of the `cdr` table of a FreePBX/Issabel CDR database (any SQLAlchemy URL)."""
    query = "SELECT * FROM cdr" + (" WHERE calldate >= :since" if since else "")
    query += " ORDER BY calldate"
    try:
        engine = create_engine(url)
        with engine.connect() as connection:
            result = connection.execute(text(query), {"since": since} if since else {})
            rows = [{k.lower(): _cell(v) for k, v in m.items()} for m in result.mappings()]
    except Exception as error:  # the driver's own errors vary; the message is what matters
        raise CdrError(
            _("cannot read the CDR table at {url}: {error}").format(url=url, error=error)
        ) from error
    finally:
        engine.dispose()
    return _records(((n + 1, row) for n, row in enumerate(rows)), zone)


def _cell(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else str(value)


def _headerless(rows: list[list[str]]) -> Iterable[tuple[int, dict[str, str]]]:
    for number, row in enumerate(rows, start=1):
        width = len(row)
        if width not in HEADERLESS_WIDTHS:
            problem = ngettext(
                "{width} column; cdr-csv rows have 16, 17, 18 or 21",
                "{width} columns; cdr-csv rows have 16, 17, 18 or 21",
                width,
            ).format(width=width)
            yield number, {"_error": problem}
            continue
        yield number, dict(zip(CDR_CSV_COLUMNS, row, strict=False))


def _records(rows: Iterable[tuple[int, dict[str, str]]], zone: tzinfo) -> CdrBatch:
    batch = CdrBatch()
    for line, row in rows:
        try:
            batch.records.append(_record(line, row, zone))
        except ValueError as error:
            batch.problems.append(CdrProblem(line, str(error)))
    return batch


def _record(line: int, row: dict[str, str], zone: tzinfo) -> CdrRecord:
    if "_error" in row:
        raise ValueError(row["_error"])
    cells = {k: (v or "").strip() for k, v in row.items() if k}
    missing = [name for name in REQUIRED_FIELDS if not cells.get(name)]
    if missing:
        raise ValueError(_("missing {fields}").format(fields=join(missing)))
    return CdrRecord(
        line=line,
        uniqueid=cells["uniqueid"],
        linkedid=cells.get("linkedid") or cells["uniqueid"],
        start=_time(cells.get("start") or cells.get("calldate") or "", zone),
        src=cells.get("src", ""),
        dst=cells.get("dst", ""),
        dcontext=cells.get("dcontext", ""),
        channel=cells.get("channel", ""),
        dstchannel=cells.get("dstchannel", ""),
        lastapp=cells.get("lastapp", ""),
        lastdata=cells.get("lastdata", ""),
        duration=_seconds(cells["duration"], "duration"),
        billsec=_seconds(cells["billsec"], "billsec"),
        disposition=cells["disposition"].upper(),
        recordingfile=cells.get("recordingfile", ""),
        fields=cells,
    )


def _time(value: str, zone: tzinfo) -> datetime:
    if not value:
        raise ValueError(_("missing start time (start or calldate)"))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _("start time {value} is not YYYY-MM-DD HH:MM:SS").format(value=repr(value))
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _seconds(value: str, name: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(
            _("{field} {value} is not a number of seconds").format(field=name, value=repr(value))
        ) from None
    if seconds < 0:
        raise ValueError(_("{field} must not be negative").format(field=name))
    return seconds
