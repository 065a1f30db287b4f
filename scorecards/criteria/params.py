"""Parameter models shared by the phrase-based criterion types."""

from __future__ import annotations

from typing import Any

from pydantic import Field, PrivateAttr, ValidationInfo, model_validator

from scorecards.context import CallContext, Scope, SpeakerChoice
from scorecards.explanation import Explanation, explain
from scorecards.phrases import PhraseSet
from scorecards.registry import CheckContext, CheckParams, LoadContext
from scorecards.schema import Language


class TimeWindow(CheckParams):
    """The first or the last so many seconds of the call."""

    first: float | None = Field(default=None, gt=0)
    last: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_edge(self) -> TimeWindow:
        if (self.first is None) == (self.last is None):
            raise ValueError(explain("give exactly one of 'first' or 'last' (seconds)"))
        return self


class PhraseParams(CheckParams):
    """Phrases from named lists (`scorecards/library/phrases/<name>.yaml`) and/or inline ones."""

    lists: list[str] = Field(default_factory=list)
    phrases: dict[Language, list[str]] = Field(default_factory=dict)
    speaker: SpeakerChoice | None = None
    window: TimeWindow | None = None
    threshold: float | None = Field(default=None, ge=50, le=100)
    _phrase_set: PhraseSet = PrivateAttr()

    @model_validator(mode="after")
    def _compile(self, info: ValidationInfo) -> PhraseParams:
        load = _load_context(info)
        if not self.lists and not self.phrases:
            raise ValueError(explain("give phrase 'lists' (names) or inline 'phrases' by language"))
        texts: dict[str, list[str]] = {}
        for name in self.lists:
            if name not in load.phrase_lists:
                known = ", ".join(sorted(load.phrase_lists)) or explain("none")
                raise ValueError(
                    explain(
                        "unknown phrase list {name}; known lists: {known}",
                        name=repr(name),
                        known=known,
                    )
                )
            load.used_phrase_lists.add(name)
            for language, phrases in load.phrase_lists[name].items():
                texts.setdefault(language, []).extend(phrases)
        for language, phrases in self.phrases.items():
            texts.setdefault(language, []).extend(phrases)
        self._phrase_set = PhraseSet.compile(texts, self.threshold or load.default_threshold)
        return self

    @property
    def phrase_set(self) -> PhraseSet:
        return self._phrase_set

    def scope(self, ctx: CheckContext) -> Scope:
        window = self.window
        return Scope(
            speaker=self.speaker or ctx.speaker,
            first_seconds=window.first if window else None,
            last_seconds=window.last if window else None,
        )

    def looked_for(self, call: CallContext, scope: Scope) -> Explanation:
        return explain(
            "{phrases} by {who}",
            phrases=self.phrase_set.describe(call.language),
            who=scope.describe(call.speakers_known),
        )


def _load_context(info: ValidationInfo) -> LoadContext:
    context: Any = info.context or {}
    load = context.get("load")
    if not isinstance(load, LoadContext):
        raise ValueError("phrase parameters can only be validated while a scorecard loads")
    return load
