"""Comments pinned to a moment of a call: "listen from 1:23", for the agent, coach or reviewer."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qa.errors import NotFound, QAError
from qa.i18n import _
from qa.queries.access import REVIEWERS, Viewer, ensure_can_read_call, ensure_role
from qa.storage import audit
from qa.storage.models import Call, Comment, Role

COMMENTERS = (*REVIEWERS, Role.coach)


class CommentInvalid(QAError):
    """A comment that cannot be saved as written."""


def pin_comment(
    session: Session, viewer: Viewer, call_id: int, body: str, at_seconds: float
) -> int:
    """Store a comment on the call at `at_seconds` into its recording."""
    ensure_role(viewer, *COMMENTERS)
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(_("There is no call with id {id}.").format(id=call_id))
    ensure_can_read_call(call, viewer)
    if not body.strip():
        raise CommentInvalid(_("Write the comment first."))
    if at_seconds < 0 or (call.duration is not None and at_seconds > call.duration):
        raise CommentInvalid(_("That moment is not within the recording."))
    comment = Comment(
        call_id=call_id, author_id=viewer.user_id, body=body.strip(), at_seconds=at_seconds
    )
    session.add(comment)
    session.flush()
    audit.record(session, "comment.pinned", "call", call_id, viewer.user_id, at_seconds=at_seconds)
    return comment.id
