"""Sign-in: a username and password checked against the stored argon2 hash."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.errors import QAError
from qa.i18n import N_, _
from qa.passwords import hash_password, needs_rehash, verify_password
from qa.queries.access import Viewer
from qa.queries.users import viewer_of
from qa.storage import audit
from qa.storage.models import User


class SignInFailed(QAError):
    """Wrong username or password; deliberately does not say which."""


GENERIC_FAILURE = N_("Unknown username or wrong password.")


def authenticate(session: Session, username: str, password: str) -> Viewer:
    """The Viewer of an active user whose password matches; SignInFailed otherwise.

    Every attempt, failed or not, goes to the audit log (in the caller's transaction), so
    guessing shows up there; the message never tells which of the two was wrong.
    """
    username = username.strip()
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not verify_password(user.password_hash, password):
        audit.record(
            session,
            "auth.sign_in_failed",
            "user",
            user.id if user is not None else username,
            None,
            username=username,
        )
        raise SignInFailed(_(GENERIC_FAILURE))
    if needs_rehash(user.password_hash):
        # Hashes made with older, weaker parameters are upgraded while the password is at hand.
        user.password_hash = hash_password(password)
    audit.record(session, "auth.sign_in", "user", user.id, user.id, username=username)
    return viewer_of(user)


def record_session_end(session: Session, viewer: Viewer, action: str) -> None:
    """Audit a sign-out or an expiry, so the log shows how long each session lasted."""
    audit.record(session, action, "user", viewer.user_id, viewer.user_id, username=viewer.username)
