"""The languages callqa serves, read from `registry.yaml`: one list for every layer.

Transcription (which languages to detect), scorecards (which phrase lists and text maps are
valid) and the platform (settings, users, the interface's direction, calendar and digits) all
read the list here, so adding a language is a data change (docs/languages.md). The package
imports nothing from callqa's three layers, so each of them may import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml

REGISTRY_FILE = Path(__file__).with_name("registry.yaml")
# Message ids, and the text every scorecard must have, are written in English.
SOURCE_LANGUAGE = "en"


class Direction(StrEnum):
    ltr = "ltr"
    rtl = "rtl"


class Calendar(StrEnum):
    gregorian = "gregorian"
    jalali = "jalali"


class Digits(StrEnum):
    latin = "latin"
    persian = "persian"
    arabic = "arabic"


class Weekday(StrEnum):
    """Names of `week_start`, numbered like `date.weekday()` (Monday is 0)."""

    monday = "monday"
    tuesday = "tuesday"
    wednesday = "wednesday"
    thursday = "thursday"
    friday = "friday"
    saturday = "saturday"
    sunday = "sunday"

    @property
    def number(self) -> int:
        return list(Weekday).index(self)


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    native_name: str
    direction: Direction
    calendar: Calendar
    digits: Digits
    week_start: Weekday
    whisper: str
    locale: str

    @property
    def rtl(self) -> bool:
        return self.direction is Direction.rtl


class UnknownLanguage(ValueError):
    """A language code that is not in the registry."""


@lru_cache(maxsize=1)
def registry() -> tuple[Language, ...]:
    """Every supported language, in the registry's order."""
    entries = yaml.safe_load(REGISTRY_FILE.read_text(encoding="utf-8"))
    return tuple(
        Language(
            code=str(e["code"]),
            name=str(e["name"]),
            native_name=str(e.get("native_name", e["name"])),
            direction=Direction(e.get("direction", "ltr")),
            calendar=Calendar(e.get("calendar", "gregorian")),
            digits=Digits(e.get("digits", "latin")),
            week_start=Weekday(e.get("week_start", "monday")),
            whisper=str(e.get("whisper", e["code"])),
            locale=str(e.get("locale", e["code"])),
        )
        for e in entries
    )


def codes() -> tuple[str, ...]:
    return tuple(language.code for language in registry())


def get(code: str) -> Language:
    """The language with this code; UnknownLanguage names the supported ones."""
    for language in registry():
        if language.code == code:
            return language
    raise UnknownLanguage(f"unknown language {code!r}; supported: {', '.join(codes())}")


def find(code: str | None) -> Language | None:
    """The language with this code, or None (for codes that come from outside, e.g. a call)."""
    return next((language for language in registry() if language.code == code), None)


def whisper_code(code: str) -> str:
    """The code faster-whisper knows a language by (the same as ours unless the registry says)."""
    language = find(code)
    return language.whisper if language is not None else code
