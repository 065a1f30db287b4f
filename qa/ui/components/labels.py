"""Fixed values (statuses, outcomes, roles, languages) as people read them, in their language.

The enums stay the stored, English values; only what is shown is translated, so a filter or
a URL works the same in every language.
"""

from __future__ import annotations

import html

from languages import find
from qa.i18n import N_, _, current_language
from qa.storage.models import CallStatus, DisputeStatus, EvaluationKind, Role

CALL_STATUSES = {
    CallStatus.pending: N_("pending"),
    CallStatus.transcribing: N_("transcribing"),
    CallStatus.scoring: N_("scoring"),
    CallStatus.done: N_("done"),
    CallStatus.failed: N_("failed"),
    CallStatus.rejected_no_consent: N_("rejected: no consent"),
    CallStatus.needs_admin: N_("needs an admin"),
    CallStatus.abandoned: N_("abandoned"),
    CallStatus.no_recording: N_("no recording"),
}
DISPUTE_STATUSES = {
    DisputeStatus.open: N_("waiting for a reviewer"),
    DisputeStatus.upheld: N_("upheld"),
    DisputeStatus.rejected: N_("rejected"),
}
EVALUATION_KINDS = {
    EvaluationKind.automatic: N_("automatic"),
    EvaluationKind.human: N_("reviewed by QA"),
}
OUTCOMES = {"pass": N_("pass"), "fail": N_("fail"), "na": N_("n/a")}
ROLES = {
    Role.admin: N_("admin"),
    Role.lead: N_("QA lead"),
    Role.reviewer: N_("reviewer"),
    Role.coach: N_("coach"),
    Role.agent: N_("agent"),
    Role.client_viewer: N_("client viewer"),
}


def _label(labels: dict[str, str], value: str | None) -> str:
    if value is None:
        return "—"
    return _(labels[value]) if value in labels else str(value)


def status_label(status: CallStatus | str) -> str:
    return _label(CALL_STATUSES, status)  # type: ignore[arg-type]


def dispute_status_label(status: DisputeStatus | str) -> str:
    return _label(DISPUTE_STATUSES, status)  # type: ignore[arg-type]


def kind_label(kind: EvaluationKind | str) -> str:
    return _label(EVALUATION_KINDS, kind)  # type: ignore[arg-type]


def outcome_label(outcome: str) -> str:
    return _label(OUTCOMES, outcome)


def role_name(role: Role | str) -> str:
    return _label(ROLES, role)  # type: ignore[arg-type]


def language_label(code: str | None) -> str:
    """A call's or user's language by its own name ('فارسی', 'Русский'); '?' when unknown."""
    if not code:
        return "?"
    language = find(code)
    return language.native_name if language is not None else code


SPEAKERS = {"agent": N_("agent"), "customer": N_("customer"), "unknown": N_("speaker")}


def speaker_label(speaker: str | None) -> str:
    """Who spoke ('agent', 'customer'); evidence from the call's data has no speaker."""
    return _label(SPEAKERS, speaker) if speaker else _("call")


def isolated(text: str) -> str:
    """An id or name kept in its own direction inside right-to-left text (HTML `<bdi>`)."""
    if not current_language().rtl:
        return text
    return f"<bdi>{html.escape(text)}</bdi>"
