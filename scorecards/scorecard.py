"""A loaded scorecard: its definition with every check built and its content hash."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

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
    # The phrase lists its checks use, by name and language: part of what the version hashes.
    phrase_lists: dict[str, dict[str, list[str]]]

    def self_contained_yaml(self) -> str:
        """The scorecard with the phrase lists it uses written in: what to store as a version,
        so that loading it later scores exactly as now, whatever happens to the shipped lists.
        Loads to the same `version`."""
        document = self.definition.model_dump(mode="json", by_alias=True)
        document["phrase_lists"] = self.phrase_lists
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)

    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for s in self.sections for c in s.criteria)

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria():
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)
