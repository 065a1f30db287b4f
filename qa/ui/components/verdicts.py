"""A criterion verdict drawn the same way on every page: outcome, explanation, evidence, tip."""

from __future__ import annotations

import streamlit as st

from qa.explanations import evidence_note, evidence_text, explanation_text
from qa.i18n import _
from qa.locale_format import digits
from qa.queries.call_review import CommentView
from qa.ui.components.labels import outcome_label, speaker_label
from qa.ui.components.time import format_clock, format_datetime
from qa.ui.components.transcript import rtl_markdown
from scorecards.results import CriterionVerdict

AUDIO_START_KEY = "audio_start_seconds"
OUTCOME_BADGES = {
    "pass": ":green-badge[:material/check: {label}]",
    "fail": ":red-badge[:material/close: {label}]",
    "na": ":gray-badge[{label}]",
}


def outcome_badge(outcome: str) -> str:
    badge = OUTCOME_BADGES.get(outcome, "{label}")
    return badge.format(label=outcome_label(outcome))


def seek_audio(seconds: float) -> None:
    st.session_state[AUDIO_START_KEY] = seconds


def show_verdict(verdict: CriterionVerdict, key: str, *, seekable: bool, tips: bool = True) -> None:
    """The verdict with one button per piece of evidence that starts the audio there."""
    critical = " :orange-badge[{label}]".format(label=_("critical")) if verdict.critical else ""
    points = _("{points}/{max_points} points").format(
        points=digits(f"{verdict.points:g}"), max_points=digits(f"{verdict.max_points:g}")
    )
    st.markdown(f"**{verdict.name}** {outcome_badge(verdict.outcome)}{critical} · {points}")
    if verdict.explanation:
        st.caption(explanation_text(verdict.explanation))
    for number, evidence in enumerate(verdict.evidence):
        columns = st.columns([1, 3], vertical_alignment="center")
        if evidence.start is not None and seekable:
            # A callback runs before the next script run, so the player above is redrawn
            # already starting at the evidence.
            columns[0].button(
                f"▶ {format_clock(evidence.start)}",
                key=f"{key}-evidence-{number}",
                help=_("Play the recording from here"),
                on_click=seek_audio,
                args=(evidence.start,),
            )
        elif evidence.start is not None:
            columns[0].write(format_clock(evidence.start))
        with columns[1]:
            rtl_markdown(evidence_text(evidence), label=speaker_label(evidence.speaker))
            note = evidence_note(evidence)
            if note:
                st.caption(note)
    if tips and verdict.coaching_tip and verdict.outcome == "fail":
        st.info(verdict.coaching_tip, icon=":material/lightbulb:")


def show_comments(comments: tuple[CommentView, ...]) -> None:
    """Reviewers' comments on a call, for the agent and coach as much as for other reviewers."""
    if not comments:
        return
    st.markdown("**{title}**".format(title=_("Comments")))
    for comment in comments:
        st.caption(f"{comment.author}, {format_datetime(comment.created_at)}")
        rtl_markdown(comment.body)
