"""Why a check decided as it did, as a message each reader can get in their own language.

scorecards/ knows no catalogs, so an explanation is kept as its English template plus the
parameters that fill it; whoever shows it translates the template and then fills it in
(qa.explanations). `str()` is the English text. Templates are written only as the
first arguments of `explain()` and `explain_plural()`, which `pybabel extract` knows as
keywords (qa/locale/update_catalogs.sh), so every one of them reaches the catalogs.

A parameter is a number (formatted by the template: `{top:.2f}`), text from the scorecard or
the call (a phrase, a step's name: shown as it is), another explanation (translated in turn,
as "Not: ..." wraps its child's), or a tuple of explanations (joined by spaces).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from string import Formatter
from typing import Any, Union

Param = Union[str, int, float, "Explanation", tuple["Explanation", ...]]
Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]
Numerals = Callable[[str], str]  # a number formatted by its template, as a language writes it


def _english(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def _as_is(number: str) -> str:
    return number


class _Filler(Formatter):
    """str.format, with each number (formatted by the template's spec) passed to `numerals`."""

    def __init__(self, numerals: Numerals) -> None:
        self.numerals = numerals

    def format_field(self, value: Any, format_spec: str) -> str:
        text = format(value, format_spec)
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        return self.numerals(text) if is_number else text


@dataclass(frozen=True)
class Explanation:
    template: str = ""
    params: Mapping[str, Param] = field(default_factory=dict)
    plural: str | None = None  # the plural template, chosen by `count` (ngettext)
    count: int = 0

    def render(
        self,
        gettext: Gettext = _english,
        ngettext: Ngettext = _english_plural,
        numerals: Numerals = _as_is,
    ) -> str:
        """The text, each template (this one and nested ones) looked up with the functions
        given, and its numbers written by `numerals` (a language's digits and decimal mark)."""
        if not self.template:
            return ""
        template = (
            gettext(self.template)
            if self.plural is None
            else ngettext(self.template, self.plural, self.count)
        )
        values = {
            name: _rendered(value, gettext, ngettext, numerals)
            for name, value in self.params.items()
        }
        return _Filler(numerals).vformat(template, (), values)

    def __str__(self) -> str:
        return self.render()

    def __bool__(self) -> bool:
        return bool(self.template)

    @classmethod
    def verbatim(cls, text: str) -> Explanation:
        """Text that is not a template (stored before explanations were, or typed by a person)."""
        return cls("{text}", {"text": text}) if text else cls()

    def to_json(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "params": {name: _encoded(value) for name, value in self.params.items()},
            "plural": self.plural,
            "count": self.count,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Explanation:
        return cls(
            template=data["template"],
            params={name: _decoded(value) for name, value in (data.get("params") or {}).items()},
            plural=data.get("plural"),
            count=int(data.get("count") or 0),
        )


def explain(template: str, **params: Param) -> Explanation:
    """An explanation from an English template (extracted for translation) and its values."""
    return Explanation(template, params)


def explain_plural(singular: str, plural: str, count: int, **params: Param) -> Explanation:
    """An explanation whose wording depends on a count (`{count}` in the templates)."""
    return Explanation(singular, {"count": count, **params}, plural, count)


def joined(parts: tuple[Explanation, ...]) -> Explanation:
    """Several explanations read one after another (the children of `all` and `any`)."""
    return Explanation("{parts}", {"parts": parts})


def listed(items: tuple[Explanation, ...]) -> Explanation:
    """Items named one after another, as the language separates them ("a, b, c")."""
    if len(items) == 1:
        return items[0]
    return explain("{earlier}, {later}", earlier=listed(items[:-1]), later=items[-1])


def _rendered(value: Param, gettext: Gettext, ngettext: Ngettext, numerals: Numerals) -> Any:
    if isinstance(value, Explanation):
        return value.render(gettext, ngettext, numerals)
    if isinstance(value, tuple):
        parts = (part.render(gettext, ngettext, numerals) for part in value)
        return " ".join(filter(None, parts))
    return value


def _encoded(value: Param) -> Any:
    if isinstance(value, Explanation):
        return value.to_json()
    if isinstance(value, tuple):
        return [part.to_json() for part in value]
    return value


def _decoded(value: Any) -> Param:
    if isinstance(value, Mapping):
        return Explanation.from_json(value)
    if isinstance(value, list | tuple):
        return tuple(Explanation.from_json(part) for part in value)
    return value
