"""The signed-in user of a Streamlit session, and the database the pages read through.

Pages call `current_viewer()` first: it returns the Viewer the query layer needs, or stops the
page when nobody is signed in or the session has ended, so no page ever runs anonymously.
A session ends after `CALLQA_SESSION_TIMEOUT_MINUTES` without any interaction, after
`CALLQA_SESSION_MAX_HOURS` in all, at sign-out (in every tab), and at the next click of a user
who has been deactivated or deleted.

A refresh keeps the user signed in: sign-in stores a random token in a cookie (only its hash is
in the database, `qa.auth.open_session`), and a new browser session resumes from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from qa.auth import end_session, open_session, record_session_end, resume_session, still_allowed
from qa.erasure import erasure_mark
from qa.i18n import N_, _
from qa.queries.access import CALL_UNAVAILABLE, Viewer
from qa.queries.coaching import COACHING_UNAVAILABLE
from qa.settings import get_settings
from qa.storage.db import session_scope

VIEWER_KEY = "viewer"
ACTIVE_AT_KEY = "last_active_at"
EXPIRED_KEY = "session_expired"
ENDED_KEY = "session_ended"
TOKEN_KEY = "session_token"
COOKIE_KEY = "session_cookie_pending"
COOKIE = "callqa_session"
QUERY_TTL_SECONDS = 30
EXPIRED = N_("Your session has expired. Please sign in again.")
ENDED = N_("Your session has ended. Please sign in again.")

R = TypeVar("R")


def _idle_limit() -> timedelta:
    return timedelta(minutes=get_settings().session_timeout_minutes)


def sign_in(viewer: Viewer) -> None:
    """Remember the viewer here and, through a cookie, across refreshes of this browser."""
    lifetime = timedelta(hours=get_settings().session_max_hours)
    with db_session() as session:
        token = open_session(session, viewer, lifetime)
    st.session_state[VIEWER_KEY] = viewer
    st.session_state[ACTIVE_AT_KEY] = datetime.now(UTC)
    st.session_state[TOKEN_KEY] = token
    st.session_state[COOKIE_KEY] = (token, int(lifetime.total_seconds()))
    st.session_state.pop(EXPIRED_KEY, None)
    st.session_state.pop(ENDED_KEY, None)


def sign_out() -> None:
    """Forget the user and everything the pages kept for them; the token ends everywhere."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        with db_session() as session:
            end_session(session, token)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[COOKIE_KEY] = ("", 0)


def write_session_cookie() -> None:
    """Set (or clear) the session cookie in the browser; called once per run by app.py.

    Done on the run after sign-in or sign-out because those end with a rerun, which would
    drop anything drawn before it.
    """
    pending = st.session_state.pop(COOKIE_KEY, None)
    if pending is None:
        return
    token, max_age = pending
    st.html(
        "<script>document.cookie = "
        f"'{COOKIE}={token}; Path=/; Max-Age={max_age}; SameSite=Strict'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def signed_in_viewer() -> Viewer | None:
    """The viewer of this session, or None (signing out first when the session has ended).

    Every script run is an interaction, so it moves the idle deadline on; and every run asks
    the database whether the user and the session are still valid.
    """
    viewer = st.session_state.get(VIEWER_KEY)
    active_at = st.session_state.get(ACTIVE_AT_KEY)
    if not isinstance(viewer, Viewer) or not isinstance(active_at, datetime):
        return _resumed()
    now = datetime.now(UTC)
    if now - active_at > _idle_limit():
        sign_out()
        st.session_state[EXPIRED_KEY] = True
        with db_session() as session:
            record_session_end(session, viewer, "auth.session_expired")
        return None
    token = st.session_state.get(TOKEN_KEY)
    with db_session() as session:
        fresh = (
            resume_session(session, token, _idle_limit())
            if token
            else still_allowed(session, viewer)
        )
    if fresh is None:
        sign_out()
        st.session_state[ENDED_KEY] = True
        return None
    st.session_state[VIEWER_KEY] = fresh
    st.session_state[ACTIVE_AT_KEY] = now
    return fresh


def _resumed() -> Viewer | None:
    """The viewer of this browser's session cookie, after a refresh or a new tab."""
    token = st.context.cookies.get(COOKIE) if st.context.cookies else None
    if not token:
        return None
    with db_session() as session:
        viewer = resume_session(session, token, _idle_limit())
    if viewer is None:
        st.session_state[COOKIE_KEY] = ("", 0)
        return None
    st.session_state[VIEWER_KEY] = viewer
    st.session_state[ACTIVE_AT_KEY] = datetime.now(UTC)
    st.session_state[TOKEN_KEY] = token
    return viewer


@dataclass(frozen=True)
class Link:
    """What a signed-out user's link asked for (`?call=ID`, `?coaching=ID`), kept for after
    sign-in."""

    parameter: str
    value: str

    def page_in(self, pages: list[str]) -> str | None:
        """The first of the role's pages that opens this link; None when none does."""
        return next((page for page in LINK_PAGES[self.parameter] if page in pages), None)

    @property
    def query(self) -> dict[str, str]:
        return {self.parameter: self.value}


# Which pages open which link, in order of preference: a coach or lead reads a coaching session
# on Coaching, the agent it was with on My scores.
LINK_PAGES: dict[str, tuple[str, ...]] = {
    "call": ("call_review",),
    "coaching": ("coaching", "my_scores"),
}
# Said when the signed-in role has no page for the link at all; a page that can open it gives
# its own query's refusal for one record the user may not see.
LINK_REFUSED = {"call": CALL_UNAVAILABLE, "coaching": COACHING_UNAVAILABLE}
LINK_KEY = "requested_link"


def requested_link() -> Link | None:
    """The link this address's query asks for (`?call=ID`, `?coaching=ID`), if any."""
    for parameter in LINK_PAGES:
        value = st.query_params.get(parameter)
        if value:
            return Link(parameter, value)
    return None


def remember_link() -> None:
    """Keep a link's target while the user signs in (the sign-in rerun would lose it)."""
    if link := requested_link():
        st.session_state[LINK_KEY] = link


def take_remembered_link() -> Link | None:
    """The link asked for before sign-in, once.

    Whether the user may see that very call or session is still the page's query to decide.
    """
    link = st.session_state.pop(LINK_KEY, None)
    return link if isinstance(link, Link) else None


def current_viewer() -> Viewer:
    """The signed-in viewer; stops the page with a message when there is none."""
    viewer = signed_in_viewer()
    if viewer is None:
        st.warning(_(session_message() or N_("Please sign in.")))
        st.stop()
    return viewer


def session_message() -> str | None:
    """Why the user is looking at the sign-in form again, if their session ended."""
    if st.session_state.get(EXPIRED_KEY):
        return _(EXPIRED)
    if st.session_state.get(ENDED_KEY):
        return _(ENDED)
    return None


def database_url() -> str:
    return get_settings().resolved_database_url


@contextmanager
def db_session() -> Iterator[Session]:
    """One unit of work on the app's database (the engine and its pool live for the process)."""
    with session_scope(database_url()) as session:
        yield session


_CACHED_QUERIES: dict[str, Callable[..., Any]] = {}


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def _run_cached(
    name: str, url: str, erased: int, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
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
        # A new erasure mark makes a new key: erased data is never served from the cache.
        erased = erasure_mark(get_settings().home)
        return _run_cached(name, database_url(), erased, args, kwargs)

    call.__doc__ = query.__doc__
    return call


def invalidate() -> None:
    """Drop cached query results after a write, so every page shows the new state."""
    st.cache_data.clear()
