"""Coaching: per agent, what fails most, calls to listen to, a session form, and did it work.

Coaches and admins only (the queries refuse everyone else). Agents read their coaching on
My scores.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from qa.i18n import _
from qa.locale_format import change_in_points, join, number, percent
from qa.queries.access import Viewer, ensure_role
from qa.queries.coaching import (
    COACHES,
    CoachingInvalid,
    CoachingSessionView,
    ExampleCall,
    SessionForm,
    coaching_sessions,
    example_calls,
    focus_progress,
    record_session,
)
from qa.queries.dashboard import CriterionFailureRate, criterion_failure_rates
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.queries.users import filter_choices
from qa.reports.charts import pareto_figure
from qa.ui.components.coaching_link import linked_coaching
from qa.ui.components.forms import apply_field_resets, reset_fields_next_run
from qa.ui.components.labels import isolated
from qa.ui.components.scorecard_text import (
    criterion_title,
    scorecard_title,
    with_criterion_names,
)
from qa.ui.components.tables import show_table
from qa.ui.components.time import date_field, date_field_state, format_date, format_datetime
from qa.ui.components.transcript import rtl_markdown
from qa.ui.navigation import switch_to
from qa.ui.pages.call_review import CALL_KEY
from qa.ui.session import cached, current_viewer, db_session, invalidate

SAVED_KEY = "coaching-saved"
LINK_OPENED_KEY = "coaching-link-opened"
load_choices = cached(filter_choices)
load_failure_rates = cached(criterion_failure_rates)
load_examples = cached(example_calls)
load_sessions = cached(coaching_sessions)
load_progress = cached(focus_progress)


def render() -> None:
    viewer = current_viewer()
    ensure_role(viewer, *COACHES)
    apply_field_resets()
    st.title(_("Coaching"))
    agents = {c.id: c.label for c in load_choices(viewer).agents}
    if not agents:
        st.info(_("There are no agents with calls yet."))
        return
    linked = linked_coaching(viewer)
    if linked is not None and st.session_state.get(LINK_OPENED_KEY) != linked.session_id:
        # The link's agent is picked once; after that the picker is the user's again.
        st.session_state[LINK_OPENED_KEY] = linked.session_id
        st.session_state["coaching-agent"] = linked.agent_id
    agent_id = st.selectbox(
        _("Agent"), list(agents), format_func=agents.__getitem__, key="coaching-agent"
    )
    rates = with_criterion_names(load_failure_rates(EvaluationFilter(agent_id=agent_id), viewer))
    _pareto(rates)
    _examples(viewer, agent_id)
    _session_form(viewer, agent_id, rates)
    _sessions(viewer, agent_id, linked.session_id if linked else None)


def _pareto(rates: list[CriterionFailureRate]) -> None:
    if not any(r.failed for r in rates):
        st.success(_("No failed criteria for this agent so far."))
        return
    st.plotly_chart(pareto_figure(rates), width="stretch")


def _examples(viewer: Viewer, agent_id: int) -> None:
    examples = load_examples(viewer, agent_id)
    good, bad = st.columns(2)
    with good:
        st.subheader(_("Good calls"))
        _example_list(examples.good, "good")
    with bad:
        st.subheader(_("Calls to work on"))
        _example_list(examples.bad, "bad")


def _example_list(calls: tuple[ExampleCall, ...], kind: str) -> None:
    if not calls:
        st.caption(_("None yet."))
        return
    for call in calls:
        with st.container(border=True):
            scorecard = scorecard_title(call.scorecard_key, call.scorecard_key)
            st.markdown(
                f"**{isolated(call.call_external_id)}** · {format_datetime(call.started_at)} · "
                f"{scorecard} **{number(call.score)}**",
                unsafe_allow_html=True,
            )
            if call.failed_criteria:
                names = join(
                    [criterion_title(call.scorecard_key, c, c) for c in call.failed_criteria]
                )
                st.caption(_("Failed: {criteria}").format(criteria=names))
            # One entry per call and scorecard: the same call may be listed once per scorecard.
            key = f"listen-{kind}-{call.call_id}-{call.scorecard_key}"
            if st.button(_("Listen"), key=key, icon=":material/headphones:"):
                st.session_state[CALL_KEY] = call.call_id
                switch_to("call_review")


def _session_form(viewer: Viewer, agent_id: int, rates: list[CriterionFailureRate]) -> None:
    st.subheader(_("Record a session"))
    names = {r.criterion: r.name for r in rates}
    most_failed = [r.criterion for r in sorted(rates, key=lambda r: -r.failed) if r.failed][:2]
    # Keys per agent: what was typed for one agent never carries over to the next. The form
    # is not cleared on submit: a refused session keeps every field; a saved one clears them.
    keys = _form_keys(agent_id)
    if st.session_state.pop(SAVED_KEY, None):
        st.success(_("The session was saved."))
    with st.form(f"coaching-form-{agent_id}", clear_on_submit=False):
        held_on = date_field(_("Held on"), date.today(), keys["held-on"])
        focus = st.multiselect(
            _("Focus criteria"),
            list(names),
            default=most_failed,
            format_func=names.__getitem__,
            key=keys["focus"],
        )
        notes = st.text_area(_("Notes"), key=keys["notes"])
        goals = st.text_area(_("Goals"), key=keys["goals"])
        actions = st.text_area(_("Action items"), key=keys["actions"])
        follow_up = date_field(_("Follow-up on"), None, keys["follow-up"])
        submitted = st.form_submit_button(_("Save session"), type="primary")
    if submitted:
        form = SessionForm(
            agent_id=agent_id,
            held_on=held_on if isinstance(held_on, date) else date.today(),
            notes=notes,
            goals=goals,
            action_items=actions,
            follow_up_on=follow_up if isinstance(follow_up, date) else None,
            focus_criteria=tuple(focus),
        )
        try:
            with db_session() as session:
                record_session(session, viewer, form)
        except CoachingInvalid as invalid:
            st.error(str(invalid))
            return
        invalidate()
        reset_fields_next_run(
            {
                keys["held-on"]: date_field_state(date.today()),
                keys["focus"]: most_failed,
                keys["notes"]: "",
                keys["goals"]: "",
                keys["actions"]: "",
                keys["follow-up"]: date_field_state(None),
            }
        )
        st.session_state[SAVED_KEY] = True
        st.rerun()


def _form_keys(agent_id: int) -> dict[str, str]:
    fields = ("held-on", "focus", "notes", "goals", "actions", "follow-up")
    return {name: f"coaching-{name}-{agent_id}" for name in fields}


def _sessions(viewer: Viewer, agent_id: int, linked: int | None) -> None:
    sessions = load_sessions(viewer, agent_id)
    st.subheader(_("Sessions"))
    if not sessions:
        st.caption(_("No sessions with this agent yet."))
        return
    for coaching in sessions:
        title = _("{day} with {coach}").format(
            day=format_date(coaching.held_on), coach=coaching.coach
        )
        with st.expander(title, expanded=coaching.id == linked):
            _session_details(coaching)
            _progress(viewer, coaching)


def _session_details(coaching: CoachingSessionView) -> None:
    for label, text in (
        (_("Notes"), coaching.notes),
        (_("Goals"), coaching.goals),
        (_("Action items"), coaching.action_items),
    ):
        if text:
            st.markdown(f"**{label}**")
            rtl_markdown(text)
    if coaching.follow_up_on:
        st.caption(_("Follow-up on {day}").format(day=format_date(coaching.follow_up_on)))


def _progress(viewer: Viewer, coaching: CoachingSessionView) -> None:
    """Did it work: the focus criteria's scores in the month before and after the session."""
    progress = with_criterion_names(load_progress(viewer, coaching.id))
    if not progress:
        st.caption(_("No focus criteria were chosen for this session."))
        return

    def score(value: float | None) -> str:
        return percent(None if value is None else value / 100)

    frame = pd.DataFrame(
        {
            _("Focus criterion"): p.name,
            _("Score before"): score(p.before.score),
            _("Calls before"): p.before.verdicts,
            _("Score after"): score(p.after.score),
            _("Calls after"): p.after.verdicts,
            _("Change"): "—" if p.change is None else change_in_points(p.change),
        }
        for p in progress
    )
    show_table(frame, width="content", key=f"progress-{coaching.id}")
