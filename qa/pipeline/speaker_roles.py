"""Which of a mono call's two voices is the agent: decided from what each one says.

The agent greets with the company's name, offers help, asks verification questions and closes
the call; the customer does none of these. The voice that opens the call breaks a tie, since the
agent usually answers first. Lives in `qa`, not `transcription`: the center's own phrases
(`CALLQA_ROLE_AGENT_PHRASES`) and the threshold it trusts are the platform's settings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from transcription.transcript import CallTranscript, Speaker

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
    r"\b(ещё|еще) чем-нибудь\b",
    # Persian writes the prefix می with a zero-width non-joiner (U+200C), a space or neither.
    r"چطور می[\u200c ]?(تونم|توانم) کمک",
    r"با تشکر از تماس",
    r"از تماس(تان| شما)? (سپاسگزار|ممنون|متشکر)",
    r"کار دیگری",
    r"در خدمتم",
)
FIRST_SPEAKER_BONUS = 0.5


@dataclass(frozen=True)
class SpeakerRoles:
    agent_label: int
    # 0..1: how far the voice split can be trusted, times how sure the choice of agent is
    # (from 1 when every agent phrase falls on one voice down to 0.5, a guess, with none).
    confidence: float


def agent_cue_count(text: str, extra_cues: Sequence[str] = ()) -> int:
    lowered = text.lower()
    return sum(len(re.findall(cue, lowered)) for cue in (*AGENT_CUES, *extra_cues))


def decide_roles(
    voices: Sequence[int],
    words: Sequence[str],
    split_confidence: float,
    extra_cues: Sequence[str] = (),
) -> SpeakerRoles:
    """`voices`: each word's voice (0/1); `split_confidence`: how far the voice split can be
    trusted (0..1); `extra_cues`: the center's own phrases (its name, its greeting).

    The two are multiplied, not averaged: the roles are right only if the split and the choice
    of agent both are, and a split that gave one voice every word also gives it every agent
    phrase, a clear margin that must not make up for the split (it did, and the average ranked
    calls against their accuracy)."""
    text: dict[int, list[str]] = {0: [], 1: []}
    for voice, word in zip(voices, words, strict=True):
        text[voice].append(word)
    cues = {voice: agent_cue_count(" ".join(t), extra_cues) for voice, t in text.items()}
    # The first voice's head start breaks ties; it is no evidence, so not part of the margin.
    first = voices[0] if voices else None
    leaning = {v: cues[v] + (FIRST_SPEAKER_BONUS if v == first else 0.0) for v in cues}
    agent = 0 if leaning[0] >= leaning[1] else 1
    total = cues[0] + cues[1]
    margin = abs(cues[0] - cues[1]) / total if total else 0.0
    return SpeakerRoles(agent, round(split_confidence * (0.5 + 0.5 * margin), 3))


def with_roles(
    transcript: CallTranscript,
    min_confidence: float,
    min_overtalk: float,
    extra_cues: Sequence[str] = (),
) -> CallTranscript:
    """A mono transcript whose voices became agent and customer, with the call's role
    confidence, `roles_uncertain` below `min_confidence`, and per-speaker metrics; any other
    transcript (stereo, or mono without voices) as it is."""
    utterances = transcript.utterances
    mono_with_voices = utterances and all(u.voice is not None for u in utterances)
    if transcript.channel_layout != "mono" or not mono_with_voices:
        return transcript
    voices = [u.voice or 0 for u in utterances for _ in u.words]  # all set: checked above
    words = [w.word.strip() for u in utterances for w in u.words]
    roles = decide_roles(voices, words, transcript.voice_separation or 0.0, extra_cues)
    role_of: dict[int | None, Speaker] = {
        roles.agent_label: "agent",
        1 - roles.agent_label: "customer",
    }
    labelled = tuple(replace(u, speaker=role_of[u.voice]) for u in utterances)
    # Imported here: acoustics reads audio through PyAV, which `qa` must not load at start-up.
    from transcription.acoustics import call_metrics

    metrics = call_metrics(
        labelled, transcript.metrics.hold_threshold, min_overtalk, transcript.duration
    )
    return replace(
        transcript,
        utterances=labelled,
        metrics=metrics,
        role_confidence=roles.confidence,
        roles_uncertain=roles.confidence < min_confidence,
    )


def redecide_roles(
    transcript: CallTranscript,
    min_confidence: float,
    min_overtalk: float,
    extra_cues: Sequence[str] = (),
) -> CallTranscript:
    """A stored mono transcript's roles decided again under the present phrases and threshold.

    The stored labels keep the two voices apart (each voice got one label) and the separation
    was kept when the call was transcribed, so nothing is heard again. A transcript whose roles
    were not decided from its voices (stereo, or stored before the separation was kept) is
    returned as it is."""
    voice_of = {"agent": 0, "customer": 1}
    decided = transcript.role_confidence is not None and transcript.voice_separation is not None
    if not decided or any(u.speaker not in voice_of for u in transcript.utterances):
        return transcript
    voiced = tuple(replace(u, voice=voice_of[u.speaker]) for u in transcript.utterances)
    return with_roles(
        replace(transcript, utterances=voiced), min_confidence, min_overtalk, extra_cues
    )
