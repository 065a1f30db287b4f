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
from qa.queries.access import REVIEWERS, Viewer
from qa.queries.call_review import CallForReview, StoredEvaluation, call_for_review
from qa.queries.calls import visible_calls
from qa.queries.review import (
    OUTCOMES,
    AlreadyReviewed,
    DisputeDecision,
    ReviewInvalid,
    ReviewSubmission,
    VerdictDecision,
    submit_review,
)
from qa.queries.review_assignment import claim_call
from qa.ui.components.labels import (
    dispute_status_label,
    isolated,
    language_label,
    outcome_label,
    status_label,
)
from qa.ui.components.pinned_comments import show_pinned_comments
from qa.ui.components.scorecard_text import (
    criterion_title,
    localized_verdicts,
    scorecard_name,
)
from qa.ui.components.time import format_clock, format_datetime
from qa.ui.components.transcript import rtl_markdown, show_transcript
from qa.ui.components.verdicts import AUDIO_START_KEY, show_comments, show_verdict
from qa.ui.session import cached, current_viewer, db_session, invalidate

CALL_KEY = "review_call_id"
FORM_GENERATION_KEY = "review-form-generation"
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
    if viewer.role in REVIEWERS:
        _claim(viewer, call)
    reviewed = call.to_review
    verdicts = tuple(v for e in reviewed for v in localized_verdicts(e.evaluation))
    left, right = st.columns([3, 2], gap="large")
    with left:
        _audio(call)
        st.subheader(_("Transcript"))
        show_transcript(call.transcript, verdicts)
        show_pinned_comments(viewer, call)
    with right:
        if not reviewed:
            st.info(_("This call has not been scored yet."))
        elif viewer.role in REVIEWERS:
            _review_form(viewer, call)
        else:
            _read_only(call)


def _claim(viewer: Viewer, call: CallForReview) -> None:
    """Opening a call claims it for a while; someone else's claim is shown, not taken."""
    with db_session() as session:
        holder = claim_call(session, viewer, call.call_id)
    if holder.reviewer_id != viewer.user_id:
        st.warning(
            _("In review by {name} until {time}.").format(
                name=holder.reviewer, time=format_datetime(holder.expires_at)
            ),
            icon=":material/lock_clock:",
        )


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


def _read_only(call: CallForReview) -> None:
    for evaluation in call.to_review:
        with st.expander(_scorecard_title(evaluation), expanded=True):
            _scores_line(evaluation)
            for review in call.reviews_of(evaluation.id):
                _scores_line(review)
            for verdict in localized_verdicts(evaluation.evaluation):
                with st.container(border=True):
                    show_verdict(verdict, f"v{evaluation.id}-{verdict.criterion}", seekable=True)
    _disputes(call)
    show_comments(call.comments)


def _scorecard_title(evaluation: StoredEvaluation) -> str:
    e = evaluation.evaluation
    return f"{scorecard_name(e)} · {percent(e.score / 100)}"


def _review_form(viewer: Viewer, call: CallForReview) -> None:
    """One form for the whole call: every scorecard's verdicts, its disputes, one submit."""
    prefix = _form_prefix(call)
    verdicts: dict[int, tuple[VerdictDecision, ...]] = {}
    disputes: list[DisputeDecision] = []
    for evaluation in call.to_review:
        with st.expander(_scorecard_title(evaluation), expanded=True):
            verdicts[evaluation.id] = _scorecard_decisions(call, evaluation, prefix)
            disputes.extend(_dispute_decisions(call, evaluation, prefix))
    disputes.extend(_dispute_decisions(call, None, prefix))
    comment = st.text_area(_("Comment for the agent and coach"), key=f"{prefix}comment")
    if st.button(_("Submit review"), type="primary", key=f"{prefix}submit"):
        submission = ReviewSubmission(
            call.call_id, verdicts, comment, tuple(disputes), call.newest_evaluation_id
        )
        try:
            with db_session() as session:
                submit_review(session, viewer, submission)
        except ReviewInvalid as invalid:
            st.error(str(invalid))  # the typed reasons and comment stay in their fields
            return
        except AlreadyReviewed as taken:
            st.error(str(taken))
            st.button(_("Reload"), key=f"{prefix}reload", on_click=_reload, args=(call,))
            return
        _reload(call)
        st.toast(_("Review saved"))
        st.rerun()
    show_comments(call.comments)


def _scorecard_decisions(
    call: CallForReview, evaluation: StoredEvaluation, prefix: str
) -> tuple[VerdictDecision, ...]:
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
        key = f"{prefix}{evaluation.id}-{verdict.criterion}"
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
    return tuple(decisions)


def _form_prefix(call: CallForReview) -> str:
    """Widget keys of this call's form: kept across reruns, so nothing typed is lost. After a
    stored review (or a reload) the form starts over under new keys, since the browser keeps
    showing a widget's text even when its key is deleted on the server."""
    generation = st.session_state.get(f"{FORM_GENERATION_KEY}-{call.call_id}", 0)
    return f"r{call.call_id}-" + (f"g{generation}-" if generation else "")


def _reload(call: CallForReview) -> None:
    """Start from the stored state again: the automatic verdicts, empty fields."""
    invalidate()
    prefix = _form_prefix(call)
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]
    generation_key = f"{FORM_GENERATION_KEY}-{call.call_id}"
    st.session_state[generation_key] = st.session_state.get(generation_key, 0) + 1
    st.session_state.pop(AUDIO_START_KEY, None)


def _dispute_decisions(
    call: CallForReview, evaluation: StoredEvaluation | None, prefix: str
) -> list[DisputeDecision]:
    """The open disputes of one scorecard (None: of evaluations no longer reviewed here)."""
    reviewed = {e.id: e.evaluation.scorecard for e in call.evaluations}
    shown = {e.evaluation.scorecard for e in call.to_review}
    decisions = []
    for dispute in call.open_disputes:
        scorecard = reviewed.get(dispute.evaluation_id)
        if evaluation is None and scorecard in shown:
            continue
        if evaluation is not None and scorecard != evaluation.evaluation.scorecard:
            continue
        key = f"{prefix}d{dispute.id}"
        with st.container(border=True):
            st.markdown(
                _("**Dispute** by {name} on `{criterion}`").format(
                    name=dispute.raised_by,
                    criterion=criterion_title(scorecard, dispute.criterion, dispute.criterion),
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
                key=f"{key}-decision",
                horizontal=True,
            )
            resolution = st.text_input(_("Resolution for the agent"), key=f"{key}-text")
            if choice != "open":
                decisions.append(DisputeDecision(dispute.id, choice == "uphold", resolution))
    return decisions


def _disputes(call: CallForReview) -> None:
    scorecards = {e.id: e.evaluation.scorecard for e in call.evaluations}
    for dispute in call.disputes:
        name = criterion_title(
            scorecards.get(dispute.evaluation_id), dispute.criterion, dispute.criterion
        )
        st.markdown(
            _("**Dispute on `{criterion}`**: {status}").format(
                criterion=name, status=dispute_status_label(dispute.status)
            )
        )
        if dispute.resolution:
            st.caption(
                _("Resolution ({when}): {resolution}").format(
                    when=format_datetime(dispute.resolved_at), resolution=dispute.resolution
                )
            )
