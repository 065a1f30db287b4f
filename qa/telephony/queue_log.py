"""Asterisk's `queue_log`: how long each caller waited in a queue and how long agents rang.

Lines are `epoch|callid|queue|agent|event|data1|data2|data3...`; the call id is the caller
channel's uniqueid, the same as the CDR's. CONNECT carries the hold (wait) time and the ring
time; ABANDON and EXITWITHTIMEOUT the wait before the caller gave up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

GAVE_UP = {"ABANDON", "EXITWITHTIMEOUT", "EXITEMPTY", "EXITWITHKEY"}


@dataclass(frozen=True)
class QueueVisit:
    queue: str
    wait_seconds: float | None
    ring_seconds: float | None
    agent: str | None
    abandoned: bool


def read_queue_log(path: Path) -> dict[str, QueueVisit]:
    """Each call's queue visit by the caller's uniqueid; unreadable lines are skipped."""
    visits: dict[str, QueueVisit] = {}
    text = path.read_text(encoding="utf-8", errors="replace")
    for line in text.splitlines():
        parts = line.strip().split("|")
        if len(parts) < 5:
            continue
        _, callid, queue, agent, event, *data = parts
        data += [""] * (3 - len(data))
        if event == "CONNECT":
            visits[callid] = QueueVisit(queue, _number(data[0]), _number(data[2]), agent, False)
        elif event in GAVE_UP and callid not in visits:
            visits[callid] = QueueVisit(queue, _number(data[2]), None, None, True)
    return visits


def _number(value: str) -> float | None:
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
