"""pattern_absent: nobody reads out sensitive data (card numbers, national IDs, passwords).

Works on two kinds of transcript: raw ones (the CLI scoring an unredacted file), where digits
are checked with check-digit validators, and redacted ones, where the pipeline has already put
mask tokens such as `[CARD]` in place of the number: the token itself shows it was said.
What counts as a card number or an ID is `scorecards.personal_data`'s decision, the same rules
redaction masks by; evidence text is masked by them too, so the verdict does not store what it
reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property
from typing import Literal

from pydantic import Field, field_validator

from scorecards.context import Scope, SpeakerChoice
from scorecards.criteria.params import TimeWindow
from scorecards.explanation import Explanation, explain, listed
from scorecards.normalize import normalize
from scorecards.personal_data import CARD_LABELS, ID_LABELS, Label, labels_said, mask_text
from scorecards.registry import (
    CheckContext,
    CheckParams,
    CheckResult,
    CriterionType,
    LoadContext,
    criterion_type,
)
from scorecards.results import Evidence
from transcription.transcript import Utterance

Detector = Literal["card_number", "national_id", "password", "mask_tokens", "regex"]

_WORD = re.compile(r"\w+")
# "password is X", "ваш пароль X1", "رمز عبور شما 1234 است": a keyword, linking words, a token.
# The token must look like a secret (a digit, or Latin letters in ru/fa) or, in English,
# not be an ordinary word that follows "password is" ("reset", "incorrect", "the", ...).
_PASSWORD_EN = re.compile(
    r"\b(?:password|passcode|passphrase|pin(?: code| number)?)\s+(?:is|was|will be|would be)"
    r"\s+(?!(?:not|wrong|incorrect|correct|invalid|expired|reset|changed|locked|blocked|the|a|"
    r"an|too|being|required|needed|case|sensitive|your|on|in|at|for|still|now|going|set)\b)\w+"
)
_PASSWORD_RU = re.compile(
    r"\b(?:парол\w*|пин код|пин|кодовое слово)\s+(?:(?:у вас|ваш|ваше|от \w+|это|будет|такой|"
    r"сейчас|был)\s+){0,3}(?:\w*\d\w*|[a-z]\w*)\b"
)
_PASSWORD_FA = re.compile(
    r"(?:رمز(?: عبور| ورود| کارت| دوم| اول)?|پسورد|کلمه عبور)\s+(?:(?:شما|تون|تان|هست|است|"
    r"میشه|اینه)\s+){0,2}(?:\w*\d\w*|[a-z]\w*)"
)
_PASSWORDS = (_PASSWORD_EN, _PASSWORD_RU, _PASSWORD_FA)


class PatternParams(CheckParams):
    detectors: list[Detector] = Field(min_length=1)
    mask_tokens: list[str] = Field(
        default_factory=lambda: [label.token for label in sorted(CARD_LABELS | ID_LABELS)]
    )
    regexes: list[str] = Field(default_factory=list)
    speaker: SpeakerChoice | None = None
    window: TimeWindow | None = None

    @field_validator("regexes")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(
                    explain(
                        "regex {pattern} does not compile: {error}",
                        pattern=repr(pattern),
                        error=str(error),
                    )
                ) from None
        return patterns


class _Said:
    """One utterance as the detectors read it; personal data is looked for once, when asked."""

    def __init__(self, text: str, normalized: str) -> None:
        self.text = text
        self.normalized = normalized

    @cached_property
    def labels(self) -> set[Label]:
        return labels_said(self.text)


def _says_card_number(said: _Said) -> bool:
    return bool(said.labels & CARD_LABELS)


def _says_national_id(said: _Said) -> bool:
    return bool(said.labels & ID_LABELS)


def _says_password(said: _Said) -> bool:
    return any(p.search(said.normalized) for p in _PASSWORDS)


Detect = Callable[[_Said], bool]


def _finds(params: PatternParams) -> list[tuple[Explanation, Detect]]:
    """A (label, test) pair per detector the scorecard asks for."""
    tokens = tuple(params.mask_tokens)
    compiled = [re.compile(p) for p in params.regexes]
    tests: dict[str, tuple[Explanation, Detect]] = {
        "card_number": (explain("full card number"), _says_card_number),
        "national_id": (explain("national ID"), _says_national_id),
        "password": (explain("password"), _says_password),
        "mask_tokens": (
            explain("masked sensitive data"),
            lambda s: any(t in s.text for t in tokens),
        ),
        "regex": (explain("pattern"), lambda s: any(p.search(s.text) for p in compiled)),
    }
    return [tests[detector] for detector in dict.fromkeys(params.detectors)]


def _masked(text: str) -> str:
    """Personal data as placeholders (`[CARD]`), and any password said, as asterisks."""
    secrets = {
        found.group().split()[-1]
        for pattern in _PASSWORDS
        for found in pattern.finditer(normalize(text))
    }
    text = _WORD.sub(
        lambda w: "*" * len(w.group()) if normalize(w.group()) in secrets else w.group(), text
    )
    return mask_text(text)


@criterion_type("pattern_absent")
class PatternAbsent(CriterionType[PatternParams]):
    Params = PatternParams

    def __init__(self, params: PatternParams, path: str, load: LoadContext) -> None:
        super().__init__(params, path, load)
        self.finds = _finds(params)

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        call = ctx.call
        window = self.params.window
        scope = Scope(
            self.params.speaker or ctx.speaker,
            window.first if window else None,
            window.last if window else None,
        )
        haystack = call.haystack(scope)
        evidence = []
        said_kinds: dict[str, Explanation] = {}
        for index in haystack.indices:
            utterance: Utterance = call.utterances[index]
            said = _Said(utterance.text, call.normalized[index])
            for label, found in self.finds:
                if found(said):
                    evidence.append(_evidence(index, utterance, label))
                    said_kinds[str(label)] = label
        where = scope.describe(call.speakers_known)
        if not evidence:
            kinds = listed(tuple(label for label, _ in self.finds))
            return CheckResult(
                "pass",
                (),
                explain(
                    "Not found, as required: no {kinds} said by {where}.", kinds=kinds, where=where
                ),
            )
        kinds_said = listed(tuple(said_kinds[k] for k in sorted(said_kinds)))
        return CheckResult(
            "fail",
            tuple(evidence),
            explain("Sensitive data said by {where}: {kinds}.", where=where, kinds=kinds_said),
        )


def _evidence(index: int, utterance: Utterance, label: Explanation) -> Evidence:
    """The utterance, masked, noted with the kind of data said in it."""
    return Evidence(
        utterance_index=index,
        speaker=utterance.speaker,
        start=utterance.start,
        end=utterance.end,
        text=_masked(utterance.text),
        phrase=str(label),
        similarity=100.0,
        message=label,
    )
