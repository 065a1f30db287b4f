"""Calibration: a QA lead sets up a blind scoring session, participants score, all see results.

While a session is open each participant sees only their own answers; once everyone has scored
(or the lead closes it) the page shows the agreement figures and the items that split the group.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from qa.calibration import (
    OUTCOMES,
    CalibrationInvalid,
    NewCalibration,
    close_calibration,
    create_calibration,
    save_answers,
)
from qa.i18n import N_, _
from qa.queries.access import LEADS, Viewer
from qa.queries.calibration import (
    CalibrationResults,
    CalibrationSummary,
    CalibrationTask,
    calibration_call_choices,
    calibration_candidates,
    calibration_results,
    calibration_sessions,
    calibration_task,
)
from qa.queries.call_review import call_for_review
from qa.queries.scorecards import scorecard_histories
from qa.storage.models import CalibrationStatus
from qa.ui.components.ai_agreement import measure, show_ai_agreement
from qa.ui.components.scorecard_text import criterion_title, scorecard_title
from qa.ui.components.tables import show_table
from qa.ui.components.time import format_datetime
from qa.ui.components.transcript import show_transcript
from qa.ui.session import cached, current_viewer, db_session, invalidate

OUTCOME_LABELS = {"pass": N_("pass"), "fail": N_("fail"), "na": N_("n/a")}
SESSION_KEY = "calibration_session_id"

load_sessions = cached(calibration_sessions)
load_task = cached(calibration_task)
load_results = cached(calibration_results)
load_call = cached(call_for_review)
load_histories = cached(scorecard_histories)
load_candidates = cached(calibration_candidates)
load_call_choices = cached(calibration_call_choices)


def render() -> None:
    viewer = current_viewer()
    st.title(_("Calibration"))
    if viewer.role in LEADS:
        with st.expander(_("New calibration session")):
            _new_session_form(viewer)
    sessions = load_sessions(viewer)
    if not sessions:
        st.info(_("No calibration sessions yet."))
    else:
        _session(viewer, _pick_session(sessions))
    st.divider()
    show_ai_agreement(viewer)


def _session(viewer: Viewer, chosen: CalibrationSummary) -> None:
    if chosen.status is CalibrationStatus.closed:
        _results(load_results(viewer, chosen.id))
        return
    st.caption(
        _("Open · {submitted} of {participants} participants have scored every call.").format(
            submitted=chosen.submitted, participants=chosen.participants
        )
    )
    if viewer.role in LEADS and st.button(_("Close the session and show results")):
        with db_session() as session:
            close_calibration(session, viewer, chosen.id)
        invalidate()
        st.rerun()
    if chosen.taking_part:
        _score(viewer, load_task(viewer, chosen.id))


def _pick_session(sessions: list[CalibrationSummary]) -> CalibrationSummary:
    labels = {
        s.id: _("{title} · {scorecard} · {status} · {date}").format(
            title=s.title,
            scorecard=scorecard_title(s.scorecard_key, s.scorecard),
            status=_("open") if s.status is CalibrationStatus.open else _("closed"),
            date=format_datetime(s.created_at),
        )
        for s in sessions
    }
    current = st.session_state.get(SESSION_KEY)
    ids = list(labels)
    chosen = st.selectbox(
        _("Session"),
        ids,
        index=ids.index(current) if current in ids else 0,
        format_func=labels.__getitem__,
    )
    st.session_state[SESSION_KEY] = chosen
    return next(s for s in sessions if s.id == chosen)


def _new_session_form(viewer: Viewer) -> None:
    versions = {
        v.id: f"{scorecard_title(h.key, h.name)} · {v.label}"
        for h in load_histories(viewer)
        for v in h.versions
        if v.active
    }
    if not versions:
        st.info(_("Activate a scorecard first."))
        return
    version_id = st.selectbox(
        _("Scorecard"), list(versions), format_func=versions.__getitem__, key="cal-version"
    )
    calls = {
        call_id: f"{external} · {format_datetime(started)}"
        for call_id, external, started in load_call_choices(viewer)
    }
    people = {user_id: f"{name} ({role})" for user_id, name, role in load_candidates(viewer)}
    with st.form("new-calibration"):
        title = st.text_input(_("Title"), key="cal-title")
        call_ids = st.multiselect(
            _("Calls"), list(calls), format_func=calls.__getitem__, key="cal-calls"
        )
        participant_ids = st.multiselect(
            _("Participants"),
            [p for p in people if p != viewer.user_id],
            format_func=people.__getitem__,
            key="cal-people",
        )
        expert_id = st.selectbox(
            _("Expert (whose answers the others are compared with)"),
            list(people),
            index=list(people).index(viewer.user_id) if viewer.user_id in people else 0,
            format_func=people.__getitem__,
            key="cal-expert",
        )
        automatic = st.checkbox(_("The automatic scorer takes part"), key="cal-automatic")
        if not st.form_submit_button(_("Create session"), type="primary"):
            return
    new = NewCalibration(
        title=title,
        scorecard_version_id=int(version_id),
        call_ids=tuple(int(c) for c in call_ids),
        participant_ids=tuple(int(p) for p in participant_ids),
        expert_id=int(expert_id),
        include_automatic=automatic,
    )
    try:
        with db_session() as session:
            st.session_state[SESSION_KEY] = create_calibration(session, viewer, new)
    except CalibrationInvalid as invalid:
        st.error(str(invalid))
        return
    invalidate()
    st.rerun()


def _score(viewer: Viewer, task: CalibrationTask) -> None:
    done = sum(1 for call_id, _external in task.calls if call_id in task.answers)
    st.progress(
        done / len(task.calls),
        text=_("You have scored {done} of {total} calls.").format(done=done, total=len(task.calls)),
    )
    for call_id, external in task.calls:
        mark = "✓ " if call_id in task.answers else ""
        with st.expander(f"{mark}{external}", expanded=call_id not in task.answers):
            _score_call(viewer, task, call_id)


def _score_call(viewer: Viewer, task: CalibrationTask, call_id: int) -> None:
    # The recording and transcript without the automatic verdicts: nothing hints at others'.
    call = load_call(viewer, call_id)
    if call.audio_path and Path(call.audio_path).is_file():
        st.audio(call.audio_path)
    show_transcript(call.transcript, ())
    given = task.answers.get(call_id, {})
    with st.form(f"cal-{task.id}-{call_id}"):
        outcomes = {
            criterion: st.radio(
                criterion_title(task.scorecard_key, criterion, name),
                OUTCOMES,
                index=OUTCOMES.index(given[criterion]) if criterion in given else None,
                format_func=lambda o: _(OUTCOME_LABELS[o]),
                horizontal=True,
                key=f"cal-{task.id}-{call_id}-{criterion}",
            )
            for criterion, name in task.criteria
        }
        if not st.form_submit_button(_("Save my answers")):
            return
    try:
        with db_session() as session:
            closed = save_answers(
                session, viewer, task.id, call_id, {c: o for c, o in outcomes.items() if o}
            )
    except CalibrationInvalid as invalid:
        st.error(str(invalid))
        return
    invalidate()
    st.toast(_("Everyone has scored: results are ready.") if closed else _("Answers saved"))
    st.rerun()


def _results(results: CalibrationResults) -> None:
    overall = results.overall
    st.subheader(_("Agreement over all calls and criteria"))
    columns = st.columns(4)
    columns[0].metric(_("Agreement"), measure(overall.agreement, percent=True))
    columns[1].metric(_("Fleiss' κ"), measure(overall.fleiss_kappa))
    columns[2].metric(_("Krippendorff's α"), measure(overall.krippendorff_alpha))
    columns[3].metric(_("Gwet's AC1"), measure(overall.gwet_ac1))
    st.caption(
        _("{units} rated items · {raters} participants · expert: {expert}").format(
            units=overall.units, raters=overall.raters, expert=results.expert
        )
    )
    st.subheader(_("Per criterion"))
    show_table(
        pd.DataFrame(
            {
                _("Criterion"): criterion_title(results.scorecard_key, c.criterion, c.name),
                _("Agreement"): measure(c.agreement.agreement, percent=True),
                _("Fleiss' κ"): measure(c.agreement.fleiss_kappa),
                _("Krippendorff's α"): measure(c.agreement.krippendorff_alpha),
                _("Gwet's AC1"): measure(c.agreement.gwet_ac1),
            }
            for c in results.per_criterion
        )
    )
    st.subheader(_("Each pair (Cohen's κ)"))
    names = results.participants
    show_table(
        pd.DataFrame(
            {
                _("Participants"): f"{names[p.first]} · {names[p.second]}",
                _("Items"): p.units,
                _("Agreement"): measure(p.agreement, percent=True),
                _("Cohen's κ"): measure(p.kappa),
            }
            for p in overall.pairs
        )
    )
    st.subheader(_("Deviation from the expert"))
    show_table(
        pd.DataFrame(
            {
                _("Participant"): d.participant,
                _("Items compared"): d.compared,
                _("Different answers"): d.differing,
                _("Deviation"): measure(d.rate, percent=True),
            }
            for d in results.deviations
        )
    )
    st.subheader(_("What split the group"))
    if not results.splits:
        st.success(_("Everyone gave the same answers."))
        return
    show_table(
        pd.DataFrame(
            {
                _("Call"): s.call,
                _("Criterion"): criterion_title(results.scorecard_key, s.criterion, s.name),
                _("Majority"): measure(s.majority_share, percent=True),
                **{name: _(OUTCOME_LABELS[o]) for name, o in s.answers.items()},
            }
            for s in results.splits
        )
    )
