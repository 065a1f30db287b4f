"""The transcript drawn as HTML: speakers, times, evidence highlighted, Persian right to left."""

from __future__ import annotations

import html
import re
from collections import defaultdict

import streamlit as st

from languages import find
from qa.i18n import N_, _
from qa.locale_format import join, percent
from qa.ui.components.labels import language_label, speaker_label
from qa.ui.components.time import format_clock
from scorecards.results import CriterionVerdict
from transcription.model_fit import is_weak_for
from transcription.transcript import CallTranscript

_RTL_SCRIPT = re.compile(r"[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]")
# Where an admin reads how to give the app a bigger model (docs/transcription.md).
MODEL_DOCS_URL = "docs/transcription.md#bigger-models-for-persian-and-russian"
WEAK_MODEL_WARNING = N_(
    "This call was transcribed with the {model} model, which is known to be weak for its "
    "language ({language}): expect more transcription errors. An admin can set a bigger model: "
    "see [Bigger models]({url})."
)

_STYLE = """
<style>
.callqa-transcript { display: flex; flex-direction: column; gap: .35rem; }
.callqa-utt { padding: .35rem .6rem; border-radius: .5rem;
  border: 1px solid rgba(128,128,128,.25); }
.callqa-utt.agent { background: rgba(30,136,229,.07); }
.callqa-utt.customer { background: rgba(67,160,71,.07); }
.callqa-utt.evidence { border: 2px solid #f9a825; background: rgba(249,168,37,.18); }
.callqa-meta { font-size: .75rem; opacity: .7; direction: ltr; text-align: left; }
.callqa-tags { font-size: .72rem; color: #8d6e00; }
.callqa-text[dir="rtl"] { text-align: right; font-family: Vazirmatn, Tahoma, sans-serif; }
</style>
"""


def is_rtl(text: str, language: str | None = None) -> bool:
    """Right to left for Persian (and other RTL languages), whatever the call's language says."""
    registered = find(language)
    return (registered is not None and registered.rtl) or bool(_RTL_SCRIPT.search(text))


def evidence_by_utterance(verdicts: tuple[CriterionVerdict, ...]) -> dict[int, list[str]]:
    """Which criteria cite each utterance, so the transcript can mark them."""
    cited: dict[int, list[str]] = defaultdict(list)
    for verdict in verdicts:
        for evidence in verdict.evidence:
            index = evidence.utterance_index
            if index is not None and verdict.name not in cited[index]:
                cited[index].append(verdict.name)
    return cited


def evidence_for(criteria: list[str]) -> str:
    return _("evidence for: {criteria}").format(criteria=join(criteria))


def transcript_html(transcript: CallTranscript, verdicts: tuple[CriterionVerdict, ...] = ()) -> str:
    cited = evidence_by_utterance(verdicts)
    parts = [_STYLE, '<div class="callqa-transcript">']
    for index, utterance in enumerate(transcript.utterances):
        classes = ["callqa-utt", utterance.speaker] + (["evidence"] if index in cited else [])
        direction = "rtl" if is_rtl(utterance.text, transcript.language) else "ltr"
        tags = (
            f'<div class="callqa-tags">{html.escape(evidence_for(cited[index]))}</div>'
            if index in cited
            else ""
        )
        parts.append(
            f'<div class="{" ".join(classes)}" id="utt-{index}">'
            f'<div class="callqa-meta" dir="ltr">#{index} · '
            f"<bdi>{html.escape(speaker_label(utterance.speaker))}</bdi> · "
            f"{format_clock(utterance.start)}–{format_clock(utterance.end)}</div>"
            f'<div class="callqa-text" dir="{direction}" lang="{html.escape(transcript.language)}">'
            f"{html.escape(utterance.text)}</div>{tags}</div>"
        )
    parts.append("</div>")
    return "".join(parts)


def show_transcript(
    transcript: CallTranscript | None, verdicts: tuple[CriterionVerdict, ...] = ()
) -> None:
    if transcript is None:
        st.info(_("This call has no transcript yet."))
        return
    if transcript.role_confidence is not None:
        confidence = percent(transcript.role_confidence)
        if transcript.roles_uncertain:
            st.warning(
                _(
                    "Mono recording: agent and customer were told apart by voice with low "
                    "confidence ({confidence}); criteria about one party wait for a reviewer."
                ).format(confidence=confidence)
            )
        else:
            st.caption(
                _(
                    "Mono recording: agent and customer told apart by voice "
                    "(confidence {confidence})."
                ).format(confidence=confidence)
            )
    elif not transcript.speakers_known:
        st.caption(_("Mono recording: speakers could not be told apart."))
    if is_weak_for(transcript.model, transcript.language):
        st.warning(
            _(WEAK_MODEL_WARNING).format(
                model=transcript.model,
                language=language_label(transcript.language),
                url=MODEL_DOCS_URL,
            )
        )
    st.html(transcript_html(transcript, verdicts))


def rtl_markdown(text: str, label: str | None = None) -> None:
    """A line of text that may be Persian, drawn in its own direction.

    The label (e.g. the speaker) is isolated with <bdi>, so "agent:" keeps its colon where an
    English reader expects it even at the start of a right-to-left line.
    """
    direction = "rtl" if is_rtl(text) else "ltr"
    prefix = f"<bdi><b>{html.escape(label)}</b>:</bdi> " if label else ""
    st.html(f'<div dir="{direction}" style="text-align:start">{prefix}{html.escape(text)}</div>')
