"""The admin's consent rule for imported calls: consent is read from the PBX, never assumed.

A center states how its PBX shows consent: a CDR column whose value says it (e.g. the IVR
sets `userfield` to `consent=yes` after the announcement), or queues whose callers all hear
the announcement. With no rule, no call has consent and only metadata is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa.telephony.cdr import CdrRecord

TRUE_VALUES = frozenset({"1", "yes", "y", "true", "consent", "consent=yes", "announced"})


@dataclass(frozen=True)
class ConsentRule:
    column: str | None = None
    true_values: frozenset[str] = TRUE_VALUES
    queues: frozenset[str] = field(default_factory=frozenset)

    @property
    def configured(self) -> bool:
        return self.column is not None or bool(self.queues)

    def given(self, record: CdrRecord) -> bool:
        if self.column is not None:
            value = record.fields.get(self.column, "").strip().lower()
            if value in self.true_values:
                return True
        return record.queue is not None and record.queue in self.queues
