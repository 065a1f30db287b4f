"""False alarms of the shipped `rude` model on real and scripted polite agent speech.

    nice -n 10 python bench/agent_false_alarms.py

Per language, how many agent lines score rude (>= the model's threshold) or uncertain (inside
its abstain band): English, the agent lines of the Harper Valley human transcripts and of the
ABCD sample dialogues (real agent speech); every language, the polite script phrase lists the
shipped-scorecard test reads (in-domain, but also training examples of the model, so a floor).
A call is decided by its top utterance, so one flagged line is one call to a reviewer.
Needs ../shared/data (or CALLQA_DEV_DATA for dev/); embeddings are cached per text.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scorecards.embedding import embedding_service  # noqa: E402
from scorecards.learned import shipped_classifier  # noqa: E402
from scorecards.loader import PHRASES_DIR, load_phrase_lists  # noqa: E402
from scorecards.training import dev_data  # noqa: E402
from scorecards.training.embedding_cache import embed_cached  # noqa: E402

POLITE_LISTS = (
    "greeting", "agent_introduction", "offer_help", "recording_disclosure",
    "identity_verification", "account_details", "courtesy", "empathy", "resolution_statement",
    "next_steps", "anything_else", "closing",
)  # fmt: skip


def real_agent_lines(dev: Path) -> list[str]:
    """Agent turns of the 4 Harper Valley human transcripts and the 3 ABCD sample dialogues."""
    lines = []
    for path in sorted((dev.parent / "harper-valley" / "transcript").glob("*.json")):
        segments = json.loads(path.read_text(encoding="utf-8"))
        lines += [
            s["human_transcript"]
            for s in segments
            if s["speaker_role"] == "agent" and s["human_transcript"].strip()
        ]
    dialogues = json.loads((dev / "abcd" / "abcd_sample.json").read_text(encoding="utf-8"))
    return lines + [text for d in dialogues for role, text in d["original"] if role == "agent"]


def report(label: str, language: str, texts: list[str]) -> None:
    classifier = shipped_classifier("rude")
    head = classifier.heads[language]
    p = head.probability(embed_cached(embedding_service(), texts), texts)
    low, high = head.band
    rude = p >= classifier.threshold
    uncertain = (p >= low) & (p < high)
    print(
        f"{language}  {label:28} {len(texts):4}  rude {int(rude.sum()):3}  uncertain "
        f"{int(uncertain.sum()):3}  highest {p.max():.3f}",
        flush=True,
    )
    for index in np.flatnonzero(p >= low):
        print(f"      {p[index]:.3f}  {texts[index]}")


def main() -> int:
    try:
        dev = dev_data.dev_dir()
    except dev_data.DevDataMissing as error:
        print(f"skipped: {error}")
        return 0
    print(f"model {shipped_classifier('rude').label}")
    report("real agent lines (HV, ABCD)", "en", real_agent_lines(dev))
    lists = load_phrase_lists(PHRASES_DIR)
    for language in ("en", "ru", "fa"):
        phrases = [p.rstrip("*") for n in POLITE_LISTS for p in lists[n].get(language, [])]
        report("polite script phrases", language, phrases)
    return 0


if __name__ == "__main__":
    sys.exit(main())
