"""My scores: an agent's own evaluations, weak spots, coaching feedback and disputes."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from qa.i18n import _
from qa.locale_format import change_in_points, digits, percent, week_start_day
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
from qa.reports.chart_language import in_reading_language
from qa.storage.models import EvaluationKind
from qa.ui.components.coaching_link import linked_coaching
from qa.ui.components.labels import dispute_status_label, kind_label, outcome_label
from qa.ui.components.politeness import politeness_trend
from qa.ui.components.scorecard_text import (
    criterion_title,
    localized_verdicts,
    scorecard_title,
    with_criterion_names,
)
from qa.ui.components.tables import show_table
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
    st.title(_("My scores"))
    evaluations = load_evaluations(viewer)
    if not evaluations:
        st.info(_("You have no evaluated calls yet."))
    else:
        # A reviewed call counts once, with the reviewer's evaluation.
        counted = [e for e in evaluations if e.counts]
        if counted:
            _trend(counted)
        else:
            st.info(_("Your calls have not been scored with the current scorecards yet."))
        _weakest(viewer)
        _evaluation(viewer, evaluations)
    politeness_trend(load_politeness(viewer, week_starts_on=week_start_day()), _("Agent"))
    _disputes(viewer)
    _coaching(viewer)


def _trend(evaluations: list[EvaluationSummary]) -> None:
    call_date, score, scorecard = _("Call date"), _("Score"), _("Scorecard")
    call, kind = _("Call"), _("Kind")
    frame = pd.DataFrame(
        {
            call_date: e.call_started_at,
            score: e.score,
            scorecard: scorecard_title(e.scorecard_key, e.scorecard),
            call: e.call_external_id,
            kind: kind_label(e.kind),
        }
        for e in evaluations
    )
    passed = sum(e.passed for e in evaluations)
    tiles = st.columns(3)
    tiles[0].metric(_("Evaluations"), digits(str(len(evaluations))))
    tiles[1].metric(_("Average score"), percent(frame[score].mean() / 100, 1))
    tiles[2].metric(_("Passed"), percent(passed / len(evaluations)))
    figure = px.line(
        frame.sort_values(call_date),
        x=call_date,
        y=score,
        color=scorecard,
        markers=True,
        hover_data=[call, kind],
        range_y=[0, 105],
    )
    figure.update_layout(height=320, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    st.plotly_chart(in_reading_language(figure), width="stretch")


def _weakest(viewer: Viewer) -> None:
    weakest = load_weakest(viewer)
    st.subheader(_("Where to improve"))
    if not weakest:
        st.success(_("No failed criteria so far."))
        return
    frame = pd.DataFrame(
        {
            _("Criterion"): w.name,
            _("Failed"): w.failed,
            _("Of"): w.applicable,
            _("Failure rate"): percent(w.failure_rate),
        }
        for w in with_criterion_names(weakest)
    )
    show_table(frame)


def _evaluation(viewer: Viewer, evaluations: list[EvaluationSummary]) -> None:
    st.subheader(_("Evaluations"))
    labels = {
        e.id: f"{format_datetime(e.call_started_at)} · {e.call_external_id} · "
        f"{scorecard_title(e.scorecard_key, e.scorecard)} · {percent(e.score / 100)} ({_kind(e)})"
        for e in evaluations
    }
    chosen = st.selectbox(_("Evaluation"), list(labels), format_func=labels.__getitem__)
    summary = next(e for e in evaluations if e.id == chosen)
    call = load_call(viewer, summary.call_id)
    stored = next(e for e in call.evaluations if e.id == summary.id)
    _acknowledgement(viewer, stored)
    for verdict in localized_verdicts(stored.evaluation):
        with st.container(border=True):
            show_verdict(verdict, f"m{stored.id}-{verdict.criterion}", seekable=False)
            if stored.overrides.get(verdict.criterion):
                reason = stored.overrides[verdict.criterion]
                st.caption(_("Reviewer's reason: {reason}").format(reason=reason))
    show_comments(call.comments)
    _dispute_form(viewer, stored)
    if st.button(_("Listen to this call"), icon=":material/headphones:"):
        st.session_state[CALL_KEY] = summary.call_id
        switch_to("call_review")


def _kind(summary: EvaluationSummary) -> str:
    if summary.kind is EvaluationKind.human:
        return _("reviewed by QA")
    return _("automatic") if summary.counts else _("automatic, superseded")


def _acknowledgement(viewer: Viewer, stored: StoredEvaluation) -> None:
    if stored.acknowledged_at is not None:
        when = format_datetime(stored.acknowledged_at)
        st.caption(_("You acknowledged this evaluation on {when}.").format(when=when))
        return
    if st.button(_("Acknowledge"), key=f"ack-{stored.id}", icon=":material/done:"):
        with db_session() as session:
            acknowledge(session, viewer, stored.id)
        invalidate()
        st.rerun()


def _dispute_form(viewer: Viewer, stored: StoredEvaluation) -> None:
    names = {
        v.criterion: f"{v.name} ({outcome_label(v.outcome)})"
        for v in localized_verdicts(stored.evaluation)
    }
    with st.form(f"dispute-{stored.id}", clear_on_submit=True):
        st.markdown("**{title}**".format(title=_("Dispute a verdict")))
        criterion = st.selectbox(_("Verdict"), list(names), format_func=names.__getitem__)
        reason = st.text_area(_("Why do you disagree?"))
        submitted = st.form_submit_button(_("Send dispute"))
    if not submitted:
        return
    try:
        with db_session() as session:
            raise_dispute(session, viewer, stored.id, criterion, reason)
    except DisputeInvalid as invalid:
        st.error(str(invalid))
        return
    invalidate()
    st.success(_("Your dispute was sent to the review queue."))


def _disputes(viewer: Viewer) -> None:
    disputes = load_disputes(viewer)
    if not disputes:
        return
    st.subheader(_("My disputes"))
    for d in disputes:
        with st.container(border=True):
            raised = _("raised {when}").format(when=format_datetime(d.created_at))
            status = dispute_status_label(d.status)
            name = criterion_title(None, d.criterion, d.criterion)
            st.markdown(f"`{name}` · {raised} · **{status}**")
            rtl_markdown(d.reason)
            if d.resolution:
                when = format_datetime(d.resolved_at)
                st.caption(_("Resolution ({when}):").format(when=when))
                rtl_markdown(d.resolution)


def _coaching(viewer: Viewer) -> None:
    sessions = load_coaching(viewer, viewer.agent_id) if viewer.agent_id is not None else []
    st.subheader(_("Feedback from coaches"))
    linked = linked_coaching(viewer)
    if not sessions:
        st.caption(_("No coaching sessions yet."))
        return
    for s in sessions:
        title = _("{day} with {coach}").format(day=format_date(s.held_on), coach=s.coach)
        with st.expander(title, expanded=linked is not None and s.id == linked.session_id):
            if s.focus_criteria:
                _progress(with_criterion_names(load_progress(viewer, s.id)))
            parts = (
                (_("Notes"), s.notes),
                (_("Goals"), s.goals),
                (_("Action items"), s.action_items),
            )
            for label, text in parts:
                if text:
                    st.markdown(f"**{label}**")
                    rtl_markdown(text)
            if s.follow_up_on:
                st.caption(_("Follow-up on {day}").format(day=format_date(s.follow_up_on)))


def _progress(progress: list[FocusProgress]) -> None:
    """The focus criteria, with the agent's score on each before and after the session."""

    def score(value: float | None) -> str:
        return percent(None if value is None else value / 100)

    frame = pd.DataFrame(
        {
            _("Focus"): p.name,
            _("Before"): score(p.before.score),
            _("After"): score(p.after.score),
            _("Change"): "—" if p.change is None else change_in_points(p.change),
        }
        for p in progress
    )
    show_table(frame)
