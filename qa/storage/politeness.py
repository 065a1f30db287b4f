"""The agent's politeness per call, stored as the measurement the scorer made (not a verdict)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qa.storage.models import CallPoliteness
from scorecards.politeness import PolitenessMeasurement


def save_politeness(session: Session, call_id: int, measured: PolitenessMeasurement) -> None:
    """Record (or replace) the call's measurement."""
    row = session.get(CallPoliteness, call_id) or CallPoliteness(call_id=call_id)
    row.model = measured.model
    row.utterances = measured.utterances
    row.mean = measured.mean
    row.lowest = measured.lowest
    row.lowest_position = measured.lowest_index
    session.add(row)
