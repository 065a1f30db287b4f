"""The scorecard file format, as pydantic models: what a YAML scorecard may and must contain.

Checks stay `{type, params}` mappings here; the registry validates each one against its type's
own parameter model when the scorecard is built (see loader.py).
Text a person reads (names, descriptions, coaching tips) may be one string or a map by
language; language codes are the registry's (`languages/registry.yaml`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    model_validator,
)

from languages import SOURCE_LANGUAGE
from languages import codes as language_codes
from languages import get as get_language
from scorecards.explanation import explain

Identifier = Field(pattern=r"^[a-z][a-z0-9_]*$")


def _known_language(code: str) -> str:
    get_language(code)  # UnknownLanguage (a ValueError) names the supported ones
    return code


# A language code from the registry (languages/registry.yaml).
Language = Annotated[str, AfterValidator(_known_language)]


def _with_source_text(texts: dict[str, str | None]) -> dict[str, str | None]:
    if not texts.get(SOURCE_LANGUAGE):
        raise ValueError(
            explain(
                "needs the {language} text, which every reader falls back to",
                language=repr(SOURCE_LANGUAGE),
            )
        )
    return texts


# Text in several languages, e.g. {en: Greeting, ru: Приветствие, fa: سلام}; English required.
# `null` values are allowed: versions stored before text maps existed wrote them.
TextMap = Annotated[dict[Language, str | None], AfterValidator(_with_source_text)]
# A name or description: one text for every language, or a map by language.
LocalizedText = str | TextMap
RequiredText = Annotated[str, Field(min_length=1)] | TextMap


def text_in(text: str | Mapping[str, str | None], language: str | None) -> str:
    """The text in `language`, else in English (the source language)."""
    if isinstance(text, str):
        return text
    return text.get(language or "") or text.get(SOURCE_LANGUAGE) or ""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class CheckSpec(_Strict):
    type: str
    params: dict[str, Any] = Field(default_factory=dict)


class CriterionDefinition(_Strict):
    id: str = Identifier
    name: RequiredText
    description: LocalizedText = ""
    speaker: Literal["agent", "customer", "any"] = "any"
    points: float = Field(default=1.0, gt=0)
    critical: bool = False
    # Not applicable to a call when this check passes (e.g. the customer reported no problem).
    not_applicable: CheckSpec | None = None
    check: CheckSpec
    # What to tell an agent who fails the criterion, by language.
    coaching_tip: TextMap


class SectionDefinition(_Strict):
    id: str = Identifier
    name: RequiredText
    weight: float = Field(default=1.0, gt=0)
    criteria: list[CriterionDefinition] = Field(min_length=1)


class PhraseListFile(RootModel[dict[Language, list[str]]]):
    """`library/phrases/<name>.yaml`: phrases by language."""

    @model_validator(mode="after")
    def _not_empty(self) -> PhraseListFile:
        if not any(self.root.values()):
            supported = ", ".join(language_codes())
            raise ValueError(
                explain(
                    "a phrase list needs phrases in at least one language ({supported})",
                    supported=supported,
                )
            )
        return self

    def by_language(self) -> dict[str, list[str]]:
        """The languages that have phrases, as the loader keeps every phrase list."""
        return {lang: list(self.root[lang]) for lang in language_codes() if self.root.get(lang)}


class ScorecardDefinition(_Strict):
    id: str = Identifier
    name: RequiredText
    # A human label ("2026.1"); the version every evaluation records is the content hash.
    version_label: str = Field(default="1", alias="version")
    description: LocalizedText = ""
    languages: list[Language] = Field(default_factory=lambda: list(language_codes()))
    pass_mark: float = Field(default=80.0, ge=0, le=100)
    # Default fuzzy-match threshold (0-100) for phrase checks that do not set their own.
    match_threshold: float = Field(default=85.0, ge=50, le=100)
    sections: list[SectionDefinition] = Field(min_length=1)
    # Phrase lists written into the scorecard itself; they win over the files of the same name.
    # A stored version carries them, so it scores the same after the shipped lists change.
    phrase_lists: dict[str, PhraseListFile] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unique_ids(self) -> ScorecardDefinition:
        if repeated := _repeated([s.id for s in self.sections]):
            raise ValueError(
                explain("section ids must be unique; repeated: {repeated}", repeated=repeated)
            )
        if repeated := _repeated([c.id for c in self.criteria()]):
            raise ValueError(
                explain("criterion ids must be unique; repeated: {repeated}", repeated=repeated)
            )
        return self

    def criteria(self) -> list[CriterionDefinition]:
        return [c for s in self.sections for c in s.criteria]


def _repeated(ids: list[str]) -> str:
    """The ids given more than once, as a list to read ('' when none is)."""
    return ", ".join(sorted({i for i in ids if ids.count(i) > 1}))
