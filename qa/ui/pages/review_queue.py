"""Review queue: the calls the sampling rules picked for a human, with filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TypeVar

import pandas as pd
import streamlit as st

from qa.i18n import _, ngettext
from qa.locale_format import digits, join
from qa.queries.access import LEADS, Viewer
from qa.queries.review_assignment import (
    assign_calls,
    next_call,
    quota_progress,
    reviewers,
    set_quota,
    team_quota_progress,
)
from qa.queries.review_queue import QueueEntry, QueueFilter, review_queue
from qa.queries.users import FilterChoices, filter_choices
from qa.review_sampling import REASON_LABELS, sample_calls
from qa.ui.components.labels import language_label
from qa.ui.components.tables import show_table
from qa.ui.components.time import date_range_field, format_datetime
from qa.ui.navigation import switch_to
from qa.ui.pages.call_review import CALL_KEY
from qa.ui.session import cached, current_viewer, db_session, invalidate

SAMPLED_KEY = "review_queue_sampled"
K = TypeVar("K", int, str)
load_queue = cached(review_queue)
load_choices = cached(filter_choices)
load_quota = cached(quota_progress)
load_team_quota = cached(team_quota_progress)


def render() -> None:
    viewer = current_viewer()
    st.title(_("Review queue"))
    if not st.session_state.get(SAMPLED_KEY):
        _sample()
    _my_work(viewer)
    view = _filters(load_choices(viewer))
    if st.toggle(_("My queue"), key="queue-mine", help=_("Only the calls assigned to you")):
        view = replace(view, assigned_to_id=viewer.user_id)
    entries = load_queue(viewer, view)
    waiting = len({e.call_id for e in entries})
    message = ngettext(
        "{count} call waiting for review", "{count} calls waiting for review", waiting
    )
    st.caption(message.format(count=digits(str(waiting))))
    if not entries:
        st.info(_("Nothing is waiting for review with these filters."))
    else:
        reasons = _reasons(entries)
        _table(entries, reasons)
        _open(entries, reasons)
    if viewer.role in LEADS:  # the team's week shows even when nothing is waiting
        _assign(viewer, entries)
    if st.button(_("Pick new calls now"), icon=":material/refresh:"):
        _sample()
        st.rerun()


def _my_work(viewer: Viewer) -> None:
    """The reviewer's week against their quota, and the button to the next call."""
    progress = load_quota(viewer)
    columns = st.columns([2, 1], vertical_alignment="center")
    with columns[0]:
        if progress.calls_per_week:
            done = min(progress.reviewed_this_week, progress.calls_per_week)
            st.progress(
                done / progress.calls_per_week,
                text=_("{done} of {quota} calls reviewed this week").format(
                    done=digits(str(progress.reviewed_this_week)),
                    quota=digits(str(progress.calls_per_week)),
                ),
            )
        else:
            done = progress.reviewed_this_week
            st.caption(
                ngettext(
                    "{count} call reviewed this week", "{count} calls reviewed this week", done
                ).format(count=digits(str(done)))
            )
    if columns[1].button(_("Next call"), type="primary", icon=":material/skip_next:"):
        with db_session() as session:
            call_id = next_call(session, viewer)
        if call_id is None:
            st.info(
                _("Your quota for this week is met and no call is assigned to you.")
                if progress.met
                else _("No call is waiting for you.")
            )
            return
        invalidate()
        st.session_state[CALL_KEY] = call_id
        switch_to("call_review")


def _assign(viewer: Viewer, entries: list[QueueEntry]) -> None:
    """The QA lead's tools: each reviewer's week, give calls to a reviewer, set weekly quotas."""
    with st.expander(_("Assign calls and quotas")):
        _team_progress(viewer)
        with db_session() as session:
            people = dict(reviewers(session))
        names = {e.call_id: e.call_external_id for e in entries}
        chosen = st.multiselect(
            _("Calls"), list(names), format_func=names.__getitem__, key="assign-calls"
        )
        who = st.selectbox(
            _("Reviewer"),
            [None, *people],
            format_func=lambda r: _("Anyone") if r is None else people[r],
            key="assign-reviewer",
        )
        if st.button(_("Assign"), key="assign-submit", disabled=not chosen):
            with db_session() as session:
                assign_calls(session, viewer, chosen, who)
            invalidate()
            st.rerun()
        reviewer = st.selectbox(
            _("Weekly quota for"), list(people), format_func=people.__getitem__, key="quota-who"
        )
        quota = st.number_input(
            _("Calls per week"), min_value=0, max_value=1000, value=10, key="quota-calls"
        )
        if st.button(_("Set quota"), key="quota-submit", disabled=reviewer is None):
            with db_session() as session:
                set_quota(session, viewer, int(reviewer), int(quota))
            invalidate()
            st.toast(_("Quota saved"))


def _team_progress(viewer: Viewer) -> None:
    """Where each reviewer stands against their weekly quota."""
    frame = pd.DataFrame(
        {
            _("Reviewer"): name,
            _("Reviewed this week"): progress.reviewed_this_week,
            _("Weekly quota"): progress.calls_per_week,
            _("Quota met"): progress.met,
        }
        for name, progress in load_team_quota(viewer)
    )
    show_table(frame)


def _sample() -> None:
    """Run the sampling rules (once per visit) so newly scored calls show up."""
    with db_session() as session:
        added = sample_calls(session)
    st.session_state[SAMPLED_KEY] = True
    if added:
        invalidate()


def _pick(name: str, label: str, options: Mapping[K, str]) -> K | None:
    """A filter: 'All' (None) or one of the options; keyed by name, the same in any language."""
    choices: list[K | None] = [None]
    choices.extend(options)
    return st.selectbox(
        label,
        choices,
        format_func=lambda o: _("All") if o is None else options[o],
        key=f"review-queue-{name}",
    )


def _filters(choices: FilterChoices) -> QueueFilter:
    pick = _pick
    row1 = st.columns(4)
    with row1[0]:
        client = pick("client", _("Client"), {c.id: c.label for c in choices.clients})
    with row1[1]:
        team = pick("team", _("Team"), {c.id: c.label for c in choices.teams})
    with row1[2]:
        agent = pick("agent", _("Agent"), {c.id: c.label for c in choices.agents})
    with row1[3]:
        languages = {code: language_label(code) for code in choices.languages}
        language = pick("language", _("Language"), languages)
    row2 = st.columns(3)
    with row2[0]:
        start, end = date_range_field(_("Call date"), "review-queue-dates")
    with row2[1]:
        max_score = st.slider(_("Lowest score at most"), 0, 100, 100, key="review-queue-score")
    with row2[2]:
        reasons = {key: _(label) for key, label in REASON_LABELS.items()}
        reason = pick("reason", _("Reason"), reasons)
    return QueueFilter(
        client_id=client,
        team_id=team,
        agent_id=agent,
        language=language,
        start=start,
        end=end,
        max_score=None if max_score >= 100 else float(max_score),
        reason=reason,
    )


def _reasons(entries: list[QueueEntry]) -> dict[int, str]:
    """Each call once, with every reason it was picked for (a call can be picked for several)."""
    reasons: dict[int, list[str]] = {}
    for e in entries:
        label = _(REASON_LABELS[e.reason]) if e.reason in REASON_LABELS else e.reason
        if label not in reasons.setdefault(e.call_id, []):
            reasons[e.call_id].append(label)
    return {call_id: join(labels) for call_id, labels in reasons.items()}


def _table(entries: list[QueueEntry], reasons: dict[int, str]) -> None:
    first = {e.call_id: e for e in reversed(entries)}
    frame = pd.DataFrame(
        {
            _("Call"): e.call_external_id,
            _("Reason"): reasons[e.call_id],
            _("Started"): format_datetime(e.started_at),
            _("Client"): e.client,
            _("Team"): e.team or "",
            _("Agent"): e.agent or "",
            _("Language"): language_label(e.language) if e.language else "",
            _("Lowest score"): None if e.score is None else round(e.score, 1),
            _("Assigned to"): e.assigned_to or "",
            _("In review by"): e.in_review_by or "",
        }
        for e in sorted(first.values(), key=lambda e: (e.started_at, e.item_id))
    )
    show_table(frame)


def _open(entries: list[QueueEntry], reasons: dict[int, str]) -> None:
    names = {e.call_id: e.call_external_id for e in entries}
    chosen = st.selectbox(
        _("Review call"), list(reasons), format_func=lambda c: f"{names[c]} · {reasons[c]}"
    )
    if st.button(_("Open call review"), type="primary"):
        st.session_state[CALL_KEY] = chosen
        switch_to("call_review")
