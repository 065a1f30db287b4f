"""Rude-language detection on the dev data: phrase lists alone, the classifier alone, and the
shipped combination, per language, with 95 % bootstrap intervals; abstention and speed.

    nice -n 10 python bench/accuracy.py [--max-texts N] [--without-phrase-examples]
                                        [--without-strategies] [--languages en]

Classifier scores are out-of-fold (5-fold, grouped so a rude comment and its paraphrase, and
every copy of a repeated text, share a fold), trained as the shipped model is (both readers
and their stack; public texts plus the phrase lists, which only ever train). The abstain band
is chosen around the shipped threshold from those scores (at most 10 % of texts);
"combination decided" is balanced accuracy on the texts outside it. Needs ../shared/data/dev
(or CALLQA_DEV_DATA); embeddings are cached between runs (CALLQA_EMBEDDING_CACHE).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scorecards import load_scorecard_text, score_call, shipped_scorecards  # noqa: E402
from scorecards.criteria.composite import AllOf  # noqa: E402
from scorecards.embedding import EmbeddingService, _load_verified_model  # noqa: E402
from scorecards.training import dev_data  # noqa: E402
from scorecards.training.build import (  # noqa: E402
    STRATEGY_LANGUAGES,
    fit_language,
    phrase_list_examples,
)
from scorecards.training.fit import with_ci  # noqa: E402
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
    if not isinstance(criterion.check, AllOf):
        raise TypeError("politeness.no_rude_language is no longer an `all` of checks")
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


def ci(y: np.ndarray, predicted: np.ndarray, seed: int) -> str:
    score, low, high = with_ci(y, predicted, seed)
    return f"{score:.3f} [{low:.3f}-{high:.3f}]"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-texts", type=int, default=None, help="per language (subsample)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--without-phrase-examples",
        action="store_true",
        help="train without the phrase lists as examples (to see what they add)",
    )
    parser.add_argument(
        "--without-strategies",
        action="store_true",
        help="train English without the politeness-strategy reader (the model before it)",
    )
    parser.add_argument("--languages", default="ru,fa,en")
    args = parser.parse_args()
    try:
        sets = [
            dev_data.subsample(s, args.max_texts, args.seed)
            for s in dev_data.rudeness_sets()
            if s.language in args.languages.split(",")
        ]
    except dev_data.DevDataMissing as error:
        print(f"skipped: {error}")
        return 0
    service = EmbeddingService(_load_verified_model())
    threshold = shipped_threshold()
    curated = [] if args.without_phrase_examples else phrase_list_examples()
    print(
        f"shipped threshold {threshold}; texts per language: {args.max_texts or 'all'}; "
        f"phrase-list examples in training: {len(curated)}"
    )
    print(
        "lang  n      phrase lists           classifier (0.5)       classifier (shipped)   "
        "combination (shipped)  abstain  combination decided    phrase u/s  classifier u/s"
    )
    for labelled in sets:
        y = np.array(labelled.labels)
        started = time.perf_counter()
        phrases = phrase_flags(labelled.texts, labelled.language)
        phrase_rate = len(y) / (time.perf_counter() - started)
        extra = [e for e in curated if e.language == labelled.language]
        reads = labelled.language in STRATEGY_LANGUAGES and not args.without_strategies
        fitted = fit_language(service, labelled, extra, args.seed, threshold, reads)
        p = fitted.probabilities
        low, high = fitted.head.band
        decided = (p < low) | (p >= high)
        learned = (p >= threshold).astype(int)
        combined = np.maximum(phrases, learned)
        fresh = [f"{t} #{args.seed}" for t in labelled.texts[:64]]  # uncached: real speed
        started = time.perf_counter()
        embeddings = EmbeddingService(service._embedder).embed(fresh)
        fitted.head.probability(embeddings, fresh)
        learned_rate = len(fresh) / (time.perf_counter() - started)
        print(
            f"{labelled.language:4}  {len(y):<6} {ci(y, phrases, args.seed):22} "
            f"{ci(y, (p >= 0.5).astype(int), args.seed):22} {ci(y, learned, args.seed):22} "
            f"{ci(y, combined, args.seed):22} {1 - decided.mean():6.1%}  "
            f"{ci(y[decided], combined[decided], args.seed):22} {phrase_rate:10.0f}  "
            f"{learned_rate:6.0f} ({learned_rate / phrase_rate:.3f}x)",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
