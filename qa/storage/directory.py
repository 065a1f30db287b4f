"""Clients, teams, agents and users: looked up by their natural names, created on demand."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from languages import SOURCE_LANGUAGE, UnknownLanguage
from languages import get as get_language
from qa.errors import NotFound, QAError
from qa.i18n import N_, _
from qa.passwords import hash_password
from qa.storage import audit
from qa.storage.models import Agent, Client, Role, Team, User


class UnknownEntity(NotFound):
    """A manifest names a client or agent that does not exist and creating it was refused."""


def find_client(session: Session, name: str) -> Client | None:
    return session.scalar(select(Client).where(Client.name == name))


def find_agent(session: Session, external_id: str) -> Agent | None:
    return session.scalar(select(Agent).where(Agent.external_id == external_id))


def get_or_create_client(session: Session, name: str, *, create: bool = True) -> Client:
    client = find_client(session, name)
    if client is not None:
        return client
    if not create:
        raise UnknownEntity(
            _("unknown client {name} (use --create-unknown to add it)").format(name=repr(name))
        )
    client = Client(name=name)
    session.add(client)
    session.flush()
    return client


def get_or_create_team(session: Session, client: Client, name: str) -> Team:
    """Teams belong to a client; a team name is unique within its client only."""
    team = session.scalar(select(Team).where(Team.client_id == client.id, Team.name == name))
    if team is None:
        team = Team(client_id=client.id, name=name)
        session.add(team)
        session.flush()
    return team


def get_or_create_agent(
    session: Session,
    external_id: str,
    name: str | None = None,
    team: Team | None = None,
    *,
    create: bool = True,
) -> Agent:
    """The agent with this id; a known agent moving to a new team follows the newest call."""
    agent = find_agent(session, external_id)
    if agent is None:
        if not create:
            raise UnknownEntity(
                _("unknown agent {name} (use --create-unknown to add it)").format(
                    name=repr(external_id)
                )
            )
        agent = Agent(external_id=external_id, name=name or external_id, team_id=team and team.id)
        session.add(agent)
        session.flush()
        return agent
    if team is not None and agent.team_id != team.id:
        agent.team_id = team.id
    if name and agent.name == agent.external_id:
        agent.name = name
    return agent


def create_user(
    session: Session,
    username: str,
    password: str,
    role: Role | str,
    *,
    agent_external_id: str | None = None,
    client_name: str | None = None,
    display_name: str | None = None,
    actor_id: int | None = None,
    language: str = SOURCE_LANGUAGE,
) -> User:
    """Add a user; agents are linked to their agent record and client viewers to their client."""
    role = Role(role)
    language = _supported(language)
    username = username.strip()
    if not username:
        raise QAError(_("a username cannot be empty"))
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise QAError(_("user {name} already exists").format(name=repr(username)))
    agent_id = client_id = None
    if role is Role.agent:
        agent_id = _linked_id(
            session, agent_external_id, find_agent,
            N_("an agent user needs --agent <agent id>"), N_("no agent with id {name}"),
        )  # fmt: skip
    if role is Role.client_viewer:
        client_id = _linked_id(
            session, client_name, find_client,
            N_("a client viewer needs --client <client name>"), N_("no client named {name}"),
        )  # fmt: skip
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role,
        agent_id=agent_id,
        client_id=client_id,
        language=language,
    )
    session.add(user)
    session.flush()
    audit.record(
        session, "user.create", "user", user.id, actor_id, username=username, role=role.value
    )
    return user


def _linked_id(
    session: Session,
    name: str | None,
    find: Callable[[Session, str], Agent | Client | None],
    needs: str,
    missing: str,
) -> int:
    """The id of the agent or client a user is linked to; `needs` says the name was not given,
    `missing` that nothing has it."""
    if not name:
        raise QAError(_(needs))
    found = find(session, name)
    if found is None:
        raise NotFound(_(missing).format(name=repr(name)))
    return found.id


def _supported(language: str) -> str:
    try:
        return get_language(language).code
    except UnknownLanguage as unknown:
        raise QAError(str(unknown)) from None


def set_user_language(
    session: Session, user_id: int, language: str, actor_id: int | None = None
) -> User:
    """Change the language a user reads the interface in (audited like every user change)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("no user with id {id}").format(id=user_id))
    language = _supported(language)
    if user.language != language:
        audit.record(
            session, "user.language", "user", user.id, actor_id, old=user.language, new=language
        )
        user.language = language
    return user
