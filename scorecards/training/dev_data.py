"""The public labelled sets in `../shared/data/dev/`, read in place (never copied into the repo).

Each set becomes texts with a binary label (1 = rude / impolite) and a group id, so that
cross-validation keeps a rude comment and its polite paraphrase in the same fold.
"""

from __future__ import annotations

import csv
import os
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DEV_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "dev"


class DevDataMissing(RuntimeError):
    """The dev data folder is absent: training and accuracy benchmarks cannot run."""


@dataclass(frozen=True)
class LabelledSet:
    """Texts of one language with labels (1 = rude / impolite) and CV groups."""

    language: str
    source: str
    texts: tuple[str, ...]
    labels: tuple[int, ...]
    groups: tuple[int, ...]


def dev_dir() -> Path:
    path = Path(os.environ.get("CALLQA_DEV_DATA", DEFAULT_DEV_DIR)).resolve()
    if not path.is_dir():
        raise DevDataMissing(f"dev data not found at {path}; set CALLQA_DEV_DATA to its folder")
    return path


def russian_rudeness(limit_pairs: int | None = None, seed: int = 0) -> LabelledSet:
    """RuParaDetox: each rude comment (1) beside its first polite paraphrase (0). The 14 pairs
    whose paraphrase is the comment itself are dropped: one text cannot carry both labels."""
    rows = _read(dev_dir() / "ru-paradetox" / "train.tsv", delimiter="\t")
    pairs = [
        (row["toxic_comment"].strip(), row["neutral_comment1"].strip())
        for row in rows
        if row["toxic_comment"].strip()
        and row["neutral_comment1"].strip()
        and row["toxic_comment"].strip() != row["neutral_comment1"].strip()
    ]
    if limit_pairs is not None and limit_pairs < len(pairs):
        pairs = random.Random(seed).sample(pairs, limit_pairs)
    texts, labels, groups = [], [], []
    for group, (rude, polite) in enumerate(pairs):
        texts += [rude, polite]
        labels += [1, 0]
        groups += [group, group]
    return LabelledSet(
        "ru",
        "RuParaDetox (RUSSE-2022)",
        tuple(texts),
        tuple(labels),
        same_text_together(texts, groups),
    )


def persian_offensiveness() -> LabelledSet:
    """ParsOffensive (the half in dev): Offensive (1) / Neutral (0)."""
    rows = _read(dev_dir() / "fa-parsoffensive" / "ParsOffensive-dev.csv")
    kept = [(r["comment"].strip(), r["label"].strip()) for r in rows if r["comment"].strip()]
    texts = tuple(text for text, _ in kept)
    labels = tuple(int(label == "Offensive") for _, label in kept)
    groups = same_text_together(texts, range(len(texts)))
    return LabelledSet("fa", "ParsOffensive", texts, labels, groups)


def english_impoliteness() -> LabelledSet:
    """Stanford Politeness (Wikipedia): bottom quartile of the normalised score is impolite (1),
    top quartile polite (0), as in Danescu-Niculescu-Mizil et al. 2013; the middle is dropped."""
    rows = _read(dev_dir() / "en-politeness" / "wikipedia.annotated.csv")
    scored = [(r["Request"].strip(), float(r["Normalized Score"])) for r in rows]
    ordered = sorted(score for _, score in scored)
    low, high = ordered[len(ordered) // 4], ordered[(3 * len(ordered)) // 4]
    kept = [(text, int(score <= low)) for text, score in scored if score <= low or score >= high]
    texts = tuple(text for text, _ in kept)
    labels = tuple(label for _, label in kept)
    groups = same_text_together(texts, range(len(texts)))
    return LabelledSet("en", "Stanford Politeness (Wikipedia)", texts, labels, groups)


def same_text_together(texts: Sequence[str], groups: Iterable[int]) -> tuple[int, ...]:
    """Groups merged wherever a text repeats, so no text is tested in a fold it was also
    trained in (ParsOffensive repeats 62 comments 218 times)."""
    groups = list(groups)
    parent: dict[int, int] = {}

    def root(group: int) -> int:
        while parent.get(group, group) != group:
            group = parent[group]
        return group

    first: dict[str, int] = {}
    for text, group in zip(texts, groups, strict=True):
        if text not in first:
            first[text] = group
        elif (earlier := root(first[text])) != (this := root(group)):
            parent[this] = earlier
    return tuple(root(group) for group in groups)


def _read(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def subsample(labelled: LabelledSet, max_texts: int | None, seed: int = 0) -> LabelledSet:
    """At most max_texts, whole groups at a time, in a seeded order; a smaller size is a prefix
    of a larger one, so embeddings cached for one run serve the next."""
    order = list(dict.fromkeys(labelled.groups))
    random.Random(seed).shuffle(order)
    by_group: dict[int, list[int]] = {}
    for index, group in enumerate(labelled.groups):
        by_group.setdefault(group, []).append(index)
    picked: list[int] = []
    for group in order:
        if max_texts is not None and len(picked) + len(by_group[group]) > max_texts:
            break
        picked += by_group[group]
    return LabelledSet(
        labelled.language,
        labelled.source,
        tuple(labelled.texts[i] for i in picked),
        tuple(labelled.labels[i] for i in picked),
        tuple(labelled.groups[i] for i in picked),
    )


def parse_caps(specs: Sequence[str]) -> dict[str, int]:
    """`["3000"]` caps every language, `["ru=8000"]` one; "*" stands for every language."""
    caps: dict[str, int] = {}
    for spec in specs:
        language, _, number = spec.rpartition("=")
        caps[language or "*"] = int(number)
    return caps


def capped(labelled: LabelledSet, caps: Mapping[str, int] | int | None, seed: int) -> LabelledSet:
    """The seeded subsample a cap asks for: one number for all languages (how versions before
    per-language caps recorded it), or per language with "*" as the default."""
    if isinstance(caps, int) or caps is None:
        return subsample(labelled, caps, seed)
    return subsample(labelled, caps.get(labelled.language, caps.get("*")), seed)


def rudeness_sets() -> list[LabelledSet]:
    """The three languages' rude / not rude sets, in full."""
    return [russian_rudeness(), persian_offensiveness(), english_impoliteness()]
