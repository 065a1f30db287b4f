"""A loaded scorecard: its definition with every check built and its content hash."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scorecards.registry import CriterionType
from scorecards.schema import CriterionDefinition, ScorecardDefinition


@dataclass(frozen=True)
class Criterion:
    definition: CriterionDefinition
    section: str
    check: CriterionType[Any]
    not_applicable: CriterionType[Any] | None

    @property
    def id(self) -> str:
        return self.definition.id


@dataclass(frozen=True)
class Section:
    id: str
    name: str
    weight: float
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Scorecard:
    id: str
    name: str
    # sha256 of the canonical content (see loader.canonical_content): what evaluations record.
    version: str
    version_label: str
    description: str
    languages: tuple[str, ...]
    pass_mark: float
    sections: tuple[Section, ...]
    source: str
    definition: ScorecardDefinition

    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for s in self.sections for c in s.criteria)

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria():
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)
