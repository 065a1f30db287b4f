"""Errors of the platform layer (storage, pipeline, workflow, access)."""


class QAError(Exception):
    """Base class for errors the CLI and UI show to the user as a message."""


class AccessDenied(QAError):
    """The signed-in user may not see or change this record."""


class NotFound(QAError):
    """The record asked for does not exist (or is not visible to this user)."""
