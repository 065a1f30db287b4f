"""The Search page: hits from the viewer's own calls only (opening one: tests/ui/browser)."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.conftest import BOTH_DATABASES
from tests.ui.seed import Seeded

PageAs = Callable[[str, str], AppTest]


def search(page_as: PageAs, username: str, query: str) -> AppTest:
    at = page_as("search", username).run()
    at.text_input(key="search-query").input(query).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


@BOTH_DATABASES
def test_each_viewer_finds_words_only_in_calls_they_may_open(
    page_as: PageAs, seeded: Seeded
) -> None:
    sara = search(page_as, "sara", "ممنون")
    assert sara.caption[0].value == "3 matching utterances, newest calls first."
    assert all("sara-" in m.value for m in sara.markdown if m.value.startswith("**"))
    assert [b.label for b in sara.button] == ["Open"] * 3
    nothing = search(page_as, "sara", "thank you")
    assert [i.value for i in nothing.info] == ["No transcript contains all of these words."]
    globex = search(page_as, "globex", "thank")
    assert globex.caption[0].value == "4 matching utterances, newest calls first."
    assert not globex.button  # client viewers have no Call review page to open
