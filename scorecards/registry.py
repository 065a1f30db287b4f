"""The registry of criterion types: a new kind of check is one small class, found by name.

    @criterion_type("phrase_present")
    class PhrasePresent(CriterionType[PhraseParams]):
        Params = PhraseParams
        def evaluate(self, ctx: CheckContext) -> CheckResult: ...

A scorecard names the type in `check.type`; its `check.params` are validated by the class's
own pydantic `Params` model when the scorecard loads, so a typo fails at load, not mid-scoring.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from scorecards.context import CallContext, SpeakerChoice
from scorecards.errors import CheckDefinitionError
from scorecards.explanation import Explanation, explain
from scorecards.problems import validation_problem
from scorecards.results import Evidence, Outcome

P = TypeVar("P", bound=BaseModel)
Spec = dict[str, Any]


class CheckParams(BaseModel):
    """Base for every type's parameters: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


@dataclass(frozen=True)
class CheckResult:
    outcome: Outcome
    evidence: tuple[Evidence, ...] = ()
    explanation: Explanation = Explanation()
    uncertain: bool = False  # a learned score inside its abstain band decided the outcome
    models: tuple[str, ...] = ()  # learned models used, as name@version


@dataclass(frozen=True)
class CheckContext:
    """What a check is evaluated against: the call, its criterion's speaker, sibling criteria."""

    call: CallContext
    speaker: SpeakerChoice
    criterion_result: Callable[[str], CheckResult]


@dataclass
class LoadContext:
    """What parameter models need while a scorecard loads (phrase lists, criterion ids)."""

    phrase_lists: dict[str, dict[str, list[str]]]
    criterion_ids: set[str] = field(default_factory=set)
    used_phrase_lists: set[str] = field(default_factory=set)
    default_threshold: float = 85.0

    @cached_property
    def fingerprint(self) -> str:
        """What besides its parameters decides a check's result: the phrase lists it may read
        and the scorecard's default threshold. Two scorecards share a check's result only
        when both agree."""
        content = json.dumps([self.phrase_lists, self.default_threshold], sort_keys=True)
        return hashlib.sha256(content.encode("utf-8")).hexdigest()


class CriterionType(ABC, Generic[P]):
    """One kind of check; instances hold validated parameters and are reused for every call."""

    name: ClassVar[str]
    Params: ClassVar[type[BaseModel]]
    # Leaf checks give the same result for the same call wherever they appear, so they are
    # computed once per call; checks that read sibling criteria are not.
    shareable: ClassVar[bool] = True

    def __init__(self, params: P, path: str, load: LoadContext) -> None:
        self.params = params
        self.path = path
        params_json = json.dumps(params.model_dump(mode="json"), sort_keys=True)
        self.key = (self.name, params_json, load.fingerprint)

    def run(self, ctx: CheckContext) -> CheckResult:
        if not self.shareable:
            return self.evaluate(ctx)
        return ctx.call.memo(("check", self.key, ctx.speaker), lambda: self.evaluate(ctx))

    def party(self, criterion_speaker: SpeakerChoice) -> SpeakerChoice:
        """The party whose words the check reads: its own `speaker` parameter where the type
        has one, else its criterion's."""
        own: SpeakerChoice | None = getattr(self.params, "speaker", None)
        return own or criterion_speaker

    @abstractmethod
    def evaluate(self, ctx: CheckContext) -> CheckResult:
        """The outcome for one call, with evidence for every pass or fail that has a place."""


_TYPES: dict[str, type[CriterionType[Any]]] = {}
C = TypeVar("C", bound=type[CriterionType[Any]])


def criterion_type(name: str) -> Callable[[C], C]:
    """Class decorator: register a criterion type under the name scorecards use."""

    def register(cls: C) -> C:
        if name in _TYPES and _TYPES[name] is not cls:
            raise ValueError(f"criterion type {name!r} is registered twice")
        cls.name = name
        _TYPES[name] = cls
        return cls

    return register


def known_types() -> list[str]:
    _load_builtin_types()
    return sorted(_TYPES)


def build_check(spec: Any, path: str, load: LoadContext) -> CriterionType[Any]:
    """Turn `{type, params}` from a scorecard into a ready check, or say what is wrong where."""
    _load_builtin_types()
    if not isinstance(spec, dict):
        raise CheckDefinitionError(path, explain("must be a mapping with 'type' and 'params'"))
    unknown_keys = set(spec) - {"type", "params"}
    if unknown_keys:
        raise CheckDefinitionError(
            path, explain("unknown keys {keys}; use type, params", keys=str(sorted(unknown_keys)))
        )
    type_name = spec.get("type")
    if type_name not in _TYPES:
        raise CheckDefinitionError(
            f"{path}.type",
            explain(
                "unknown check type {name}; known types: {known}",
                name=repr(type_name),
                known=", ".join(sorted(_TYPES)),
            ),
        )
    cls = _TYPES[type_name]
    raw_params = spec.get("params") or {}
    try:
        params = cls.Params.model_validate(raw_params, context={"load": load, "path": path})
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CheckDefinitionError(
            f"{path}.params" + (f".{where}" if where else ""), validation_problem(first)
        ) from None
    return cls(params, path, load)


def _load_builtin_types() -> None:
    import scorecards.criteria  # noqa: F401  (registers the built-in types on import)


def outcome_of(passed: bool) -> Literal["pass", "fail"]:
    return "pass" if passed else "fail"
