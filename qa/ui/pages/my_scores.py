"""My scores: an agent's own evaluations, weak spots, coaching feedback and disputes."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from qa.i18n import _
from qa.queries.access import Viewer
from qa.queries.agent_view import (
    DisputeInvalid,
    EvaluationSummary,
    acknowledge,
    my_disputes,
    my_evaluations,
    raise_dispute,
    weakest_criteria,
)
from qa.queries.call_review import StoredEvaluation, call_for_review
from qa.queries.coaching import FocusProgress, coaching_sessions, focus_progress
from qa.queries.politeness import my_politeness_trend
from qa.storage.models import DisputeStatus, EvaluationKind
from qa.ui.components.politeness import politeness_trend
from qa.ui.components.time import format_date, format_datetime
from qa.ui.components.transcript import rtl_markdown
from qa.ui.components.verdicts import show_comments, show_verdict
from qa.ui.navigation import switch_to
from qa.ui.pages.call_review import CALL_KEY
from qa.ui.session import cached, current_viewer, db_session, invalidate

load_evaluations = cached(my_evaluations)
load_weakest = cached(weakest_criteria)
load_coaching = cached(coaching_sessions)
load_progress = cached(focus_progress)
load_disputes = cached(my_disputes)
load_call = cached(call_for_review)
load_politeness = cached(my_politeness_trend)


def render() -> None:
    viewer = current_viewer()
    st.title("My scores")
    evaluations = load_evaluations(viewer)
    if not evaluations:
        st.info("You have no evaluated calls yet.")
    else:
        # A reviewed call counts once, with the reviewer's evaluation.
        counted = [e for e in evaluations if e.counts]
        if counted:
            _trend(counted)
        else:
            st.info("Your calls have not been scored with the current scorecards yet.")
        _weakest(viewer)
        _evaluation(viewer, evaluations)
    politeness_trend(load_politeness(viewer), _("Agent"))
    _disputes(viewer)
    _coaching(viewer)


def _trend(evaluations: list[EvaluationSummary]) -> None:
    frame = pd.DataFrame(
        {
            "Call date": e.call_started_at,
            "Score": e.score,
            "Scorecard": e.scorecard,
            "Call": e.call_external_id,
            "Kind": e.kind.value,
        }
        for e in evaluations
    )
    passed = sum(e.passed for e in evaluations)
    tiles = st.columns(3)
    tiles[0].metric("Evaluations", len(evaluations))
    tiles[1].metric("Average score", f"{frame['Score'].mean():.1f}%")
    tiles[2].metric("Passed", f"{100 * passed / len(evaluations):.0f}%")
    figure = px.line(
        frame.sort_values("Call date"),
        x="Call date",
        y="Score",
        color="Scorecard",
        markers=True,
        hover_data=["Call", "Kind"],
        range_y=[0, 105],
    )
    figure.update_layout(height=320, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    st.plotly_chart(figure, width="stretch")


def _weakest(viewer: Viewer) -> None:
    weakest = load_weakest(viewer)
    st.subheader("Where to improve")
    if not weakest:
        st.success("No failed criteria so far.")
        return
    frame = pd.DataFrame(
        {
            "Criterion": w.name,
            "Failed": w.failed,
            "Of": w.applicable,
            "Failure rate": f"{100 * w.failure_rate:.0f}%",
        }
        for w in weakest
    )
    st.dataframe(frame, hide_index=True, width="stretch")


def _evaluation(viewer: Viewer, evaluations: list[EvaluationSummary]) -> None:
    st.subheader("Evaluations")
    labels = {
        e.id: f"{format_datetime(e.call_started_at)} · {e.call_external_id} · {e.scorecard} · "
        f"{e.score:.0f}% ({_kind(e)})"
        for e in evaluations
    }
    chosen = st.selectbox("Evaluation", list(labels), format_func=labels.__getitem__)
    summary = next(e for e in evaluations if e.id == chosen)
    call = load_call(viewer, summary.call_id)
    stored = next(e for e in call.evaluations if e.id == summary.id)
    _acknowledgement(viewer, stored)
    for verdict in stored.evaluation.verdicts:
        with st.container(border=True):
            show_verdict(verdict, f"m{stored.id}-{verdict.criterion}", seekable=False)
            if stored.overrides.get(verdict.criterion):
                st.caption(f"Reviewer's reason: {stored.overrides[verdict.criterion]}")
    show_comments(call.comments)
    _dispute_form(viewer, stored)
    if st.button("Listen to this call", icon=":material/headphones:"):
        st.session_state[CALL_KEY] = summary.call_id
        switch_to("call_review")


def _kind(summary: EvaluationSummary) -> str:
    if summary.kind is EvaluationKind.human:
        return "reviewed by QA"
    return "automatic" if summary.counts else "automatic, superseded"


def _acknowledgement(viewer: Viewer, stored: StoredEvaluation) -> None:
    if stored.acknowledged_at is not None:
        when = format_datetime(stored.acknowledged_at)
        st.caption(f"You acknowledged this evaluation on {when}.")
        return
    if st.button("Acknowledge", key=f"ack-{stored.id}", icon=":material/done:"):
        with db_session() as session:
            acknowledge(session, viewer, stored.id)
        invalidate()
        st.rerun()


def _dispute_form(viewer: Viewer, stored: StoredEvaluation) -> None:
    names = {v.criterion: f"{v.name} ({v.outcome})" for v in stored.evaluation.verdicts}
    with st.form(f"dispute-{stored.id}", clear_on_submit=True):
        st.markdown("**Dispute a verdict**")
        criterion = st.selectbox("Verdict", list(names), format_func=names.__getitem__)
        reason = st.text_area("Why do you disagree?")
        submitted = st.form_submit_button("Send dispute")
    if not submitted:
        return
    try:
        with db_session() as session:
            raise_dispute(session, viewer, stored.id, criterion, reason)
    except DisputeInvalid as invalid:
        st.error(str(invalid))
        return
    invalidate()
    st.success("Your dispute was sent to the review queue.")


def _disputes(viewer: Viewer) -> None:
    disputes = load_disputes(viewer)
    if not disputes:
        return
    st.subheader("My disputes")
    for d in disputes:
        with st.container(border=True):
            status = "waiting for a reviewer" if d.status is DisputeStatus.open else d.status.value
            st.markdown(f"`{d.criterion}` · raised {format_datetime(d.created_at)} · **{status}**")
            rtl_markdown(d.reason)
            if d.resolution:
                st.caption(f"Resolution ({format_datetime(d.resolved_at)}):")
                rtl_markdown(d.resolution)


def _coaching(viewer: Viewer) -> None:
    sessions = load_coaching(viewer, viewer.agent_id) if viewer.agent_id is not None else []
    st.subheader("Feedback from coaches")
    if not sessions:
        st.caption("No coaching sessions yet.")
        return
    for s in sessions:
        with st.expander(f"{format_date(s.held_on)} with {s.coach}"):
            if s.focus_criteria:
                _progress(load_progress(viewer, s.id))
            parts = (("Notes", s.notes), ("Goals", s.goals), ("Action items", s.action_items))
            for label, text in parts:
                if text:
                    st.markdown(f"**{label}**")
                    rtl_markdown(text)
            if s.follow_up_on:
                st.caption(f"Follow-up on {format_date(s.follow_up_on)}")


def _progress(progress: list[FocusProgress]) -> None:
    """The focus criteria, with the agent's score on each before and after the session."""

    def percent(value: float | None) -> str:
        return "—" if value is None else f"{value:.0f}%"

    frame = pd.DataFrame(
        {
            "Focus": p.name,
            "Before": percent(p.before.score),
            "After": percent(p.after.score),
            "Change": "—" if p.change is None else f"{p.change:+.0f} points",
        }
        for p in progress
    )
    st.dataframe(frame, hide_index=True, width="stretch")
