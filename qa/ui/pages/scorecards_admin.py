"""Scorecards (admin): read each version's YAML, edit with inline validation, try, activate.

An edit is checked on demand (Check, and before trying or saving), can be tried on a stored
call without saving, and is saved as a new inactive version; activating a version is a
separate, deliberate step.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import streamlit as st

from qa.explanations import explanation_text
from qa.i18n import _, current_language, ngettext
from qa.locale_format import digits, percent
from qa.pipeline.rescore import calls_to_rescore, rescore_calls, scorecards_for_rescore
from qa.queries.access import Viewer, ensure_role
from qa.queries.scorecards import (
    ScorecardHistory,
    TrialCall,
    VersionView,
    YamlProblem,
    activate,
    save_version,
    scorecard_histories,
    trial_calls,
    try_on_call,
    yaml_problems,
)
from qa.storage.models import Role
from qa.ui.components.ai_agreement import show_ai_agreement
from qa.ui.components.scorecard_text import scorecard_title
from qa.ui.components.tables import show_table
from qa.ui.components.time import date_range_field, format_datetime
from qa.ui.components.verdicts import outcome_badge
from qa.ui.session import cached, current_viewer, database_url, db_session, invalidate
from scorecards import Evaluation

SAVED_KEY = "scorecard-saved-version"
load_histories = cached(scorecard_histories)
load_trial_calls = cached(trial_calls)
check_yaml = st.cache_data(max_entries=64, show_spinner=False)(yaml_problems)


def render() -> None:
    viewer = current_viewer()
    ensure_role(viewer, Role.admin)  # QA leads read versions (calibration) but do not edit them
    st.title(_("Scorecards"))
    histories = load_histories(viewer)
    if not histories:
        st.info(
            _("No scorecards are stored yet. Run `callqa scorecards sync` to add the shipped ones.")
        )
        return
    history = _pick_scorecard(histories)
    version = _pick_version(history)
    view, edit = st.tabs(["YAML", _("Edit and try")])
    with view:
        _show_version(viewer, version)
    with edit:
        _editor(viewer, version)
    show_ai_agreement(viewer, history.key)


def _pick_scorecard(histories: list[ScorecardHistory]) -> ScorecardHistory:
    labels = {
        h.key: f"{scorecard_title(h.key, h.name)} ({h.key}) · "
        + ngettext("{count} version", "{count} versions", len(h.versions)).format(
            count=digits(str(len(h.versions)))
        )
        + ("" if h.active else " · " + _("inactive"))
        for h in histories
    }
    key = st.selectbox(_("Scorecard"), list(labels), format_func=labels.__getitem__)
    return next(h for h in histories if h.key == key)


def _pick_version(history: ScorecardHistory) -> VersionView:
    frame = pd.DataFrame(
        {
            _("Version"): v.label,
            _("Name"): scorecard_title(history.key, v.name, v.version),
            _("Saved"): format_datetime(v.created_at),
            _("Active"): "✓" if v.active else "",
        }
        for v in history.versions
    )
    show_table(frame)
    labels = {
        v.id: f"{v.label} · {format_datetime(v.created_at)}"
        + (" · " + _("active") if v.active else "")
        for v in history.versions
    }
    key = f"scorecard-version-{history.key}"
    saved = st.session_state.pop(SAVED_KEY, None)
    if saved is not None and saved[0] in labels:
        # A version saved on the last run: shown and picked at once, with the message.
        st.session_state[key] = saved[0]
        st.success(
            _("Saved version {label}. Activate it from the YAML tab when ready.").format(
                label=saved[1]
            )
        )
    chosen = st.selectbox(_("Version"), list(labels), format_func=labels.__getitem__, key=key)
    return next(v for v in history.versions if v.id == chosen)


def _show_version(viewer: Viewer, version: VersionView) -> None:
    if version.active:
        st.success(_("This version scores new calls."), icon=":material/check_circle:")
        _rescore(version)
    elif st.button(_("Activate this version"), type="primary", key=f"activate-{version.id}"):
        with db_session() as session:
            activate(session, viewer, version.id)
        invalidate()
        st.toast(_("Version {label} is now active").format(label=version.label))
        st.rerun()
    st.code(version.yaml_text, language="yaml", line_numbers=True)


def _rescore(version: VersionView) -> None:
    """Offer to score stored calls of a date range with this version; old evaluations stay."""
    with st.expander(_("Rescore stored calls with this version")):
        st.caption(
            _(
                "Calls not rescored keep counting with the version that scored them; "
                "their older evaluations are kept either way."
            )
        )
        start, end = date_range_field(_("Calls started between"), f"rescore-dates-{version.id}")
        if st.button(_("Rescore"), key=f"rescore-{version.id}", icon=":material/replay:"):
            url = database_url()
            call_ids = calls_to_rescore(
                url, _midnight(start), _midnight(end + timedelta(days=1)) if end else None
            )
            scorecards = scorecards_for_rescore(url, version.scorecard_key, version.version)
            total = len(call_ids)
            bar = st.progress(
                0.0,
                text=ngettext("Rescoring {count} call", "Rescoring {count} calls", total).format(
                    count=digits(str(total))
                ),
            )
            done: list[int] = []

            def advance(call_id: int) -> None:
                done.append(call_id)
                bar.progress(
                    len(done) / len(call_ids),
                    text=_("{done} of {total} calls").format(
                        done=digits(str(len(done))), total=digits(str(total))
                    ),
                )

            report = rescore_calls(url, call_ids, scorecards, on_done=advance)
            invalidate()
            st.success(
                ngettext(
                    "{count} call rescored, {added} new evaluations.",
                    "{count} calls rescored, {added} new evaluations.",
                    report.calls,
                ).format(
                    count=digits(str(report.calls)), added=digits(str(report.evaluations_added))
                )
            )


def _midnight(day: date | None) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)


def _editor(viewer: Viewer, version: VersionView) -> None:
    text = st.text_area(
        _("Scorecard YAML"),
        value=version.yaml_text,
        height=420,
        key=f"yaml-{version.id}",
        help=_("Checked when you press Check, Try it or Save. Saving adds an inactive version."),
    )
    checked_key = f"checked-{version.id}"
    if st.button(_("Check"), icon=":material/rule:", key=f"check-{version.id}"):
        _check(checked_key, text)
    checked: tuple[str, list[YamlProblem]] | None = st.session_state.get(checked_key)
    if checked is not None and checked[0] == text:
        _problems(checked[1])
    elif text != version.yaml_text:
        st.caption(_("Edited since the last check: press Check to validate."))
    calls = load_trial_calls(viewer)
    columns = st.columns(2)
    with columns[0]:
        _trial(viewer, text, calls, checked_key)
    with columns[1]:
        unchanged = text == version.yaml_text
        if st.button(_("Save as new version"), disabled=unchanged, key=f"save-{version.id}"):
            if _check(checked_key, text):
                st.rerun()  # shows the problems; nothing is saved
            with db_session() as session:
                saved = save_version(session, viewer, text)
            invalidate()
            st.session_state[SAVED_KEY] = (saved.id, saved.label)
            st.rerun()


def _check(checked_key: str, text: str) -> list[YamlProblem]:
    """Validate on demand: a large scorecard took seconds, and it was checked on every edit."""
    problems = check_yaml(text)
    st.session_state[checked_key] = (text, problems)
    return problems


def _problems(problems: list[YamlProblem]) -> None:
    if not problems:
        st.caption(":green[:material/check: {text}]".format(text=_("The scorecard is valid.")))
        return
    whole_file = _("file")
    heading = ngettext(
        "{count} problem to fix before trying or saving:",
        "{count} problems to fix before trying or saving:",
        len(problems),
    ).format(count=digits(str(len(problems))))
    st.error(
        heading
        + "\n\n"
        + "\n".join(f"- `{p.where or whole_file}`: {explanation_text(p.message)}" for p in problems)
    )


def _trial(viewer: Viewer, text: str, calls: list[TrialCall], checked_key: str) -> None:
    if not calls:
        st.caption(_("No processed call to try the scorecard on yet."))
        return
    labels = {c.id: c.label for c in calls}
    call_id = st.selectbox(_("Try on call"), list(labels), format_func=labels.__getitem__)
    if st.button(_("Try it"), icon=":material/science:"):
        if _check(checked_key, text):
            st.rerun()  # shows the problems instead of a trial
        with db_session() as session:
            _show_trial(try_on_call(session, viewer, text, call_id, current_language().code))


def _show_trial(evaluation: Evaluation) -> None:
    verdict = _("passed") if evaluation.passed else _("failed")
    critical = " · " + _("critical fail") if evaluation.critical_failed else ""
    score = _("Trial score: {score}").format(score=percent(evaluation.score / 100, 1))
    not_saved = _("not saved")
    st.markdown(f"**{score}** · {verdict}{critical} ({not_saved})")
    for v in evaluation.verdicts:
        points = digits(f"{v.points:g}/{v.max_points:g}")
        st.markdown(f"{outcome_badge(v.outcome)} **{v.name}** · {points}")
