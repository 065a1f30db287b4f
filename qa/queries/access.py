"""Who may see what. Enforced here, in the queries, not only by hiding pages in the UI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Select, false

from qa.errors import AccessDenied, NotFound
from qa.i18n import N_, _
from qa.storage.models import Call, Role

S = TypeVar("S", bound=Select)

# The role groups, in one place: who leads QA work (assignments, quotas, calibration) and who
# reviews calls. An admin can do everything a QA lead can.
LEADS = (Role.admin, Role.lead)
REVIEWERS = (*LEADS, Role.reviewer)

# One answer for a call that does not exist and one the viewer may not open, naming neither the
# call nor its owner, so refusals cannot be used to learn which calls exist or whose they are.
CALL_UNAVAILABLE = N_("This call does not exist or you may not open it.")


class CallUnavailable(AccessDenied, NotFound):
    """A call that is missing or outside the viewer's scope; the two are not told apart."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in user, as the query layer needs to know them."""

    user_id: int
    username: str
    role: Role
    agent_id: int | None = None
    client_id: int | None = None
    language: str = "en"  # the interface language, a registry code

    @property
    def sees_everything(self) -> bool:
        return self.role in (*REVIEWERS, Role.coach)


def scope_calls(statement: S, viewer: Viewer) -> S:
    """Restrict a SELECT that involves `calls` to the calls this viewer may read."""
    if viewer.sees_everything:
        return statement
    if viewer.role is Role.agent:
        if viewer.agent_id is None:
            return statement.where(false())
        return statement.where(Call.agent_id == viewer.agent_id)
    if viewer.role is Role.client_viewer:
        if viewer.client_id is None:
            return statement.where(false())
        return statement.where(Call.client_id == viewer.client_id)
    return statement.where(false())


def ensure_can_read_call(call: Call | None, viewer: Viewer) -> Call:
    """The call, when it exists and the viewer may read it; CallUnavailable otherwise."""
    if call is None:
        raise CallUnavailable(_(CALL_UNAVAILABLE))
    if viewer.sees_everything:
        return call
    if viewer.role is Role.agent and call.agent_id is not None and call.agent_id == viewer.agent_id:
        return call
    if viewer.role is Role.client_viewer and call.client_id == viewer.client_id:
        return call
    raise CallUnavailable(_(CALL_UNAVAILABLE))


def ensure_role(viewer: Viewer, *roles: Role) -> None:
    if viewer.role not in roles:
        allowed = ", ".join(r.value for r in roles)
        raise AccessDenied(_("this needs one of the roles: {roles}").format(roles=allowed))
