"""The manifest CSV that comes with a batch of recordings: one validated row per call.

Columns (header required, order free): call_id, audio_file, agent_id, agent_name, client,
team, started_at, direction, queue, ring_seconds, wait_seconds, handle_seconds,
customer_feedback, customer_consent, agent_consent, language, agent_channel, customer_id.
Required: call_id, audio_file, client, started_at, customer_consent, agent_consent.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import charset_normalizer
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from qa.errors import QAError
from qa.i18n import _, ngettext
from qa.invalid_input import describe_invalid
from qa.locale_format import join
from qa.telephony.recording_legs import leg_of

COLUMNS = (
    "call_id",
    "audio_file",
    "agent_id",
    "agent_name",
    "client",
    "team",
    "started_at",
    "direction",
    "queue",
    "ring_seconds",
    "wait_seconds",
    "handle_seconds",
    "customer_feedback",
    "customer_consent",
    "agent_consent",
    "language",
    "agent_channel",
    "customer_id",
)
# Single-byte code pages Excel writes CSV in on Windows, read when detected.
EXCEL_CODE_PAGES = frozenset(f"cp125{n}" for n in range(9))
REQUIRED_COLUMNS = (
    "call_id",
    "audio_file",
    "client",
    "started_at",
    "customer_consent",
    "agent_consent",
)


class ManifestError(QAError):
    """The manifest as a whole cannot be read (missing file, no header, missing columns)."""


class ManifestRow(BaseModel):
    """One call as the contact center's telephony export describes it."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    call_id: str
    audio_file: str
    client: str
    started_at: datetime
    customer_consent: bool
    agent_consent: bool
    agent_id: str | None = None
    agent_name: str | None = None
    team: str | None = None
    direction: Literal["inbound", "outbound"] = "inbound"
    queue: str | None = None
    ring_seconds: float | None = None
    wait_seconds: float | None = None
    handle_seconds: float | None = None
    customer_feedback: float | None = None
    language: str | None = None
    agent_channel: Literal["left", "right"] = "left"
    # The customer's phone or ID: only its keyed hash is stored, for `qa erase --customer`.
    customer_id: str | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_missing(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("call_id", "audio_file", "client")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value:
            raise ValueError(_("must not be empty"))
        return value

    @field_validator("started_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        # A time without a zone is taken as UTC, the zone the platform stores.
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    @field_validator("direction", "agent_channel", "language", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("ring_seconds", "wait_seconds", "handle_seconds", "customer_feedback")
    @classmethod
    def _not_negative(cls, value: float | None) -> float | None:
        if value is not None and value < 0:
            raise ValueError(_("must not be negative"))
        return value

    @property
    def consent_given(self) -> bool:
        """Both the customer and the agent agreed to the recording being analysed."""
        return self.customer_consent and self.agent_consent


@dataclass(frozen=True)
class RowProblem:
    """A manifest row that was skipped, with the line it is on in the file (header is line 1)."""

    line: int
    call_id: str | None
    message: str

    def __str__(self) -> str:
        if self.call_id:
            return _("line {line} ({call}): {problem}").format(
                line=self.line, call=self.call_id, problem=self.message
            )
        return _("line {line}: {problem}").format(line=self.line, problem=self.message)


@dataclass(frozen=True)
class ParsedManifest:
    rows: list[tuple[int, ManifestRow]]
    problems: list[RowProblem]


def read_manifest(path: Path) -> ParsedManifest:
    """Every valid row with its line number; invalid rows become problems, the rest go on."""
    if not path.is_file():
        raise ManifestError(_("manifest not found: {path}").format(path=path))
    with io.StringIO(_decoded_text(path), newline="") as handle:
        reader = csv.DictReader(handle)
        _check_header(path, reader.fieldnames)
        rows: list[tuple[int, ManifestRow]] = []
        problems: list[RowProblem] = []
        seen: dict[str, tuple[int, ManifestRow]] = {}
        for record in reader:
            line = reader.line_num
            call_id = (record.get("call_id") or "").strip() or None
            try:
                row = ManifestRow.model_validate(record)
            except ValidationError as error:
                problems.append(RowProblem(line, call_id, describe_invalid(error)))
                continue
            if row.call_id in seen:
                first_line, first = seen[row.call_id]
                if not _other_leg(first, row):
                    problems.append(
                        RowProblem(
                            line,
                            call_id,
                            _("call_id repeats line {line}").format(line=first_line),
                        )
                    )
                continue
            seen[row.call_id] = line, row
            rows.append((line, row))
    return ParsedManifest(rows, problems)


def _other_leg(first: ManifestRow, repeat: ManifestRow) -> bool:
    """A call recorded as two legs may take a row per leg: the first row stands for both, since
    ingest finds a row's recording by either leg and merges the two."""
    paths = [PurePosixPath(r.audio_file.replace("\\", "/")) for r in (first, repeat)]
    legs = [leg_of(path) for path in paths]
    if legs[0] is None or legs[1] is None:
        return False
    same_call = paths[0].parent == paths[1].parent and legs[0][0] == legs[1][0]
    return same_call and legs[0][1] != legs[1][1]


def _decoded_text(path: Path) -> str:
    """The manifest's text: UTF-8 (with or without a BOM), or the Windows code page Excel
    saved it in (Cyrillic cp1251, Arabic/Persian cp1256...) when that can be told reliably."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    guess = charset_normalizer.from_bytes(raw).best()
    encoding = guess.encoding if guess is not None else None
    if encoding in EXCEL_CODE_PAGES:
        return raw.decode(encoding)
    raise ManifestError(
        _(
            "{path} is not UTF-8 text (it looks like {encoding}); save it as UTF-8 "
            "(in Excel: CSV UTF-8) and ingest again"
        ).format(path=path, encoding=encoding or _("an unknown encoding"))
    )


def _check_header(path: Path, fieldnames: Any) -> None:
    if not fieldnames:
        raise ManifestError(
            _("{path} is empty: expected a header with {columns}").format(
                path=path, columns=join(list(COLUMNS))
            )
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in fieldnames]
    if missing:
        raise ManifestError(
            ngettext(
                "{path} lacks the column {columns}",
                "{path} lacks the columns {columns}",
                len(missing),
            ).format(path=path, columns=join(missing))
        )
