"""Sign-in: a username and password checked against the stored argon2 hash.

Hardened against guessing: after `MAX_FAILURES` wrong attempts for one username within
`LOCK_WINDOW`, that username is refused for `LOCK_WINDOW` even with the right password; an
unknown or deactivated username costs the same password check as a known one, so the time an
answer takes does not tell which usernames exist. Every attempt, refusal and forced end of a
session goes to the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.errors import QAError
from qa.i18n import N_, _
from qa.passwords import hash_password, needs_rehash, verify_password
from qa.queries.access import Viewer
from qa.queries.users import viewer_of
from qa.storage import audit
from qa.storage.models import AuditEntry, User, UserSession

MAX_FAILURES = 10
LOCK_WINDOW = timedelta(minutes=15)
FAILED = "auth.sign_in_failed"
# Checked against when there is no real hash, so unknown users take as long as known ones.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(24))


class SignInFailed(QAError):
    """Wrong username or password; deliberately does not say which."""


class SignInLocked(SignInFailed):
    """Too many wrong passwords for this username lately; it is refused for a while."""


GENERIC_FAILURE = N_("Unknown username or wrong password.")
LOCKED = N_(
    "Too many failed sign-ins for this username. It is locked for {minutes} minutes; "
    "try again later or ask an administrator."
)


def authenticate(session: Session, username: str, password: str) -> Viewer:
    """The Viewer of an active user whose password matches; SignInFailed otherwise.

    Every attempt, failed or not, goes to the audit log (in the caller's transaction), so
    guessing shows up there; the message never tells which of the two was wrong.
    """
    username = username.strip()
    now = datetime.now(UTC)
    user = session.scalar(select(User).where(User.username == username))
    # The password is checked first, whatever else is true, so every path costs the same.
    matches = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if _locked(session, username, now):
        audit.record(session, "auth.sign_in_locked", "username", username[:64], None,
                     username=username)  # fmt: skip
        raise SignInLocked(_(LOCKED).format(minutes=int(LOCK_WINDOW.total_seconds() // 60)))
    if user is None or not user.active or not matches:
        audit.record(session, FAILED, "username", username[:64], None, username=username)
        raise SignInFailed(_(GENERIC_FAILURE))
    if needs_rehash(user.password_hash):
        # Hashes made with older, weaker parameters are upgraded while the password is at hand.
        user.password_hash = hash_password(password)
    audit.record(session, "auth.sign_in", "user", user.id, user.id, username=username)
    return viewer_of(user)


def _locked(session: Session, username: str, now: datetime) -> bool:
    """Whether `MAX_FAILURES` failures within `LOCK_WINDOW` ended less than `LOCK_WINDOW` ago."""
    failures = [
        _aware(at)
        for at in session.scalars(
            select(AuditEntry.at)
            .where(
                AuditEntry.action == FAILED,
                AuditEntry.entity_type == "username",
                AuditEntry.entity_id == username[:64],
                AuditEntry.at >= now - 2 * LOCK_WINDOW,
            )
            .order_by(AuditEntry.at)
        )
    ]
    for i in range(len(failures) - 1, MAX_FAILURES - 2, -1):
        if failures[i] - failures[i - MAX_FAILURES + 1] <= LOCK_WINDOW:
            return now - failures[i] < LOCK_WINDOW
    return False


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def still_allowed(session: Session, viewer: Viewer) -> Viewer | None:
    """The viewer as the database has them now; None (audited) when deactivated or deleted.

    Checked at every click, so deactivating a user ends their open sessions at once.
    """
    user = session.get(User, viewer.user_id)
    if user is not None and user.active:
        return viewer_of(user)
    audit.record(session, "auth.session_ended_inactive", "user", viewer.user_id, None,
                 username=viewer.username)  # fmt: skip
    return None


def record_session_end(session: Session, viewer: Viewer, action: str) -> None:
    """Audit a sign-out or an expiry, so the log shows how long each session lasted."""
    audit.record(session, action, "user", viewer.user_id, viewer.user_id, username=viewer.username)


# ---- sessions that survive a browser refresh ----------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, viewer: Viewer, lifetime: timedelta) -> str:
    """A new random session token for the browser; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    session.add(
        UserSession(
            user_id=viewer.user_id,
            token_hash=_token_hash(token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
        )
    )
    return token


def resume_session(session: Session, token: str, idle: timedelta) -> Viewer | None:
    """The viewer of a live token (not ended, expired, idle too long or of an inactive user).

    A token that has just gone stale is ended here and audited, so it never works again.
    """
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token)))
    if row is None or row.ended_at is not None:
        return None
    now = datetime.now(UTC)
    user = session.get(User, row.user_id)
    if now >= _aware(row.expires_at) or now - _aware(row.last_seen_at) > idle:
        row.ended_at = now
        if user is not None:
            audit.record(session, "auth.session_expired", "user", user.id, user.id,
                         username=user.username)  # fmt: skip
        return None
    if user is None or not user.active:
        row.ended_at = now
        audit.record(session, "auth.session_ended_inactive", "user", row.user_id, None,
                     username=user.username if user else None)  # fmt: skip
        return None
    if now - _aware(row.last_seen_at) > timedelta(seconds=30):
        row.last_seen_at = now  # not at every click: one write a half-minute is enough
    return viewer_of(user)


def end_session(session: Session, token: str) -> None:
    """Sign-out: the token stops working in every tab at once."""
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token)))
    if row is not None and row.ended_at is None:
        row.ended_at = datetime.now(UTC)
