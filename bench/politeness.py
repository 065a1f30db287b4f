"""What the English politeness model says about Russian and Persian: a transfer check.

    nice -n 10 python bench/politeness.py [--pairs 500] [--persian 1000]

The shipped `politeness` head was trained on English Wikipedia requests only. There is no
labelled Russian or Persian politeness data, so this measures what can be measured, as ranking
(AUC: the chance that a polite text scores above an impolite one; 0.5 = no signal), with 95 %
bootstrap intervals:

- **en reference**: out-of-fold AUC on Stanford Politeness (top vs bottom quartile), refitted
  per fold as the shipped head was trained.
- **ru pairs**: RuParaDetox, each rude comment against its own polite paraphrase (same content,
  so only the wording differs): the share of pairs where the paraphrase scores higher.
- **fa**: ParsOffensive, neutral against offensive comments (offence, not impoliteness: a proxy).
- **in-domain, all three languages**: callqa's own agent phrase lists (courtesy, greeting,
  closing, empathy, offer of help) against its `rude` list, which are translations of one another,
  so the mean score per language also shows whether the *level* transfers, not only the order.

Needs ../shared/data/dev (or CALLQA_DEV_DATA); embeddings cached under CALLQA_EMBEDDING_CACHE.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scorecards.embedding import embedding_service  # noqa: E402
from scorecards.learned import shipped_classifier  # noqa: E402
from scorecards.loader import PHRASES_DIR, load_phrase_lists  # noqa: E402
from scorecards.training import dev_data  # noqa: E402
from scorecards.training.embedding_cache import embed_cached  # noqa: E402
from scorecards.training.fit import cross_validate  # noqa: E402

POLITE_LISTS = ("courtesy", "greeting", "closing", "empathy", "offer_help", "anything_else")
BOOTSTRAP = 1000


def auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """P(a positive scores above a negative), ties counting half (Mann-Whitney)."""
    ranks = np.argsort(np.argsort(np.concatenate([positive, negative]), kind="stable")) + 1.0
    scores = np.concatenate([positive, negative])
    for value in np.unique(scores):  # average ranks of ties
        tied = scores == value
        ranks[tied] = ranks[tied].mean()
    u = ranks[: len(positive)].sum() - len(positive) * (len(positive) + 1) / 2
    return float(u / (len(positive) * len(negative)))


def auc_ci(positive: np.ndarray, negative: np.ndarray, seed: int) -> tuple[float, float, float]:
    rng = np.random.default_rng(seed)
    draws = [
        auc(rng.choice(positive, len(positive)), rng.choice(negative, len(negative)))
        for _ in range(BOOTSTRAP)
    ]
    low, high = np.percentile(draws, [2.5, 97.5])
    return auc(positive, negative), float(low), float(high)


def paired_ci(higher: np.ndarray, seed: int) -> tuple[float, float, float]:
    """Share of pairs where the polite text scores higher, with its bootstrap interval."""
    rng = np.random.default_rng(seed)
    draws = [float(rng.choice(higher, len(higher)).mean()) for _ in range(BOOTSTRAP)]
    low, high = np.percentile(draws, [2.5, 97.5])
    return float(higher.mean()), float(low), float(high)


def line(label: str, figure: tuple[float, float, float], extra: str = "") -> None:
    value, low, high = figure
    print(f"{label:<44} {value:.3f} [{low:.3f}-{high:.3f}]  {extra}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=500, help="RuParaDetox pairs")
    parser.add_argument("--persian", type=int, default=1000, help="ParsOffensive comments")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    try:
        english = dev_data.english_impoliteness()
        russian = dev_data.russian_rudeness(limit_pairs=args.pairs, seed=args.seed)
        persian = dev_data.subsample(dev_data.persian_offensiveness(), args.persian, args.seed)
    except dev_data.DevDataMissing as missing:
        print(f"skipped: {missing}")
        return 0
    service = embedding_service()
    model = shipped_classifier("politeness")
    head = model.head("en", "en")
    print(f"politeness model {model.label}: P(polite), English head applied to every language\n")

    x = embed_cached(service, english.texts)
    polite = 1 - np.array(english.labels)
    oof = cross_validate(x, polite, np.array(english.groups), args.seed).probabilities
    line("en  Stanford, out-of-fold AUC", auc_ci(oof[polite == 1], oof[polite == 0], args.seed))

    p = head.probability(embed_cached(service, russian.texts))
    rude, paraphrase = p[0::2], p[1::2]
    line(
        "ru  RuParaDetox, paraphrase above its original",
        paired_ci((paraphrase > rude).astype(float), args.seed),
        f"mean P: polite {paraphrase.mean():.2f}, rude {rude.mean():.2f}",
    )
    line("ru  RuParaDetox, AUC (unpaired)", auc_ci(paraphrase, rude, args.seed))

    p = head.probability(embed_cached(service, persian.texts))
    labels = np.array(persian.labels)
    line(
        "fa  ParsOffensive, neutral above offensive",
        auc_ci(p[labels == 0], p[labels == 1], args.seed),
        f"mean P: neutral {p[labels == 0].mean():.2f}, offensive {p[labels == 1].mean():.2f}",
    )

    print("\nin-domain: agent phrase lists (polite) against the rude list, per language")
    lists = load_phrase_lists(PHRASES_DIR)
    for language in ("en", "ru", "fa"):
        kind = {
            "polite": [t for n in POLITE_LISTS for t in lists[n].get(language, [])],
            "rude": list(lists["rude"].get(language, [])),
        }
        scores = {
            k: head.probability(embed_cached(service, [t.rstrip("*") for t in texts]))
            for k, texts in kind.items()
        }
        line(
            f"{language}  phrase lists, AUC (n {len(kind['polite'])}/{len(kind['rude'])})",
            auc_ci(scores["polite"], scores["rude"], args.seed),
            f"mean P: polite {scores['polite'].mean():.2f}, rude {scores['rude'].mean():.2f}",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
