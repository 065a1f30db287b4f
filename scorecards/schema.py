"""The scorecard file format, as pydantic models: what a YAML scorecard may and must contain.

Checks stay `{type, params}` mappings here; the registry validates each one against its type's
own parameter model when the scorecard is built (see loader.py).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Identifier = Field(pattern=r"^[a-z][a-z0-9_]*$")
Language = Literal["en", "ru", "fa"]
LANGUAGES: tuple[Language, ...] = ("en", "ru", "fa")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class CoachingTip(_Strict):
    """What to tell an agent who fails the criterion, in each language (English required)."""

    en: str = Field(min_length=1)
    ru: str | None = None
    fa: str | None = None

    def in_language(self, language: str) -> str:
        tip = getattr(self, language, None) if language in ("en", "ru", "fa") else None
        return tip or self.en


class CheckSpec(_Strict):
    type: str
    params: dict[str, Any] = Field(default_factory=dict)


class CriterionDefinition(_Strict):
    id: str = Identifier
    name: str = Field(min_length=1)
    description: str = ""
    speaker: Literal["agent", "customer", "any"] = "any"
    points: float = Field(default=1.0, gt=0)
    critical: bool = False
    # Not applicable to a call when this check passes (e.g. the customer reported no problem).
    not_applicable: CheckSpec | None = None
    check: CheckSpec
    coaching_tip: CoachingTip


class SectionDefinition(_Strict):
    id: str = Identifier
    name: str = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0)
    criteria: list[CriterionDefinition] = Field(min_length=1)


class PhraseListFile(_Strict):
    """`library/phrases/<name>.yaml`: phrases by language."""

    en: list[str] = Field(default_factory=list)
    ru: list[str] = Field(default_factory=list)
    fa: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> PhraseListFile:
        if not (self.en or self.ru or self.fa):
            raise ValueError("a phrase list needs phrases in at least one language (en, ru, fa)")
        return self

    def by_language(self) -> dict[str, list[str]]:
        """The languages that have phrases, as the loader keeps every phrase list."""
        return {lang: list(getattr(self, lang)) for lang in LANGUAGES if getattr(self, lang)}


class ScorecardDefinition(_Strict):
    id: str = Identifier
    name: str = Field(min_length=1)
    # A human label ("2026.1"); the version every evaluation records is the content hash.
    version_label: str = Field(default="1", alias="version")
    description: str = ""
    languages: list[Language] = Field(default_factory=lambda: list(LANGUAGES))
    pass_mark: float = Field(default=80.0, ge=0, le=100)
    # Default fuzzy-match threshold (0-100) for phrase checks that do not set their own.
    match_threshold: float = Field(default=85.0, ge=50, le=100)
    sections: list[SectionDefinition] = Field(min_length=1)
    # Phrase lists written into the scorecard itself; they win over the files of the same name.
    # A stored version carries them, so it scores the same after the shipped lists change.
    phrase_lists: dict[str, PhraseListFile] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_ids(self) -> ScorecardDefinition:
        for kind, ids in (
            ("section", [s.id for s in self.sections]),
            ("criterion", [c.id for s in self.sections for c in s.criteria]),
        ):
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                raise ValueError(f"{kind} ids must be unique; repeated: {', '.join(repeated)}")
        return self

    def criteria(self) -> list[CriterionDefinition]:
        return [c for s in self.sections for c in s.criteria]
