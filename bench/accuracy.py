"""Rude-language detection on the dev data: phrase lists alone, the classifier alone, and the
shipped combination, per language, with 95 % bootstrap intervals; abstention and speed.

    nice -n 10 python bench/accuracy.py [--max-texts 3000]

Classifier scores are out-of-fold (5-fold, grouped so a rude comment and its paraphrase share a
fold), trained as the shipped model is (public texts plus the phrase lists). Needs
../shared/data/dev (or CALLQA_DEV_DATA); embeddings are cached under /tmp between runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scorecards import load_scorecard_text, score_call, shipped_scorecards  # noqa: E402
from scorecards.embedding import EmbeddingService, _load_verified_model  # noqa: E402
from scorecards.training import dev_data  # noqa: E402
from scorecards.training.build import phrase_list_examples, training_rows  # noqa: E402
from scorecards.training.embedding_cache import embed_cached  # noqa: E402
from scorecards.training.fit import cross_validate, with_ci  # noqa: E402
from transcription.transcript import CallTranscript, Utterance  # noqa: E402

PHRASES_ONLY = """
id: rude_phrases
name: Rude phrases
pass_mark: 50
sections:
  - id: s
    name: S
    criteria:
      - id: rude
        name: Rude
        speaker: agent
        points: 1
        check: {type: phrase_absent, params: {lists: [rude], threshold: 88}}
        coaching_tip: {en: x, ru: x, fa: x}
"""


def shipped_threshold() -> float:
    card = next(c for c in shipped_scorecards() if c.id == "politeness")
    criterion = next(c for c in card.criteria() if c.id == "no_rude_language")
    learned = next(ch for ch in criterion.check.children if ch.name == "classifier")
    return float(learned.params.threshold or 0.5)


def phrase_flags(texts: tuple[str, ...], language: str) -> np.ndarray:
    card = load_scorecard_text(PHRASES_ONLY, "bench")
    flags = []
    for text in texts:
        transcript = CallTranscript(
            language, 1.0, 5.0, "stereo", (Utterance("agent", 0.0, 5.0, text),)
        )
        (evaluation,) = score_call(transcript, None, [card])
        flags.append(evaluation.verdict("rude").outcome == "fail")
    return np.array(flags, dtype=int)


def out_of_fold(service: EmbeddingService, labelled: dev_data.LabelledSet, seed: int):
    extra = [e for e in phrase_list_examples() if e.language == labelled.language]
    texts, y, groups, weights = training_rows(labelled, extra)
    cv = cross_validate(embed_cached(service, texts), y, groups, seed, weights)
    return cv.probabilities[: len(labelled.texts)]


def ci(y: np.ndarray, predicted: np.ndarray, seed: int) -> str:
    score, low, high = with_ci(y, predicted, seed)
    return f"{score:.3f} [{low:.3f}-{high:.3f}]"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-texts", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    try:
        sets = [dev_data.subsample(s, args.max_texts, args.seed) for s in dev_data.rudeness_sets()]
    except dev_data.DevDataMissing as error:
        print(f"skipped: {error}")
        return 0
    service = EmbeddingService(_load_verified_model())
    threshold = shipped_threshold()
    from scorecards.learned import shipped_classifier

    print(f"shipped threshold {threshold}; {args.max_texts} texts per language at most")
    print(
        "lang  n     phrase lists           classifier (0.5)       classifier (shipped)  "
        "combination (shipped)  abstain  phrase u/s  classifier u/s"
    )
    for labelled in sets:
        y = np.array(labelled.labels)
        started = time.perf_counter()
        phrases = phrase_flags(labelled.texts, labelled.language)
        phrase_rate = len(y) / (time.perf_counter() - started)
        p = out_of_fold(service, labelled, args.seed)
        head = shipped_classifier("rude").heads[labelled.language]
        width = (head.band[1] - head.band[0]) / 2
        abstain = float(np.mean(np.abs(p - threshold) < width))
        learned = (p >= threshold).astype(int)
        combined = np.maximum(phrases, learned)
        fresh = [f"{t} #{args.seed}" for t in labelled.texts[:64]]  # uncached: real speed
        started = time.perf_counter()
        EmbeddingService(service._embedder).embed(fresh)
        learned_rate = len(fresh) / (time.perf_counter() - started)
        print(
            f"{labelled.language:4}  {len(y):<5} {ci(y, phrases, args.seed):22} "
            f"{ci(y, (p >= 0.5).astype(int), args.seed):22} {ci(y, learned, args.seed):21} "
            f"{ci(y, combined, args.seed):22} {abstain:6.1%}  {phrase_rate:10.0f}  "
            f"{learned_rate:6.0f} ({learned_rate / phrase_rate:.3f}x)",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
