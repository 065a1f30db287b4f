"""Users (admin): add people, reset passwords, deactivate, link agents, clients and teams.

The `user add` CLI stays; this page does the same through the same rules. A refused form keeps
everything typed (fields clear only once the change is stored).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from languages import SOURCE_LANGUAGE
from qa.errors import QAError
from qa.i18n import _
from qa.queries.access import Viewer
from qa.queries.user_admin import (
    AgentRow,
    NewUser,
    UserRow,
    add_user,
    agents,
    clients,
    link_user,
    reset_password,
    set_active,
    set_agent_team,
    teams,
    users,
)
from qa.queries.users import change_language
from qa.storage.models import Role
from qa.ui.components.forms import apply_field_resets, reset_fields_next_run
from qa.ui.components.labels import language_label, role_name
from qa.ui.components.language import language_names
from qa.ui.components.tables import show_table
from qa.ui.session import cached, current_viewer, db_session, invalidate

DONE_KEY = "users-done"
NEW_FIELDS = ("new-username", "new-name", "new-password")
load_users = cached(users)
load_agents = cached(agents)
load_teams = cached(teams)
load_clients = cached(clients)


def render() -> None:
    viewer = current_viewer()
    apply_field_resets()
    st.title(_("Users"))
    people = load_users(viewer)
    done = st.session_state.pop(DONE_KEY, None)
    if done:
        st.success(done)
    _table(people)
    add, manage, agent_teams = st.tabs([_("Add a user"), _("Manage a user"), _("Agents' teams")])
    with add:
        _add_form(viewer)
    with manage:
        _manage(viewer, people)
    with agent_teams:
        _teams(viewer, load_agents(viewer))


def _table(people: list[UserRow]) -> None:
    frame = pd.DataFrame(
        {
            _("Username"): u.username,
            _("Name"): u.display_name,
            _("Role"): role_name(u.role),
            _("Language"): language_label(u.language),
            _("Linked to"): u.agent or u.client or "",
            _("Active"): "✓" if u.active else "",
        }
        for u in people
    )
    show_table(frame)


def _change(
    message: str, write: Callable[..., object], *args: object, clear: tuple[str, ...] = ()
) -> None:
    """Run one write. Stored: clear the form's fields, remember the message and rerun.
    Refused: show why, and leave every field as typed."""
    try:
        with db_session() as session:
            write(session, *args)
    except QAError as refused:
        st.error(str(refused))
        return
    invalidate()
    reset_fields_next_run(dict.fromkeys(clear, ""))
    st.session_state[DONE_KEY] = message
    st.rerun()


def _add_form(viewer: Viewer) -> None:
    agent_ids = {a.external_id: f"{a.name} ({a.external_id})" for a in load_agents(viewer)}
    with st.form("new-user", clear_on_submit=False):
        username = st.text_input(_("Username"), key="new-username")
        name = st.text_input(_("Full name"), key="new-name")
        role = st.selectbox(_("Role"), list(Role), format_func=role_name, key="new-role")
        languages = language_names()
        language = st.selectbox(
            _("Language"),
            list(languages),
            index=list(languages).index(SOURCE_LANGUAGE),  # as `qa user add` without --language
            format_func=languages.__getitem__,
            key="new-language",
        )
        password = st.text_input(_("Password"), type="password", key="new-password")
        agent = st.selectbox(
            _("Agent (for an agent)"),
            [None, *agent_ids],
            format_func=lambda a: "—" if a is None else agent_ids[a],
            key="new-agent",
        )
        client = st.selectbox(
            _("Client (for a client viewer)"), [None, *load_clients(viewer)], key="new-client"
        )
        submitted = st.form_submit_button(_("Add user"), type="primary")
    if submitted:
        new = NewUser(username, name, Role(str(role)), password, agent, client, str(language))
        message = _("User {username} added.").format(username=username.strip())
        _change(message, add_user, viewer, new, clear=NEW_FIELDS)


def _manage(viewer: Viewer, people: list[UserRow]) -> None:
    by_id = {u.id: u for u in people}
    user_id = st.selectbox(
        _("User"),
        list(by_id),
        format_func=lambda i: f"{by_id[i].username} · {role_name(by_id[i].role)}",
        key="manage-user",
    )
    if user_id is None:
        return
    user = by_id[user_id]
    password = st.text_input(_("New password"), type="password", key=f"reset-password-{user_id}")
    if st.button(_("Reset password"), key=f"reset-{user_id}"):
        message = _("Password of {username} reset.").format(username=user.username)
        _change(message, reset_password, viewer, user_id, password,
                clear=(f"reset-password-{user_id}",))  # fmt: skip
    if user.active:
        if st.button(_("Deactivate"), key=f"deactivate-{user_id}"):
            _change(_("{username} deactivated.").format(username=user.username), set_active,
                    viewer, user_id, False)  # fmt: skip
    elif st.button(_("Activate"), key=f"activate-{user_id}"):
        _change(_("{username} activated.").format(username=user.username), set_active,
                viewer, user_id, True)  # fmt: skip
    _language(viewer, user)
    if user.role in (Role.agent, Role.client_viewer):
        _link(viewer, user)


def _language(viewer: Viewer, user: UserRow) -> None:
    languages = language_names()
    chosen = st.selectbox(
        _("Interface language"),
        list(languages),
        index=list(languages).index(user.language) if user.language in languages else 0,
        format_func=languages.__getitem__,
        key=f"language-{user.id}",
    )
    if st.button(_("Change language"), key=f"language-submit-{user.id}"):
        message = _("{username} now reads the app in {language}.").format(
            username=user.username, language=languages[chosen]
        )
        _change(message, change_language, viewer, user.id, chosen)


def _link(viewer: Viewer, user: UserRow) -> None:
    if user.role is Role.agent:
        options = {a.external_id: f"{a.name} ({a.external_id})" for a in load_agents(viewer)}
        label = _("Linked agent")
    else:
        options = {name: name for name in load_clients(viewer)}
        label = _("Linked client")
    target = st.selectbox(
        label, list(options), format_func=options.__getitem__, key=f"link-{user.id}"
    )
    if st.button(_("Link"), key=f"link-submit-{user.id}"):
        agent = target if user.role is Role.agent else None
        client = target if user.role is Role.client_viewer else None
        _change(_("{username} linked.").format(username=user.username), link_user,
                viewer, user.id, agent, client)  # fmt: skip


def _teams(viewer: Viewer, agent_rows: list[AgentRow]) -> None:
    if not agent_rows:
        st.caption(_("No agents yet."))
        return
    by_id = {a.id: a for a in agent_rows}
    agent_id = st.selectbox(
        _("Agent"),
        list(by_id),
        format_func=lambda i: f"{by_id[i].name} · {by_id[i].team or '—'}",
        key="team-agent",
    )
    team_names = dict(load_teams(viewer))
    team = st.selectbox(
        _("Team"),
        [None, *team_names],
        format_func=lambda t: "—" if t is None else team_names[t],
        index=[None, *team_names].index(by_id[agent_id].team_id),
        key=f"team-of-{agent_id}",
    )
    if st.button(_("Move to team"), key="team-submit"):
        _change(_("Team changed."), set_agent_team, viewer, agent_id, team)
