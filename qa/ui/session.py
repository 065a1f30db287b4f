"""The signed-in user of a Streamlit session, and the database the pages read through.

Pages call `current_viewer()` first: it returns the Viewer the query layer needs, or stops the
page when nobody is signed in or the session has expired, so no page ever runs anonymously.
A session expires after `CALLQA_SESSION_TIMEOUT_MINUTES` without any interaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from qa.auth import record_session_end
from qa.i18n import _
from qa.queries.access import Viewer
from qa.settings import get_settings
from qa.storage.db import session_scope

VIEWER_KEY = "viewer"
ACTIVE_AT_KEY = "last_active_at"
EXPIRED_KEY = "session_expired"
QUERY_TTL_SECONDS = 30

R = TypeVar("R")


def sign_in(viewer: Viewer) -> None:
    st.session_state[VIEWER_KEY] = viewer
    st.session_state[ACTIVE_AT_KEY] = datetime.now(UTC)
    st.session_state.pop(EXPIRED_KEY, None)


def replace_viewer(viewer: Viewer) -> None:
    """The same user with changed settings (their language), for the rest of the session."""
    st.session_state[VIEWER_KEY] = viewer


def sign_out() -> None:
    """Forget the user and everything the pages kept for them in this browser session."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def signed_in_viewer() -> Viewer | None:
    """The viewer of this session, or None (signing out first when the session has expired).

    Every script run is an interaction, so it moves the idle deadline on.
    """
    viewer = st.session_state.get(VIEWER_KEY)
    active_at = st.session_state.get(ACTIVE_AT_KEY)
    if not isinstance(viewer, Viewer) or not isinstance(active_at, datetime):
        return None
    now = datetime.now(UTC)
    if now - active_at > timedelta(minutes=get_settings().session_timeout_minutes):
        sign_out()
        st.session_state[EXPIRED_KEY] = True
        with db_session() as session:
            record_session_end(session, viewer, "auth.session_expired")
        return None
    st.session_state[ACTIVE_AT_KEY] = now
    return viewer


def current_viewer() -> Viewer:
    """The signed-in viewer; stops the page with a message when there is none."""
    viewer = signed_in_viewer()
    if viewer is None:
        if st.session_state.get(EXPIRED_KEY):
            st.warning(_("Your session has expired. Please sign in again."))
        else:
            st.warning(_("Please sign in."))
        st.stop()
    return viewer


def database_url() -> str:
    return get_settings().resolved_database_url


@contextmanager
def db_session() -> Iterator[Session]:
    """One unit of work on the app's database (the engine and its pool live for the process)."""
    with session_scope(database_url()) as session:
        yield session


_CACHED_QUERIES: dict[str, Callable[..., Any]] = {}


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def _run_cached(name: str, url: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    with db_session() as session:
        return _CACHED_QUERIES[name](session, *args, **kwargs)


def cached(query: Callable[..., R]) -> Callable[..., R]:
    """Wrap a query `f(session, *args)` as `f(*args)` cached for a short while per database.

    Arguments (the Viewer included) are part of the cache key, so one user never gets another's
    cached answer. Writes call `invalidate()` so the next read sees them.
    """
    name = f"{query.__module__}.{query.__qualname__}"
    _CACHED_QUERIES[name] = query

    def call(*args: Any, **kwargs: Any) -> R:
        return _run_cached(name, database_url(), args, kwargs)

    call.__doc__ = query.__doc__
    return call


def invalidate() -> None:
    """Drop cached query results after a write, so every page shows the new state."""
    st.cache_data.clear()
