"""Call review warns when a call's language was transcribed with a model known to be weak for it."""

from __future__ import annotations

from sqlalchemy import update

from qa.storage.db import session_scope
from qa.storage.models import Transcript
from qa.ui.session import invalidate
from tests.ui.seed import Seeded
from tests.ui.test_review import PageAs


def _transcribed_with(seeded: Seeded, external_id: str, model: str) -> None:
    with session_scope(seeded.url) as session:
        call_id = seeded.calls[external_id]
        session.execute(update(Transcript).where(Transcript.call_id == call_id).values(model=model))
    invalidate()  # as the app's own writers do, so the page reads the change


def _open(page_as: PageAs, seeded: Seeded, external_id: str) -> list[str]:
    at = page_as("call_review", "reviewer")
    at.session_state["review_call_id"] = seeded.calls[external_id]
    at.run()
    assert not at.exception
    return [w.value for w in at.warning]


def test_call_review_warns_only_where_the_model_is_weak_for_the_call_language(
    page_as: PageAs, seeded: Seeded
) -> None:
    """Base on a Persian call warns, with the link; base on Russian and small on Persian do not."""
    _transcribed_with(seeded, "sara-1", "bundled-base")
    _transcribed_with(seeded, "ivan-1", "bundled-base")
    (warning,) = [w for w in _open(page_as, seeded, "sara-1") if "known to be weak" in w]
    assert "bundled-base" in warning
    assert "(docs/transcription.md#bigger-models-for-persian-and-russian)" in warning
    assert not [w for w in _open(page_as, seeded, "ivan-1") if "known to be weak" in w]
    _transcribed_with(seeded, "sara-1", "small")
    assert not [w for w in _open(page_as, seeded, "sara-1") if "known to be weak" in w]
