"""Build the shipped learned models from the dev data (plus, optionally, a center's own labels).

    nice -n 10 python -m scorecards.training --max-texts 1500

writes `scorecards/models/rude.npz`, `politeness.npz` and `metrics.json`. Seeded end to end: the
subsample, the folds and the bootstrap draw from `--seed`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scorecards.embedding import EmbeddingService, model_version
from scorecards.learned import LanguageHead, TextClassifier
from scorecards.training import dev_data
from scorecards.training.embedding_cache import embed_cached
from scorecards.training.fit import abstain_band, cross_validate, fit_head, with_ci

THRESHOLD = 0.5
MAX_ABSTAIN = 0.10  # per text (the ceiling); a call is decided by its top utterance
TEAM_WEIGHT = 3.0  # a reviewer's label on a real call counts more than one public example


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


def build_rudeness(
    service: EmbeddingService,
    sets: Sequence[dev_data.LabelledSet],
    seed: int = 0,
    team: Sequence[TeamExample] = (),
    include_phrase_lists: bool = True,
) -> Built:
    """One head per language; the shipped phrase lists (in-domain call-centre speech) and
    the team's examples join their language's public examples, weighted TEAM_WEIGHT.

    Metrics are measured on the public texts only (their out-of-fold predictions)."""
    heads: dict[str, LanguageHead] = {}
    metrics: dict[str, Any] = {}
    curated = phrase_list_examples() if include_phrase_lists else []
    for labelled in sets:
        own = [e for e in (*curated, *team) if e.language == labelled.language]
        texts, y, groups, weights = training_rows(labelled, own)
        x = embed_cached(service, texts)
        cv = cross_validate(x, y, groups, seed, weights)
        band = abstain_band(cv.probabilities, THRESHOLD, MAX_ABSTAIN)
        heads[labelled.language] = fit_head(x, y, cv, band, seed, weights)
        public = len(labelled.texts)
        metrics[labelled.language] = _metrics(
            labelled, y[:public], cv.probabilities[:public], band, seed, len(own)
        )
    classifier = TextClassifier(
        name="rude",
        heads=heads,
        threshold=THRESHOLD,
        embedding_model=model_version(),
        trained={
            "seed": seed,
            "sources": {s.language: s.source for s in sets},
            "max_texts": max((len(s.texts) for s in sets), default=0),
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
    x = embed_cached(service, english.texts)
    y = 1 - np.array(english.labels)
    cv = cross_validate(x, y, np.array(english.groups), seed)
    head = fit_head(x, y, cv, (THRESHOLD, THRESHOLD), seed)
    metrics: dict[str, Any] = {"en": _metrics(english, y, cv.probabilities, (0.5, 0.5), seed, 0)}
    for other in transfer:  # zero-shot: does "polite" separate the polite paraphrases from rude?
        polite = 1 - np.array(other.labels)
        p = head.probability(embed_cached(service, other.texts))
        score, low, high = with_ci(polite, (p >= THRESHOLD).astype(int), seed)
        metrics[f"{other.language} (zero-shot, polite vs rude)"] = {
            "n": len(polite),
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


def capped(sets: Sequence[dev_data.LabelledSet], max_texts: Mapping[str, int | None], seed: int):
    return [dev_data.subsample(s, max_texts.get(s.language), seed) for s in sets]
