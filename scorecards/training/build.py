"""Build the shipped learned models from the dev data (plus, optionally, a center's own labels).

    nice -n 10 python -m scorecards.training [--max-texts [LANG=]N ...]

writes `scorecards/models/rude.npz`, `politeness.npz` and `metrics.json`. Seeded end to end: the
subsample, the folds and the bootstrap draw from `--seed`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scorecards import strategies
from scorecards.embedding import EmbeddingService, model_version
from scorecards.learned import LanguageHead, TextClassifier
from scorecards.training import dev_data
from scorecards.training.embedding_cache import embed_cached
from scorecards.training.fit import (
    abstain_band,
    cross_validate,
    fit_head,
    ngram_matrix,
    with_ci,
)

THRESHOLD = 0.5
MAX_ABSTAIN = 0.10  # per text (the ceiling); a call is decided by its top utterance
TEAM_WEIGHT = 3.0  # a reviewer's label on a real call counts more than one public example
# The strategy reader's lexicon is English, and its labels (Stanford impoliteness) are what the
# strategies were found to predict.
STRATEGY_LANGUAGES = frozenset({"en"})


@dataclass(frozen=True)
class TeamExample:
    """A label a reviewer gave an utterance of a real call (1 = rude, 0 = not rude)."""

    language: str
    text: str
    label: int


@dataclass(frozen=True)
class Built:
    classifier: TextClassifier
    metrics: dict[str, Any]


@dataclass(frozen=True)
class LanguageFit:
    """One language's head, and the out-of-fold probabilities of its public texts."""

    head: LanguageHead
    probabilities: np.ndarray
    extra: int


def fit_language(
    service: EmbeddingService,
    labelled: dev_data.LabelledSet,
    extra: Sequence[TeamExample],
    seed: int,
    threshold: float = THRESHOLD,
    read_strategies: bool = False,
) -> LanguageFit:
    """The readers and their stack on the public texts plus `extra` (weighted TEAM_WEIGHT);
    calibration, band and metrics come from the public texts' out-of-fold scores only."""
    texts, y, groups, weights = training_rows(labelled, extra)
    x = embed_cached(service, texts)
    h = ngram_matrix(texts)
    s = strategies.matrix(texts) if read_strategies else None
    public = np.arange(len(texts)) < len(labelled.texts)
    cv = cross_validate(x, h, y, groups, seed, weights, public, s)
    band = abstain_band(cv.probabilities, threshold, MAX_ABSTAIN)
    head = fit_head(x, h, y, cv, band, seed, weights, s)
    return LanguageFit(head, cv.probabilities, len(extra))


def build_rudeness(
    service: EmbeddingService,
    sets: Sequence[dev_data.LabelledSet],
    seed: int = 0,
    team: Sequence[TeamExample] = (),
    include_phrase_lists: bool = True,
) -> Built:
    """One head per language; the shipped phrase lists (in-domain call-centre speech) and
    the team's examples join their language's public examples, weighted TEAM_WEIGHT.

    The curated examples only ever train: every metric, the calibration and the abstain band
    come from the public texts' out-of-fold scores, so they cannot inflate the evaluation."""
    heads: dict[str, LanguageHead] = {}
    metrics: dict[str, Any] = {}
    curated = phrase_list_examples() if include_phrase_lists else []
    for labelled in sets:
        own = [e for e in (*curated, *team) if e.language == labelled.language]
        reads = labelled.language in STRATEGY_LANGUAGES
        fitted = fit_language(service, labelled, own, seed, read_strategies=reads)
        heads[labelled.language] = fitted.head
        y = np.array(labelled.labels)
        metrics[labelled.language] = _metrics(
            labelled, y, fitted.probabilities, fitted.head.band, seed, len(own)
        )
    classifier = TextClassifier(
        name="rude",
        heads=heads,
        threshold=THRESHOLD,
        embedding_model=model_version(),
        trained={
            "seed": seed,
            "sources": {s.language: s.source for s in sets},
            "max_texts": {s.language: len(s.texts) for s in sets},
            "team": len(team),
            "phrase_list_examples": len(curated),
        },
    )
    return Built(classifier, metrics)


def training_rows(
    labelled: dev_data.LabelledSet, extra: Sequence[TeamExample]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Public texts first, then the extra examples (each its own CV group, weighted)."""
    texts = list(labelled.texts) + [e.text for e in extra]
    y = np.array(list(labelled.labels) + [e.label for e in extra])
    offset = max(labelled.groups, default=0) + 1
    groups = np.array(list(labelled.groups) + [offset + i for i in range(len(extra))])
    weights = np.array([1.0] * len(labelled.texts) + [TEAM_WEIGHT] * len(extra))
    return texts, y, groups, weights


def phrase_list_examples() -> list[TeamExample]:
    """The shipped phrase lists as labelled in-domain speech: the `rude` list is rude, the
    script, courtesy and customer lists are not (`harsh_tone` is left out: impatient, not rude).

    Public data is social media and Wikipedia; without these the heads flagged a third of
    the English script phrases ("that sounds really frustrating") as rude."""
    from scorecards.loader import PHRASES_DIR, load_phrase_lists

    examples = []
    for name, by_language in load_phrase_lists(PHRASES_DIR).items():
        if name == "harsh_tone":
            continue
        label = int(name == "rude")
        for language, phrases in by_language.items():
            examples += [TeamExample(language, p.rstrip("*"), label) for p in phrases]
    return examples


def build_politeness(
    service: EmbeddingService,
    english: dev_data.LabelledSet,
    transfer: Sequence[dev_data.LabelledSet],
    seed: int = 0,
) -> Built:
    """P(polite) from Stanford Politeness (English); on ru / fa it is measured, not trained."""
    polite_labels = tuple(1 - label for label in english.labels)
    polite = dataclasses.replace(english, labels=polite_labels)
    fitted = fit_language(service, polite, (), seed)
    head = dataclasses.replace(fitted.head, band=(THRESHOLD, THRESHOLD))
    y = np.array(polite_labels)
    metrics: dict[str, Any] = {"en": _metrics(english, y, fitted.probabilities, head.band, seed, 0)}
    for other in transfer:  # zero-shot: does "polite" separate the polite paraphrases from rude?
        polite_other = 1 - np.array(other.labels)
        p = head.probability(embed_cached(service, other.texts), other.texts)
        score, low, high = with_ci(polite_other, (p >= THRESHOLD).astype(int), seed)
        metrics[f"{other.language} (zero-shot, polite vs rude)"] = {
            "n": len(polite_other),
            "balanced_accuracy": [round(score, 3), round(low, 3), round(high, 3)],
        }
    classifier = TextClassifier(
        name="politeness",
        heads={"en": head},
        threshold=THRESHOLD,
        embedding_model=model_version(),
        trained={"seed": seed, "sources": {"en": english.source}},
    )
    return Built(classifier, metrics)


def _metrics(
    labelled: dev_data.LabelledSet,
    y: np.ndarray,
    p: np.ndarray,
    band: tuple[float, float],
    seed: int,
    team: int,
) -> dict[str, Any]:
    predicted = (p >= THRESHOLD).astype(int)
    score, low, high = with_ci(y, predicted, seed)
    decided = (p < band[0]) | (p >= band[1])
    kept, kept_low, kept_high = with_ci(y[decided], predicted[decided], seed)
    return {
        "source": labelled.source,
        "n": int(len(y)),
        "positives": int(y.sum()),
        "team_examples": team,
        "balanced_accuracy": [round(score, 3), round(low, 3), round(high, 3)],
        "abstain_band": [round(band[0], 3), round(band[1], 3)],
        "abstention": round(1 - float(decided.mean()), 3),
        "balanced_accuracy_when_decided": [round(kept, 3), round(kept_low, 3), round(kept_high, 3)],
    }
