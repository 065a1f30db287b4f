"""Asterisk call detail records: cdr-csv Master.csv, a FreePBX CDR export, a CDR table.

Asterisk's cdr_csv writes no header and a fixed column order; FreePBX's `cdr` table (exported
to CSV or read from its database) names its columns. Both become one `CdrRecord`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Literal

from sqlalchemy import create_engine, text

from qa.errors import QAError

# cdr_csv's order (Asterisk's "CDR Fields" page); uniqueid and userfield are optional at the end.
CDR_CSV_COLUMNS = (
    "accountcode",
    "src",
    "dst",
    "dcontext",
    "clid",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "start",
    "answer",
    "end",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
    "uniqueid",
    "userfield",
)
MINIMUM_CDR_CSV_COLUMNS = 16
# Contexts where FreePBX/Issabel route the calls their own phones place.
OUTBOUND_CONTEXTS = ("from-internal", "outbound-allroutes", "macro-dialout-trunk")


class CdrError(QAError):
    """The CDR source as a whole cannot be read."""


class Disposition(StrEnum):
    answered = "ANSWERED"
    no_answer = "NO ANSWER"
    busy = "BUSY"
    failed = "FAILED"
    congestion = "CONGESTION"


@dataclass(frozen=True)
class CdrProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class CdrRecord:
    """One CDR row, its fields as Asterisk names them; everything else stays in `extra`."""

    uniqueid: str
    src: str
    dst: str
    dcontext: str
    channel: str
    dstchannel: str
    lastapp: str
    lastdata: str
    started_at: datetime
    duration: float
    billsec: float
    disposition: Disposition
    recordingfile: str
    fields: Mapping[str, str]

    @property
    def answered(self) -> bool:
        return self.disposition is Disposition.answered

    @property
    def direction(self) -> Literal["inbound", "outbound"]:
        return "outbound" if self.dcontext in OUTBOUND_CONTEXTS else "inbound"

    @property
    def queue(self) -> str | None:
        """The queue for calls that ended in Queue(): its first argument."""
        if self.lastapp.lower() != "queue":
            return None
        return self.lastdata.split(",")[0].strip() or None

    @property
    def agent_extension(self) -> str | None:
        """The agent's phone: the callee's channel inbound, the caller's outbound."""
        channel = self.channel if self.direction == "outbound" else self.dstchannel
        return extension_of(channel)


def extension_of(channel: str) -> str | None:
    """`PJSIP/201-0000001a` or `Local/201@from-queue-0001;1` -> `201`."""
    if "/" not in channel:
        return None
    name = channel.split("/", 1)[1]
    for separator in ("@", "-", ";"):
        name = name.split(separator, 1)[0]
    return name or None


@dataclass(frozen=True)
class ParsedCdr:
    records: list[tuple[int, CdrRecord]]
    problems: list[CdrProblem]


def read_cdr_csv(path: Path) -> ParsedCdr:
    """Master.csv (no header) or a FreePBX export (a header naming `calldate`/`uniqueid`)."""
    if not path.is_file():
        raise CdrError(f"CDR file not found: {path}")
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        return ParsedCdr([], [])
    header = [c.strip().lower() for c in rows[0]]
    if "uniqueid" in header and ("calldate" in header or "start" in header):
        named = (
            (line, dict(zip(header, row, strict=False))) for line, row in _numbered(rows[1:], 2)
        )
        return parse_records(named)
    return parse_records(_positional(rows))


def read_cdr_database(url: str, table: str = "cdr") -> ParsedCdr:
    """Rows of the FreePBX/Issabel `cdr` table (asteriskcdrdb) given its SQLAlchemy URL."""
    if not table.isidentifier():
        raise CdrError(f"not a table name: {table!r}")
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            result = connection.execute(text(f"SELECT * FROM {table} ORDER BY calldate"))  # noqa: S608
            rows = [
                {k: "" if v is None else str(v) for k, v in row._mapping.items()} for row in result
            ]
    finally:
        engine.dispose()
    return parse_records(enumerate(rows, start=1))


def _numbered(rows: list[list[str]], first: int) -> Iterator[tuple[int, list[str]]]:
    return ((first + i, row) for i, row in enumerate(rows))


def _positional(rows: list[list[str]]) -> Iterator[tuple[int, dict[str, str] | str]]:
    for line, row in _numbered(rows, 1):
        if len(row) < MINIMUM_CDR_CSV_COLUMNS:
            yield line, f"{len(row)} columns, cdr-csv has at least {MINIMUM_CDR_CSV_COLUMNS}"
            continue
        yield line, dict(zip(CDR_CSV_COLUMNS, row, strict=False))


def parse_records(rows: Iterable[tuple[int, dict[str, str] | str]]) -> ParsedCdr:
    records: list[tuple[int, CdrRecord]] = []
    problems: list[CdrProblem] = []
    for line, row in rows:
        if isinstance(row, str):
            problems.append(CdrProblem(line, row))
            continue
        try:
            records.append((line, _record(row)))
        except (ValueError, KeyError) as error:
            problems.append(CdrProblem(line, str(error)))
    return ParsedCdr(records, problems)


def _record(row: Mapping[str, str]) -> CdrRecord:
    field = {k: (v or "").strip() for k, v in row.items() if k}
    uniqueid = field.get("uniqueid", "")
    if not uniqueid:
        raise ValueError("no uniqueid")
    disposition = field.get("disposition", "").upper()
    try:
        outcome = Disposition(disposition)
    except ValueError:
        raise ValueError(f"unknown disposition {disposition!r}") from None
    return CdrRecord(
        uniqueid=uniqueid,
        src=field.get("src", ""),
        dst=field.get("dst", ""),
        dcontext=field.get("dcontext", ""),
        channel=field.get("channel", ""),
        dstchannel=field.get("dstchannel", ""),
        lastapp=field.get("lastapp", ""),
        lastdata=field.get("lastdata", ""),
        started_at=_time(field.get("start") or field.get("calldate") or ""),
        duration=_seconds(field, "duration"),
        billsec=_seconds(field, "billsec"),
        disposition=outcome,
        recordingfile=field.get("recordingfile", ""),
        fields=field,
    )


def _time(value: str) -> datetime:
    """CDR times are the PBX's 'YYYY-MM-DD HH:MM:SS'; taken as UTC like the manifest's."""
    if not value:
        raise ValueError("no start time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"start time {value!r} is not YYYY-MM-DD HH:MM:SS") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _seconds(field: Mapping[str, str], name: str) -> float:
    raw = field.get(name, "")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} {raw!r} is not a number of seconds") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value
