"""The interface in every language: each user-visible string is translated to Russian and Persian.

The strings are extracted from the source as `pybabel extract` does (babel.cfg), not read from the
committed template, so a string someone wraps in `_()` and forgets to translate fails here.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

import languages
from qa import i18n

REPO_ROOT = Path(__file__).resolve().parents[2]
# Every registered language but English, in which the messages are written.
TRANSLATED = tuple(code for code in languages.codes() if code != languages.SOURCE_LANGUAGE)
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _method_map() -> list[tuple[str, str]]:
    """babel.cfg's sections as the (pattern, method) pairs Babel's extractor takes."""
    sections = re.findall(r"^\[(\w+):\s*(.+?)\]", (REPO_ROOT / "babel.cfg").read_text(), re.M)
    return [(pattern, method) for method, pattern in sections]


def _keywords() -> dict[str, tuple[int, ...] | None]:
    """Babel's keywords and those update_catalogs.sh adds (`-k explain_plural:1,2`)."""
    script = (REPO_ROOT / "qa" / "locale" / "update_catalogs.sh").read_text()
    added = {
        name: tuple(int(n) for n in spec.split(",")) if spec else None
        for name, spec in re.findall(r"-k (\w+)(?::([\d,]+))?", script)
    }
    return {**DEFAULT_KEYWORDS, **added}


def extracted_messages() -> dict[str | tuple[str, str], str]:
    """Every message id in the source (a pair for plurals), with where it was found."""
    found: dict[str | tuple[str, str], str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(REPO_ROOT), _method_map(), keywords=_keywords()
    ):
        if isinstance(message, tuple):
            message = (message[0], message[1])
        found.setdefault(message, f"{filename}:{line}")
    return found


def _catalog(code: str):  # type: ignore[no-untyped-def]
    with i18n.catalog_path(code).open("rb") as source:
        return read_po(source, locale=code)


def untranslated(code: str) -> list[str]:
    """The extracted messages without a complete, checked translation in `code`."""
    catalog = _catalog(code)
    problems = []
    for message_id, where in extracted_messages().items():
        key = message_id[0] if isinstance(message_id, tuple) else message_id
        entry = catalog.get(key)
        strings = () if entry is None else entry.string
        strings = (strings,) if isinstance(strings, str) else tuple(strings)
        if entry is None or entry.fuzzy or not strings or not all(strings):
            problems.append(f"{where}: {key!r}")
    return problems


def test_the_source_has_user_visible_strings_to_translate() -> None:
    messages = extracted_messages()
    assert len(messages) > 200
    assert "Call review" in messages and "Sign out" in messages
    assert ("{count} version", "{count} versions") in messages
    # Verdict explanations are written in scorecards/ and translated where they are shown.
    assert "Not found: none of {looked_for}." in messages and "Not: {reason}" in messages


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_user_visible_string_is_translated(code: str) -> None:
    missing = untranslated(code)
    assert not missing, f"{len(missing)} string(s) lack a {code} translation:\n" + "\n".join(
        missing
    )


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_every_placeholder(code: str) -> None:
    """`{name}` fields are filled in with .format(): a lost or misspelt one would raise."""
    wrong = []
    for message in _catalog(code):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            got = set(PLACEHOLDER.findall(text))
            # A plural form may leave out the count ("одна версия"), never add or rename one.
            if not got <= expected or (expected - got) - {"{count}"}:
                wrong.append(f"{ids[0]!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_russian_has_three_plural_forms_and_persian_reads_its_own() -> None:
    with i18n.language("ru"):
        forms = [i18n.ngettext("{count} version", "{count} versions", n) for n in (1, 3, 5, 21)]
    assert forms == ["{count} версия", "{count} версии", "{count} версий", "{count} версия"]
    with i18n.language("fa"):
        assert i18n.gettext("Call review") == "بازبینی تماس"
    with i18n.language("en"):
        assert i18n.ngettext("{count} version", "{count} versions", 2) == "{count} versions"


def test_every_registered_language_has_a_catalog() -> None:
    for code in languages.codes():
        assert i18n.catalog_path(code).is_file(), f"no catalog for {code}"


def _python_files() -> Iterator[Path]:
    yield REPO_ROOT / "app.py"
    yield from (REPO_ROOT / "qa").rglob("*.py")


def test_no_translated_call_hides_inside_an_f_string() -> None:
    """Extraction cannot see `_()` inside an f-string, nor translate `_(f"...")`."""
    hidden = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if (
                        isinstance(inner, ast.Call)
                        and getattr(inner.func, "id", "") in ("_", "ngettext")
                        and any(isinstance(a, ast.Constant) for a in inner.args)
                    ):
                        hidden.append(f"{path.relative_to(REPO_ROOT)}:{inner.lineno}")
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") in ("_", "N_", "ngettext")
                and node.args
                and isinstance(node.args[0], ast.JoinedStr)
            ):
                hidden.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno} (f-string message)")
    assert not hidden, "\n".join(hidden)
