"""python -m scorecards.training: rebuild the shipped learned models from ../shared/data/dev."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from scorecards.embedding import embedding_service
from scorecards.learned import MODELS_DIR, TextClassifier
from scorecards.training import dev_data
from scorecards.training.build import build_politeness, build_rudeness

ALL = ["en", "fa", "ru"]


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
    parser.add_argument(
        "--languages",
        default=",".join(ALL),
        help="rebuild only these rude heads (comma-separated); the others, their metrics and "
        "the politeness model (unless en is rebuilt) are kept as stored in --out",
    )
    args = parser.parse_args(argv)
    languages = sorted(args.languages.split(","))
    try:
        caps = dev_data.parse_caps(args.max_texts)
        sets = [
            dev_data.capped(s, caps, args.seed)
            for s in dev_data.rudeness_sets()
            if s.language in languages
        ]
    except dev_data.DevDataMissing as error:
        print(error, file=sys.stderr)
        return 2
    service = embedding_service()
    out = Path(args.out)
    rude = build_rudeness(service, sets, args.seed)
    rude = dataclasses.replace(rude, classifier=with_stored_heads(rude.classifier, out))
    built = [rude]
    stored = {} if languages == ALL else _stored_metrics(out)
    if languages == ALL:
        english = next(s for s in sets if s.language == "en")
        others = [s for s in sets if s.language != "en"]
        built.append(build_politeness(service, english, others, args.seed))
    # else politeness (which measures its transfer on every language's texts) is kept as stored
    for model in built:
        path = out / f"{model.classifier.name}.npz"
        path.write_bytes(model.classifier.to_bytes())
        print(f"{path}: version {model.classifier.version}")
    counts = {s.language: len(s.texts) for s in sets}
    metrics = {
        "texts_per_language": {**stored.get("texts_per_language", {}), **counts},
        "seed": args.seed,
        "rude": {**stored.get("rude", {}), **rude.metrics},
        "politeness": built[1].metrics if len(built) > 1 else stored.get("politeness", {}),
    }
    with open(out / "metrics.json", "w", encoding="utf-8") as handle:
        json.dump(metrics, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    print(json.dumps(metrics, indent=2, ensure_ascii=False))
    return 0


def _stored_metrics(out: Path) -> dict[str, Any]:
    path = out / "metrics.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def with_stored_heads(classifier: TextClassifier, out: Path) -> TextClassifier:
    """The rebuilt heads beside the stored file's other languages, unchanged (rebuilding Russian
    means embedding ~14,000 texts; its head does not change when only English's recipe does)."""
    path = out / f"{classifier.name}.npz"
    if not path.exists():
        return classifier
    stored = TextClassifier.from_bytes(path.read_bytes())
    if set(stored.heads) <= set(classifier.heads):
        return classifier
    trained = dict(classifier.trained)
    for key in ("sources", "max_texts"):
        trained[key] = {**stored.trained.get(key, {}), **classifier.trained.get(key, {})}
    order = {**stored.heads, **classifier.heads}
    heads = {lang: classifier.heads.get(lang) or stored.heads[lang] for lang in order}
    return dataclasses.replace(classifier, heads=heads, trained=trained)


if __name__ == "__main__":
    sys.exit(main())
