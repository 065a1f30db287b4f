"""JSON records as cloud contact centers export them: an array, an API page that wraps the
array (`{"calls": [...]}`), one object a line, or objects written back to back (Kinesis
Firehose delivers Amazon Connect CTRs to S3 that way, with no separator).

A record that is not a JSON object, or text that is not JSON, is a problem with its position;
the records before and after it are still read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from qa.errors import QAError
from qa.i18n import _


@dataclass
class JsonRecords:
    records: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (where, record)
    problems: list[str] = field(default_factory=list)


def read_json_records(path: Path, list_keys: tuple[str, ...] = ()) -> JsonRecords:
    """Every object in `path`; `list_keys` name the array inside an API page (e.g. "calls")."""
    if not path.is_file():
        raise QAError(_("file not found: {path}").format(path=path))
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    result = JsonRecords()
    decoder = json.JSONDecoder()
    position, number = 0, 0
    while True:
        position = _skip_space(text, position)
        if position >= len(text):
            break
        line = text.count("\n", 0, position) + 1
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            result.problems.append(
                _("{file} line {line}: not JSON ({error})").format(
                    file=path.name, line=line, error=error.msg
                )
            )
            position = _next_line(text, position)
            continue
        for item in _items(value, list_keys):
            number += 1
            where = _("{file} record {number} (line {line})").format(
                file=path.name, number=number, line=line
            )
            if isinstance(item, dict):
                result.records.append((where, item))
            else:
                result.problems.append(_("{where}: not a JSON object").format(where=where))
    return result


def for_each_record(
    records: Iterable[tuple[str, dict[str, Any]]],
    handle: Callable[[str, dict[str, Any]], None],
    problems: list[str],
) -> None:
    """`handle(where, record)` for each record on its own: one that lacks a field or holds a
    value of the wrong kind is a problem at its position, and the records after it go on."""
    for where, record in records:
        try:
            handle(where, record)
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            problems.append(_("{where}: {problem}").format(where=where, problem=error))


def _items(value: Any, list_keys: tuple[str, ...]) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for key in list_keys:
            if isinstance(value.get(key), list):
                return list(value[key])
    return [value]


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n,":
        position += 1
    return position


def _next_line(text: str, position: int) -> int:
    newline = text.find("\n", position + 1)
    return len(text) if newline < 0 else newline + 1


def parse_timestamp(value: object) -> datetime:
    """ISO 8601 (Amazon Connect, Genesys Cloud) or RFC 2822 (Twilio's REST API) with a zone."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(_("missing time"))
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            raise ValueError(
                _("time {value} is neither ISO 8601 nor RFC 2822").format(value=repr(value))
            ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
