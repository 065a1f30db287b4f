"""Loading scorecards from YAML: all or nothing, with the file, field and problem on failure.

The version of a scorecard is the sha256 of its canonical content: the validated definition
(defaults filled in) plus the text of every phrase list it uses, as sorted JSON. Comments,
whitespace, key order and quoting do not change it; any change to what is checked (a phrase,
a threshold, a weight, a tip, a phrase list file) does, so old evaluations keep pointing at
exactly what produced them.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from languages import SOURCE_LANGUAGE
from scorecards.errors import CheckDefinitionError, ScorecardFileError, UnknownScorecard
from scorecards.explanation import Explanation, explain
from scorecards.problems import validation_problem
from scorecards.registry import LoadContext, build_check
from scorecards.schema import PhraseListFile, ScorecardDefinition, text_in
from scorecards.scorecard import Criterion, Scorecard, Section

LIBRARY_DIR = Path(__file__).parent / "library"
# libyaml's safe loader when PyYAML was built with it: several times faster on phrase lists.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The largest scorecard or phrase file read; shipped ones are a few kilobytes.
MAX_YAML_BYTES = 1_000_000
PHRASES_DIR = LIBRARY_DIR / "phrases"


def load_scorecard(path: str | Path, phrases_dir: str | Path | None = None) -> Scorecard:
    """A scorecard file; phrase lists come from `phrases/` beside it, else the shipped ones."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScorecardFileError(
            str(path), [("", explain("cannot read: {reason}", reason=error.strerror or ""))]
        ) from None
    if phrases_dir is None:
        beside = path.parent / "phrases"
        phrases_dir = beside if beside.is_dir() else PHRASES_DIR
    return load_scorecard_text(text, source=str(path), phrases_dir=phrases_dir)


def load_scorecard_text(
    yaml_text: str, source: str = "<scorecard>", phrases_dir: str | Path | None = None
) -> Scorecard:
    """A scorecard from YAML text (what the admin page edits), validated completely."""
    raw = _parse_yaml(yaml_text, source)
    try:
        definition = ScorecardDefinition.model_validate(raw)
    except ValidationError as error:
        raise ScorecardFileError(source, _problems(error, raw)) from None
    phrase_lists = load_phrase_lists(Path(phrases_dir) if phrases_dir else PHRASES_DIR)
    phrase_lists.update({n: inline.by_language() for n, inline in definition.phrase_lists.items()})
    load = LoadContext(
        phrase_lists=phrase_lists,
        criterion_ids={c.id for c in definition.criteria()},
        default_threshold=definition.match_threshold,
    )
    try:
        sections = tuple(
            _build_section(definition, i, load) for i in range(len(definition.sections))
        )
    except CheckDefinitionError as error:
        raise ScorecardFileError(source, [(error.path, error.message)]) from None
    used = {name: phrase_lists[name] for name in sorted(load.used_phrase_lists)}
    return Scorecard(
        id=definition.id,
        name=text_in(definition.name, SOURCE_LANGUAGE),
        version=_content_hash(definition, used),
        version_label=definition.version_label,
        description=text_in(definition.description, SOURCE_LANGUAGE),
        languages=tuple(definition.languages),
        pass_mark=definition.pass_mark,
        sections=sections,
        source=source,
        definition=definition,
        phrase_lists=used,
    )


def shipped_scorecards() -> list[Scorecard]:
    """The scorecards that come with callqa (`scorecards/library/*.yaml`)."""
    return list(_shipped())


SHIPPED_ORDER = ("script", "politeness", "resolution", "compliance")


@lru_cache(maxsize=1)
def _shipped() -> tuple[Scorecard, ...]:
    loaded = load_scorecards_dir(LIBRARY_DIR)
    rank = {scorecard_id: i for i, scorecard_id in enumerate(SHIPPED_ORDER)}
    return tuple(sorted(loaded, key=lambda s: (rank.get(s.id, len(rank)), s.id)))


def load_scorecards_dir(path: str | Path) -> list[Scorecard]:
    """Every `*.yaml` scorecard in a folder, by file name; scorecard ids must be unique."""
    folder = Path(path)
    if not folder.is_dir():
        raise ScorecardFileError(str(folder), [("", explain("not a folder of scorecard files"))])
    scorecards = [load_scorecard(p) for p in sorted(folder.glob("*.yaml"))]
    seen: dict[str, str] = {}
    for scorecard in scorecards:
        if scorecard.id in seen:
            raise ScorecardFileError(
                scorecard.source,
                [
                    (
                        "id",
                        explain(
                            "{id} is also the id of {other}",
                            id=repr(scorecard.id),
                            other=seen[scorecard.id],
                        ),
                    )
                ],
            )
        seen[scorecard.id] = scorecard.source
    return scorecards


def select_scorecards(scorecards: list[Scorecard], ids: list[str]) -> list[Scorecard]:
    """The scorecards with these ids, in the order asked; an unknown id is an error."""
    by_id = {s.id: s for s in scorecards}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise UnknownScorecard(
            f"unknown scorecard {', '.join(map(repr, unknown))}; known: {', '.join(sorted(by_id))}"
        )
    return [by_id[i] for i in ids]


def load_phrase_lists(folder: Path) -> dict[str, dict[str, list[str]]]:
    """Phrase lists by name (file stem) from a folder of `<name>.yaml` files."""
    return {
        name: {lang: list(texts) for lang, texts in content}
        for name, content in _phrase_lists(str(folder.resolve()), _folder_stamp(folder))
    }


def _folder_stamp(folder: Path) -> tuple[tuple[str, float], ...]:
    if not folder.is_dir():
        return ()
    return tuple((p.name, p.stat().st_mtime) for p in sorted(folder.glob("*.yaml")))


@lru_cache(maxsize=16)
def _phrase_lists(
    folder: str, stamp: tuple[tuple[str, float], ...]
) -> tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...]:
    lists = []
    for name, _ in stamp:
        path = Path(folder) / name
        raw = _parse_yaml(path.read_text(encoding="utf-8"), str(path))
        try:
            phrase_list = PhraseListFile.model_validate(raw)
        except ValidationError as error:
            raise ScorecardFileError(str(path), _problems(error, raw)) from None
        content = tuple((lang, tuple(texts)) for lang, texts in phrase_list.by_language().items())
        lists.append((Path(name).stem, content))
    return tuple(lists)


def _build_section(definition: ScorecardDefinition, index: int, load: LoadContext) -> Section:
    section = definition.sections[index]
    criteria = []
    for position, criterion in enumerate(section.criteria):
        path = f"sections[{index}] ({section.id}).criteria[{position}] ({criterion.id})"
        check = build_check(criterion.check.model_dump(), f"{path}.check", load)
        not_applicable = (
            build_check(criterion.not_applicable.model_dump(), f"{path}.not_applicable", load)
            if criterion.not_applicable
            else None
        )
        criteria.append(Criterion(criterion, section.id, check, not_applicable))
    name = text_in(section.name, SOURCE_LANGUAGE)
    return Section(section.id, name, section.weight, tuple(criteria))


def canonical_content(definition: ScorecardDefinition, phrase_lists: dict[str, Any]) -> str:
    content = {
        # Inline phrase lists count through "phrase_lists" below, like files: a scorecard and
        # its self-contained form (`Scorecard.self_contained_yaml`) hash alike.
        "scorecard": definition.model_dump(mode="json", by_alias=True, exclude={"phrase_lists"}),
        "phrase_lists": {name: phrase_lists[name] for name in sorted(phrase_lists)},
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _content_hash(definition: ScorecardDefinition, phrase_lists: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_content(definition, phrase_lists).encode("utf-8")).hexdigest()


def _parse_yaml(text: str, source: str) -> Any:
    """Parse a scorecard or phrase list, refusing what could exhaust the process.

    A "billion laughs" file (anchors whose aliases expand exponentially) killed the process,
    and a 14 MB scorecard took minutes: no scorecard needs aliases or a megabyte.
    """
    size = len(text.encode("utf-8"))
    if size > MAX_YAML_BYTES:
        raise ScorecardFileError(
            source,
            [("", explain("is {size:.1f} MB, over the limit of {limit:.0f} MB; move long phrase "
                          "lists into phrase files or split the scorecard",
                          size=size / 1e6, limit=MAX_YAML_BYTES / 1e6))],
        )  # fmt: skip
    try:
        for event in yaml.parse(text, Loader=SAFE_LOADER):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                raise ScorecardFileError(
                    source,
                    [(f"line {mark.line + 1}, column {mark.column + 1}",
                      explain("YAML aliases (*name) are not allowed; write the value out"))],
                )  # fmt: skip
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ScorecardFileError(
            source, [(where, explain("not valid YAML: {problem}", problem=problem))]
        ) from None
    if not isinstance(data, dict):
        raise ScorecardFileError(
            source, [("", explain("must be a YAML mapping (key: value) at the top"))]
        )
    return data


def _problems(error: ValidationError, raw: Any) -> list[tuple[str, Explanation]]:
    return [(_path(e["loc"], raw), validation_problem(e)) for e in error.errors()]


def _path(loc: tuple[Any, ...], raw: Any) -> str:
    """`sections[0] (opening).criteria[2] (greeting).points` from pydantic's location tuple."""
    parts: list[str] = []
    node = raw
    for part in loc:
        if part == "[key]":  # pydantic's marker for a mapping's key, already named before it
            continue
        if isinstance(part, int):
            parts[-1] += f"[{part}]" if parts else f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                parts[-1] += f" ({node['id']})"
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)
