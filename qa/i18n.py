"""User-visible text in the viewer's language: every string a person reads goes through here.

Call `_()` (or `ngettext()`) where the text is shown, not at import time, so the language of the
signed-in user applies; mark module-level constants with `N_()` and translate them at display.

The catalogs are gettext `.po` files under `qa/locale/`, managed with Babel (docs/languages.md):
a compiled `.mo` is used when it is at least as new as its `.po`, otherwise the `.po` is
compiled in memory once per process, so a fresh clone needs no build step. The language is a
context variable: each Streamlit script run (a thread of its own) sets it from the signed-in
user, the CLI from the environment.
"""

from __future__ import annotations

import gettext as gnu_gettext
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from languages import SOURCE_LANGUAGE, Language, find, get

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"

_current: ContextVar[str] = ContextVar("callqa_language", default=SOURCE_LANGUAGE)


def _supported(code: str | None) -> str:
    return code if code is not None and find(code) is not None else SOURCE_LANGUAGE


def set_language(code: str | None) -> None:
    """Show this run's text in `code` (a registry language; anything else means English)."""
    _current.set(_supported(code))


def current_language() -> Language:
    return get(_current.get())


@contextmanager
def language(code: str | None) -> Iterator[None]:
    """Text in `code` inside the block (a report for a client, a test), then as before."""
    token = _current.set(_supported(code))
    try:
        yield
    finally:
        _current.reset(token)


def language_from_environment() -> str:
    """The language of a terminal, as gettext reads it (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for tag in os.environ.get(variable, "").split(":"):
            code = tag.split("_")[0].split(".")[0].split("-")[0].lower()
            if find(code) is not None:
                return code
    return SOURCE_LANGUAGE


def catalog_path(code: str, suffix: str = ".po") -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@lru_cache(maxsize=16)
def translations(code: str) -> gnu_gettext.NullTranslations:
    """The compiled catalog of a language; English (the message ids) when it has none."""
    po, mo = catalog_path(code), catalog_path(code, ".mo")
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as compiled:
            return gnu_gettext.GNUTranslations(compiled)
    if not po.is_file():
        return gnu_gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=code)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as `pybabel compile` does
    buffer.seek(0)
    return gnu_gettext.GNUTranslations(buffer)


def gettext(message: str) -> str:
    """The message in the current language."""
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n` in the current language (Russian has three)."""
    return translations(_current.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a constant for extraction; translate it with `_()` where it is shown."""
    return message


_ = gettext
