"""Password hashing in one place (argon2id), used by `user add`, the demo and sign-in."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from qa.errors import QAError
from qa.i18n import ngettext

MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()


class WeakPassword(QAError):
    """The password is too short to be accepted."""


def hash_password(password: str) -> str:
    """An argon2id hash with its own salt and parameters, safe to store."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(
            ngettext(
                "a password needs at least {count} character",
                "a password needs at least {count} characters",
                MIN_PASSWORD_LENGTH,
            ).format(count=MIN_PASSWORD_LENGTH)
        )
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; a malformed or foreign hash is simply a mismatch."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's defaults."""
    return _hasher.check_needs_rehash(password_hash)
