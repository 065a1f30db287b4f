"""Which of a mono call's two voices is the agent: decided from what each one says.

The agent greets with the company's name, offers help, asks verification questions and closes
the call; the customer does none of these. The voice that opens an inbound call gets a small
head start, since the agent answers first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from transcription.diarization import SpeakerSplit

AGENT_CUES = (
    r"\bhow (can|may) i (help|assist)\b",
    r"\bthank(s| you) for (calling|contacting|holding|waiting)\b",
    r"\b(this is|my name is|you'?re speaking (to|with))\b",
    r"\bcan i (have|get) your\b",
    r"\b(verify|confirm) your\b",
    r"\b(is there )?anything else\b",
    r"\bhave a (nice|good|great) (day|evening)\b",
    r"\bone moment\b",
    r"\bчем (могу|я могу) (вам )?помочь\b",
    r"\bспасибо за (звонок|обращение|ожидание)\b",
    r"\bменя зовут\b",
    r"\bчем .*помочь\b",
    r"چطور (می ?تونم|می ?توانم) کمک",
    r"با تشکر از تماس",
    r"در خدمتم",
)
FIRST_SPEAKER_BONUS = 0.5


@dataclass(frozen=True)
class SpeakerRoles:
    agent_label: int
    # 0..1: the voice split's confidence times how clearly the words point at one side.
    confidence: float


def agent_cue_count(text: str, extra_cues: Sequence[str] = ()) -> int:
    lowered = text.lower()
    return sum(len(re.findall(cue, lowered)) for cue in (*AGENT_CUES, *extra_cues))


def decide_roles(
    split: SpeakerSplit, words: Sequence[str], extra_cues: Sequence[str] = ()
) -> SpeakerRoles:
    """`extra_cues`: the center's own phrases (its name, its scorecard's greeting)."""
    text = {0: [], 1: []}  # type: dict[int, list[str]]
    for label, word in zip(split.labels, words, strict=True):
        text[label].append(word)
    cues = {label: float(agent_cue_count(" ".join(t), extra_cues)) for label, t in text.items()}
    if split.labels:
        cues[split.labels[0]] += FIRST_SPEAKER_BONUS
    agent = 0 if cues[0] >= cues[1] else 1
    total = cues[0] + cues[1]
    margin = abs(cues[0] - cues[1]) / total if total else 0.0
    return SpeakerRoles(agent, round(split.confidence * 0.5 + margin * 0.5, 3))
