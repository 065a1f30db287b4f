"""Call review: listen, read the transcript with its evidence, confirm or override verdicts.

Reviewers and admins submit a human evaluation here and resolve disputes; coaches, agents
(their own calls) and others read only. Which call is open comes from the review queue, the
`?call=` URL parameter or the picker; the query layer refuses calls outside the viewer's scope.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from qa.i18n import _
from qa.locale_format import percent
from qa.queries.access import Viewer
from qa.queries.call_review import CallForReview, StoredEvaluation, call_for_review
from qa.queries.calls import visible_calls
from qa.queries.review import (
    OUTCOMES,
    REVIEWERS,
    DisputeDecision,
    ReviewInvalid,
    ReviewSubmission,
    VerdictDecision,
    submit_review,
)
from qa.ui.components.labels import (
    dispute_status_label,
    isolated,
    language_label,
    outcome_label,
    status_label,
)
from qa.ui.components.scorecard_text import localized_verdicts, scorecard_name
from qa.ui.components.time import format_clock, format_datetime
from qa.ui.components.transcript import rtl_markdown, show_transcript
from qa.ui.components.verdicts import AUDIO_START_KEY, show_comments, show_verdict
from qa.ui.session import cached, current_viewer, db_session, invalidate

CALL_KEY = "review_call_id"
load_call = cached(call_for_review)
list_calls = cached(visible_calls)


def render() -> None:
    viewer = current_viewer()
    st.title(_("Call review"))
    call_id = _chosen_call(viewer)
    if call_id is None:
        st.info(_("No call to show yet."))
        return
    call = load_call(viewer, call_id)
    _header(call)
    evaluation = _chosen_evaluation(call)
    verdicts = localized_verdicts(evaluation.evaluation) if evaluation else ()
    left, right = st.columns([3, 2], gap="large")
    with left:
        _audio(call)
        st.subheader(_("Transcript"))
        show_transcript(call.transcript, verdicts)
    with right:
        if evaluation is None:
            st.info(_("This call has not been scored yet."))
        elif viewer.role in REVIEWERS:
            _review_form(viewer, call, evaluation)
        else:
            _read_only(call, evaluation)


def _chosen_call(viewer: Viewer) -> int | None:
    requested = st.query_params.get("call")
    if requested is not None and requested.isdigit():
        st.session_state[CALL_KEY] = int(requested)
    calls = list_calls(viewer)
    no_agent = _("no agent")
    labels = {c.id: f"{c.external_id} · {c.agent or no_agent} · {c.client}" for c in calls}
    current = st.session_state.get(CALL_KEY)
    if current is not None and current not in labels:
        # Not in the picker (older, or not the viewer's): the query layer decides.
        return int(current)
    if not labels:
        return None
    chosen = st.selectbox(
        _("Call"),
        list(labels),
        index=list(labels).index(current) if current in labels else 0,
        format_func=labels.__getitem__,
    )
    st.session_state[CALL_KEY] = chosen
    return int(chosen)


def _header(call: CallForReview) -> None:
    details = _(
        "{client} · {team} · agent {agent} · {started} · language {language} · status {status}"
    ).format(
        client=call.client,
        team=call.team or _("no team"),
        agent=call.agent or _("unknown"),
        started=format_datetime(call.started_at),
        language=language_label(call.language),
        status=status_label(call.status),
    )
    st.markdown(f"**{isolated(call.external_id)}** · {details}", unsafe_allow_html=True)


def _chosen_evaluation(call: CallForReview) -> StoredEvaluation | None:
    automatic = call.automatic
    if not automatic:
        return None
    if len(automatic) == 1:
        return automatic[0]
    names = {
        e.id: f"{scorecard_name(e.evaluation)} ({percent(e.evaluation.score / 100)})"
        for e in automatic
    }
    chosen = st.radio(_("Scorecard"), list(names), format_func=names.__getitem__, horizontal=True)
    return next(e for e in automatic if e.id == chosen)


def _audio(call: CallForReview) -> None:
    if not call.audio_path or not Path(call.audio_path).is_file():
        st.caption(_("The recording is not available."))
        return
    start = float(st.session_state.get(AUDIO_START_KEY, 0.0))
    st.audio(call.audio_path, start_time=int(start), autoplay=start > 0)
    if start > 0:
        st.caption(_("Playing from {position}").format(position=format_clock(start)))


def _scores_line(evaluation: StoredEvaluation) -> None:
    e = evaluation.evaluation
    verdict = _("passed") if e.passed else _("failed")
    critical = " · " + _("critical fail") if e.critical_failed else ""
    who = (
        _("review by {reviewer}").format(reviewer=evaluation.reviewer)
        if evaluation.reviewer
        else _("automatic")
    )
    st.markdown(
        f"**{scorecard_name(e)}**: {percent(e.score / 100, 1)} · {verdict}{critical} · {who}, "
        f"{format_datetime(evaluation.created_at)}"
    )


def _read_only(call: CallForReview, evaluation: StoredEvaluation) -> None:
    _scores_line(evaluation)
    for review in call.reviews_of(evaluation.id):
        _scores_line(review)
    for verdict in localized_verdicts(evaluation.evaluation):
        with st.container(border=True):
            show_verdict(verdict, f"v{evaluation.id}-{verdict.criterion}", seekable=True)
    _disputes(call)
    show_comments(call.comments)


def _review_form(viewer: Viewer, call: CallForReview, evaluation: StoredEvaluation) -> None:
    _scores_line(evaluation)
    for review in call.reviews_of(evaluation.id):
        _scores_line(review)
        names = {v.criterion: v.name for v in localized_verdicts(review.evaluation)}
        for criterion, reason in review.overrides.items():
            st.caption(
                _("Overridden {criterion}: {reason}").format(
                    criterion=names.get(criterion, criterion), reason=reason
                )
            )
    decisions = []
    for verdict in localized_verdicts(evaluation.evaluation):
        key = f"r{evaluation.id}-{verdict.criterion}"
        with st.container(border=True):
            show_verdict(verdict, key, seekable=True)
            columns = st.columns([1, 2])
            outcome = columns[0].selectbox(
                _("Your verdict"),
                OUTCOMES,
                index=OUTCOMES.index(verdict.outcome),
                key=f"{key}-outcome",
                format_func=outcome_label,
            )
            reason = columns[1].text_input(
                _("Reason (required to override)"),
                key=f"{key}-reason",
                disabled=outcome == verdict.outcome,
            )
            decisions.append(VerdictDecision(verdict.criterion, outcome, reason))
    disputes = _dispute_decisions(call)
    comment = st.text_area(_("Comment for the agent and coach"), key=f"r{evaluation.id}-comment")
    if st.button(_("Submit review"), type="primary", key=f"r{evaluation.id}-submit"):
        submission = ReviewSubmission(evaluation.id, tuple(decisions), comment, disputes)
        try:
            with db_session() as session:
                submit_review(session, viewer, submission)
        except ReviewInvalid as invalid:
            st.error(str(invalid))
            return
        invalidate()
        _reset_form(evaluation.id, call)
        st.toast(_("Review saved"))
        st.rerun()
    show_comments(call.comments)


def _reset_form(evaluation_id: int, call: CallForReview) -> None:
    """Start the next review of this call from the automatic verdicts again, fields empty."""
    prefixes = (f"r{evaluation_id}-", *(f"d{d.id}-" for d in call.open_disputes))
    for key in [k for k in st.session_state if str(k).startswith(prefixes)]:
        del st.session_state[key]
    st.session_state.pop(AUDIO_START_KEY, None)


def _dispute_decisions(call: CallForReview) -> tuple[DisputeDecision, ...]:
    decisions = []
    for dispute in call.open_disputes:
        with st.container(border=True):
            st.markdown(
                _("**Dispute** by {person} on `{criterion}`").format(
                    person=dispute.raised_by, criterion=dispute.criterion
                )
            )
            rtl_markdown(dispute.reason)
            choices = {
                "open": _("Leave open"),
                "uphold": _("Uphold (change the verdict)"),
                "reject": _("Reject"),
            }
            choice = st.radio(
                _("Decision"),
                list(choices),
                format_func=choices.__getitem__,
                key=f"d{dispute.id}-decision",
                horizontal=True,
            )
            resolution = st.text_input(_("Resolution for the agent"), key=f"d{dispute.id}-text")
            if choice != "open":
                decisions.append(DisputeDecision(dispute.id, choice == "uphold", resolution))
    return tuple(decisions)


def _disputes(call: CallForReview) -> None:
    for dispute in call.disputes:
        st.markdown(
            _("**Dispute on `{criterion}`**: {status}").format(
                criterion=dispute.criterion, status=dispute_status_label(dispute.status)
            )
        )
        if dispute.resolution:
            st.caption(
                _("Resolution ({when}): {resolution}").format(
                    when=format_datetime(dispute.resolved_at), resolution=dispute.resolution
                )
            )
