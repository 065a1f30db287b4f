"""Comments pinned to a moment of a call: a reviewer pins one, the agent plays from there."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from qa.errors import AccessDenied
from qa.queries.call_comments import CommentInvalid, pin_comment
from qa.storage.db import session_scope
from tests.ui.seed import Seeded
from tests.ui.seed import viewer_named as viewer

PageAs = Callable[[str, str], AppTest]


def open_call(page_as: PageAs, username: str, call_id: int) -> AppTest:
    at = page_as("call_review", username)
    at.session_state["review_call_id"] = call_id
    return at.run()


def test_a_pinned_comment_starts_the_recording_at_its_moment(
    page_as: PageAs, seeded: Seeded
) -> None:
    call_id = seeded.calls["sara-3"]
    at = open_call(page_as, "reviewer", call_id)
    at.number_input(key=f"pin-at-{call_id}").set_value(8.0)
    at.text_area(key=f"pin-body-{call_id}").input("Listen to the tone here.")
    next(b for b in at.button if b.label == "Pin comment").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    sara = open_call(page_as, "sara", call_id)
    assert any("Listen to the tone here." in h.proto.body for h in sara.get("html"))
    assert not [b for b in sara.button if b.label == "Pin comment"]  # agents read, not pin
    next(b for b in sara.button if b.label == "0:08").click().run()
    assert "Playing from 0:08" in [c.value for c in sara.caption]


def test_only_staff_pin_comments_within_the_recording_on_calls_they_may_read(
    seeded: Seeded,
) -> None:
    call_id = seeded.calls["sara-1"]
    with session_scope(seeded.url) as session, pytest.raises(AccessDenied):
        pin_comment(session, viewer(seeded.url, "sara"), call_id, "mine", 1.0)
    with session_scope(seeded.url) as session, pytest.raises(CommentInvalid, match="within"):
        pin_comment(session, viewer(seeded.url, "coach"), call_id, "late", 99.0)  # 10 s call
    with session_scope(seeded.url) as session, pytest.raises(CommentInvalid):
        pin_comment(session, viewer(seeded.url, "coach"), call_id, "  ", 1.0)
