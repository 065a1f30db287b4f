"""Scorecard text in the reader's language: names, descriptions and coaching tips.

Stored verdicts keep the English name and the tip in the call's language, as scored; the text
a reader sees comes from the scorecard version that produced the verdict, in their language
where its YAML has a text map (`name: {en: Greeting, ru: Приветствие, fa: ...}`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.storage.models import ScorecardVersion
from qa.storage.scorecard_store import load_version
from scorecards.errors import ScorecardError
from scorecards.results import CriterionVerdict, Evaluation
from scorecards.schema import LocalizedText, ScorecardDefinition, text_in

T = TypeVar("T")
NEWEST = ""  # the version key of a scorecard's newest version, for text without a version


@dataclass(frozen=True)
class CriterionTexts:
    name: LocalizedText
    description: LocalizedText
    coaching_tip: dict[str, str | None]


@dataclass(frozen=True)
class ScorecardTexts:
    name: LocalizedText
    description: LocalizedText
    criteria: dict[str, CriterionTexts]


# scorecard key -> version hash (or NEWEST) -> texts
TextsByVersion = dict[str, dict[str, ScorecardTexts]]


def scorecard_texts(session: Session) -> TextsByVersion:
    """The texts of every stored scorecard version (the newest also under NEWEST).

    A version that no longer loads is left out: its verdicts keep their stored text.
    """
    texts: TextsByVersion = {}
    rows = session.scalars(select(ScorecardVersion).order_by(ScorecardVersion.id))
    for row in rows:
        try:
            entry = texts_of(load_version(row).definition)
        except ScorecardError:
            continue
        versions = texts.setdefault(row.scorecard_key, {})
        versions[row.version] = entry
        versions[NEWEST] = entry
    return texts


def texts_of(definition: ScorecardDefinition) -> ScorecardTexts:
    """A scorecard's texts, every language its YAML has (a stored version's or a draft's)."""
    return ScorecardTexts(
        name=definition.name,
        description=definition.description,
        criteria={
            c.id: CriterionTexts(c.name, c.description, dict(c.coaching_tip))
            for c in definition.criteria()
        },
    )


def _texts(texts: TextsByVersion, key: str, version: str = NEWEST) -> ScorecardTexts | None:
    versions = texts.get(key, {})
    return versions.get(version) or versions.get(NEWEST)


def scorecard_name(
    texts: TextsByVersion, key: str, fallback: str, language: str, version: str = NEWEST
) -> str:
    """A scorecard's name, as one version of it (by default the newest) has it."""
    found = _texts(texts, key, version)
    return text_in(found.name, language) if found is not None else fallback


def criterion_name(
    texts: TextsByVersion, key: str | None, criterion: str, fallback: str, language: str
) -> str:
    """A criterion's name; without a scorecard key, the first scorecard that has the id."""
    candidates = [_texts(texts, key)] if key is not None else [v[NEWEST] for v in texts.values()]
    for found in candidates:
        if found is not None and criterion in found.criteria:
            return text_in(found.criteria[criterion].name, language)
    return fallback


def with_criterion_names(texts: TextsByVersion, rows: Iterable[T], language: str) -> list[T]:
    """Rows with `criterion`, `name` and maybe `scorecard_key` (failure rates, weak spots,
    focus criteria, agreement), their names in `language`."""
    return [
        replace(
            row,  # type: ignore[type-var]
            name=criterion_name(
                texts,
                getattr(row, "scorecard_key", None),
                row.criterion,  # type: ignore[attr-defined]
                row.name,  # type: ignore[attr-defined]
                language,
            ),
        )
        for row in rows
    ]


def localize_evaluation(texts: TextsByVersion, evaluation: Evaluation, language: str) -> Evaluation:
    """The evaluation with its scorecard's and criteria's names and tips in `language`.

    A tip the YAML lacks in `language` stays as scored (in the call's language).
    """
    found = _texts(texts, evaluation.scorecard, evaluation.scorecard_version)
    return evaluation if found is None else localize_with(found, evaluation, language)


def localize_with(found: ScorecardTexts, evaluation: Evaluation, language: str) -> Evaluation:
    """The evaluation named by these texts (those of the scorecard that scored it)."""

    def verdict(v: CriterionVerdict) -> CriterionVerdict:
        criterion = found.criteria.get(v.criterion)
        if criterion is None:
            return v
        tip = criterion.coaching_tip.get(language) or v.coaching_tip
        return replace(v, name=text_in(criterion.name, language), coaching_tip=tip)

    return replace(
        evaluation,
        scorecard_name=text_in(found.name, language),
        verdicts=tuple(verdict(v) for v in evaluation.verdicts),
    )
