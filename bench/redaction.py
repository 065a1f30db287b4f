"""Redaction on a labelled corpus: recall of sensitive numbers, ordinary numbers kept, lines/s.

    .venv/bin/python bench/redaction.py [--seconds 5]

The corpus (`bench/data/redaction_corpus.tsv`, 450 lines in en/ru/fa) labels each line with
one span: a sensitive one (card, phone, e-mail, ID, account, IBAN) that must not survive, or
an ordinary number (price, time, date, year, short order number) that must stay as it is.

- recall: sensitive spans masked (none of the span's 4-digit pieces, or its words, remain);
- kept: ordinary spans still there verbatim;
- precision: masked sensitive spans / all masked spans (masked ordinary ones are false alarms);
- lines/s on one core (the process is pinned to one CPU), wall clock and CPU time.

The baseline, run in the same process on the same lines, is the rule most redactors start
with: mask any run of 13 to 19 digits with single spaces or dashes between them. Targets:
recall >= 0.99, kept >= 0.95, >= 2000 lines/s on one core.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scorecards.personal_data import mask_text, normalize_digits  # noqa: E402

CORPUS = Path(__file__).with_name("data") / "redaction_corpus.tsv"
TARGETS = {"recall": 0.99, "kept": 0.95, "lines_per_second": 2000.0}
Redactor = Callable[[str, str | None], str]
_BASELINE = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)")


@dataclass(frozen=True)
class Line:
    language: str
    label: str
    span: str
    text: str


@dataclass(frozen=True)
class Scores:
    recall: float
    kept: float
    precision: float
    missed: list[Line]
    lost: list[Line]


def read_corpus() -> list[Line]:
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        return [Line(**row) for row in csv.DictReader(handle, delimiter="\t")]


def baseline(text: str, _language: str | None = None) -> str:
    return _BASELINE.sub("[NUMBER]", normalize_digits(text))


def _survives(span: str, output: str) -> bool:
    """Whether a recognisable piece of the span is still in the output.

    Four digits in a row, or three words in a row (numbers spoken as words, spoken e-mails).
    """
    digits = re.sub(r"\D", "", normalize_digits(span))
    out_digits = re.sub(r"\D", "", normalize_digits(output))
    if any(digits[i : i + 4] in out_digits for i in range(0, len(digits) - 3)):
        return True
    words = re.findall(r"[^\W\d_]+", span.lower())
    out = " ".join(re.findall(r"[^\W\d_]+", output.lower()))
    return any(" ".join(words[i : i + 3]) in out for i in range(0, len(words) - 2))


def score(lines: list[Line], redact: Redactor) -> Scores:
    missed, lost = [], []
    masked_sensitive = masked_ordinary = 0
    for line in lines:
        output = redact(line.text, line.language)
        if line.label == "ordinary":
            if line.span in output or normalize_digits(line.span) in output:
                continue
            lost.append(line)
            masked_ordinary += 1
        elif _survives(line.span, output):
            missed.append(line)
        else:
            masked_sensitive += 1
    sensitive = sum(1 for line in lines if line.label != "ordinary")
    ordinary = len(lines) - sensitive
    return Scores(
        recall=masked_sensitive / sensitive,
        kept=1 - masked_ordinary / ordinary,
        precision=masked_sensitive / max(masked_sensitive + masked_ordinary, 1),
        missed=missed,
        lost=lost,
    )


def throughput(
    lines: list[Line], redact: Callable[[str, str | None], str], seconds: float
) -> tuple[float, float]:
    """Lines per second by the wall clock and by this process's CPU time."""
    done = 0
    wall, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall < seconds:
        for line in lines:
            redact(line.text, line.language)
        done += len(lines)
    return done / (time.perf_counter() - wall), done / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    lines = read_corpus()
    counts = {lang: sum(1 for x in lines if x.language == lang) for lang in ("en", "ru", "fa")}
    print(f"corpus: {len(lines)} lines {counts}, "
          f"{sum(1 for x in lines if x.label != 'ordinary')} sensitive")  # fmt: skip
    ours, base = score(lines, mask_text), score(lines, baseline)
    our_rate, base_rate = (
        throughput(lines, mask_text, args.seconds),
        throughput(lines, baseline, args.seconds / 5),
    )
    heads = ("recall", "kept", "precision", "lines/s wall", "lines/s cpu")
    print(f"{'':10} {heads[0]:>8} {heads[1]:>8} {heads[2]:>10} {heads[3]:>13} {heads[4]:>12}")
    for name, s, (wall, cpu) in (("callqa", ours, our_rate), ("baseline", base, base_rate)):
        print(
            f"{name:10} {s.recall:8.3f} {s.kept:8.3f} {s.precision:10.3f} {wall:13.0f} {cpu:12.0f}"
        )
    print(
        f"ratio callqa/baseline: recall x{ours.recall / max(base.recall, 1e-9):.2f}, "
        f"speed x{our_rate[1] / base_rate[1]:.3f} (CPU time)"
    )
    print(f"targets: recall {ours.recall:.3f} >= {TARGETS['recall']}, kept {ours.kept:.3f} >= "
          f"{TARGETS['kept']}, {our_rate[1]:.0f} lines/s >= {TARGETS['lines_per_second']:.0f}: "
          + ("met" if ours.recall >= TARGETS["recall"] and ours.kept >= TARGETS["kept"]
             and our_rate[1] >= TARGETS["lines_per_second"] else "NOT met"))  # fmt: skip
    for line in ours.missed:
        print(f"  missed [{line.language} {line.label}] {line.text!r} -> {mask_text(line.text)!r}")
    for line in ours.lost:
        print(f"  masked ordinary [{line.language}] {line.text!r} -> {mask_text(line.text)!r}")


if __name__ == "__main__":
    main()
