"""People in the app, as an admin manages them: add, reset a password, deactivate, link.

The same rules as the `user add` CLI (qa.storage.directory.create_user); every change is in
the audit log. An admin cannot deactivate themselves, so the app never loses its last admin
by a slip.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from languages import SOURCE_LANGUAGE
from qa.errors import NotFound, QAError
from qa.i18n import _
from qa.passwords import hash_password
from qa.queries.access import Viewer, ensure_role
from qa.storage import audit
from qa.storage.directory import create_user
from qa.storage.models import Agent, Client, Role, Team, User


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    agent: str | None
    client: str | None
    language: str


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    role: Role
    password: str
    agent_external_id: str | None = None
    client_name: str | None = None
    language: str = SOURCE_LANGUAGE


@dataclass(frozen=True)
class AgentRow:
    id: int
    external_id: str
    name: str
    team_id: int | None
    team: str | None


def users(session: Session, viewer: Viewer) -> list[UserRow]:
    ensure_role(viewer, Role.admin)
    rows = session.execute(
        select(User, Agent.external_id, Agent.name, Client.name)
        .outerjoin(Agent, Agent.id == User.agent_id)
        .outerjoin(Client, Client.id == User.client_id)
        .order_by(User.username)
    )
    return [
        UserRow(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            active=user.active,
            agent=f"{agent_name} ({external_id})" if external_id else None,
            client=client,
            language=user.language,
        )
        for user, external_id, agent_name, client in rows
    ]


def agents(session: Session, viewer: Viewer) -> list[AgentRow]:
    ensure_role(viewer, Role.admin)
    rows = session.execute(
        select(Agent, Team.name).outerjoin(Team, Team.id == Agent.team_id).order_by(Agent.name)
    )
    return [AgentRow(a.id, a.external_id, a.name, a.team_id, team) for a, team in rows]


def teams(session: Session, viewer: Viewer) -> list[tuple[int, str]]:
    ensure_role(viewer, Role.admin)
    rows = session.execute(
        select(Team.id, Team.name, Client.name)
        .join(Client, Client.id == Team.client_id)
        .order_by(Client.name, Team.name)
    )
    return [(team_id, f"{client} · {name}") for team_id, name, client in rows]


def clients(session: Session, viewer: Viewer) -> list[str]:
    ensure_role(viewer, Role.admin)
    return list(session.scalars(select(Client.name).order_by(Client.name)))


def add_user(session: Session, viewer: Viewer, new: NewUser) -> int:
    ensure_role(viewer, Role.admin)
    user = create_user(
        session,
        new.username,
        new.password,
        new.role,
        agent_external_id=new.agent_external_id if new.role is Role.agent else None,
        client_name=new.client_name if new.role is Role.client_viewer else None,
        display_name=new.display_name.strip() or None,
        actor_id=viewer.user_id,
        language=new.language,
    )
    return user.id


def reset_password(session: Session, viewer: Viewer, user_id: int, password: str) -> None:
    ensure_role(viewer, Role.admin)
    user = _user(session, user_id)
    user.password_hash = hash_password(password)
    audit.record(session, "user.password_reset", "user", user.id, viewer.user_id)


def set_active(session: Session, viewer: Viewer, user_id: int, active: bool) -> None:
    ensure_role(viewer, Role.admin)
    if user_id == viewer.user_id and not active:
        raise QAError(_("you cannot deactivate yourself; ask another admin"))
    user = _user(session, user_id)
    user.active = active
    action = "user.activate" if active else "user.deactivate"
    audit.record(session, action, "user", user.id, viewer.user_id)


def link_user(
    session: Session,
    viewer: Viewer,
    user_id: int,
    agent_external_id: str | None,
    client_name: str | None,
) -> None:
    """Point an agent user at their agent record, a client viewer at their client."""
    ensure_role(viewer, Role.admin)
    user = _user(session, user_id)
    if user.role is Role.agent:
        agent = session.scalar(select(Agent).where(Agent.external_id == agent_external_id))
        if agent is None:
            raise QAError(_("an agent user needs an agent to be linked to"))
        user.agent_id = agent.id
    elif user.role is Role.client_viewer:
        client = session.scalar(select(Client).where(Client.name == client_name))
        if client is None:
            raise QAError(_("a client viewer needs a client to be linked to"))
        user.client_id = client.id
    else:
        raise QAError(_("only agents and client viewers are linked"))
    audit.record(
        session, "user.link", "user", user.id, viewer.user_id,
        agent_id=user.agent_id, client_id=user.client_id,
    )  # fmt: skip


def set_agent_team(session: Session, viewer: Viewer, agent_id: int, team_id: int | None) -> None:
    ensure_role(viewer, Role.admin)
    agent = session.get(Agent, agent_id)
    if agent is None:
        raise NotFound(_("there is no agent with id {id}").format(id=agent_id))
    agent.team_id = team_id
    audit.record(session, "agent.team", "agent", agent.id, viewer.user_id, team_id=team_id)


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("there is no user with id {id}").format(id=user_id))
    return user
