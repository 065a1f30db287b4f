"""Users as the UI knows them: the Viewer of a user row, and the people lists pages pick from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.errors import AccessDenied
from qa.i18n import _
from qa.queries.access import Viewer, scope_calls
from qa.storage.directory import set_user_language
from qa.storage.models import Agent, Call, Client, Role, Team, User


def viewer_of(user: User) -> Viewer:
    return Viewer(
        user_id=user.id,
        username=user.username,
        role=user.role,
        agent_id=user.agent_id,
        client_id=user.client_id,
        language=user.language,
    )


def change_language(session: Session, viewer: Viewer, user_id: int, language: str) -> Viewer:
    """Set a user's interface language: anyone their own, an admin anyone's (the Users page).

    Returns the changed user's Viewer, which a signed-in user's session takes over at once.
    """
    if viewer.user_id != user_id and viewer.role is not Role.admin:
        raise AccessDenied(
            _("{username} may only change their own language").format(username=viewer.username)
        )
    user = set_user_language(session, user_id, language, actor_id=viewer.user_id)
    return viewer_of(user)


def display_name(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.display_name if user is not None else _("unknown user")


@dataclass(frozen=True)
class Choice:
    """Something a filter can pick: its id and the label shown."""

    id: int
    label: str


@dataclass(frozen=True)
class FilterChoices:
    """The clients, teams, agents and languages among the calls a viewer may see."""

    clients: tuple[Choice, ...]
    teams: tuple[Choice, ...]
    agents: tuple[Choice, ...]
    languages: tuple[str, ...]


def filter_choices(session: Session, viewer: Viewer) -> FilterChoices:
    def ids(column: Any) -> Any:
        return scope_calls(select(column).where(column.is_not(None)).distinct(), viewer)

    clients = session.execute(
        select(Client.id, Client.name)
        .where(Client.id.in_(ids(Call.client_id)))
        .order_by(Client.name)
    )
    teams = session.execute(
        select(Team.id, Team.name).where(Team.id.in_(ids(Call.team_id))).order_by(Team.name)
    )
    agents = session.execute(
        select(Agent.id, Agent.name).where(Agent.id.in_(ids(Call.agent_id))).order_by(Agent.name)
    )
    languages = session.scalars(ids(Call.language))
    return FilterChoices(
        clients=tuple(Choice(i, n) for i, n in clients),
        teams=tuple(Choice(i, n) for i, n in teams),
        agents=tuple(Choice(i, n) for i, n in agents),
        languages=tuple(sorted(languages)),
    )
