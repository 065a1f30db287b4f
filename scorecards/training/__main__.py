"""python -m scorecards.training: rebuild the shipped learned models from ../shared/data/dev."""

from __future__ import annotations

import argparse
import json
import sys

from scorecards.embedding import embedding_service
from scorecards.learned import MODELS_DIR
from scorecards.training import dev_data
from scorecards.training.build import build_politeness, build_rudeness


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--max-texts",
        action="append",
        default=[],
        metavar="[LANG=]N",
        help="subsample: N texts for every language, or LANG=N for one (repeatable)",
    )
    parser.add_argument("--out", default=str(MODELS_DIR))
    args = parser.parse_args(argv)
    try:
        caps = dev_data.parse_caps(args.max_texts)
        sets = [dev_data.capped(s, caps, args.seed) for s in dev_data.rudeness_sets()]
    except dev_data.DevDataMissing as error:
        print(error, file=sys.stderr)
        return 2
    service = embedding_service()
    rude = build_rudeness(service, sets, args.seed)
    english = next(s for s in sets if s.language == "en")
    polite = build_politeness(service, english, [s for s in sets if s.language != "en"], args.seed)
    for built in (rude, polite):
        path = f"{args.out}/{built.classifier.name}.npz"
        with open(path, "wb") as handle:
            handle.write(built.classifier.to_bytes())
        print(f"{path}: version {built.classifier.version}")
    metrics = {
        "texts_per_language": {s.language: len(s.texts) for s in sets},
        "seed": args.seed,
        "rude": rude.metrics,
        "politeness": polite.metrics,
    }
    with open(f"{args.out}/metrics.json", "w", encoding="utf-8") as handle:
        json.dump(metrics, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    print(json.dumps(metrics, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
