"""A scorecard's YAML problems on the admin page, in the admin's language: the scorecard's own
checks and pydantic's common mistakes alike, at the same field as in English."""

from __future__ import annotations

from collections.abc import Callable

from babel.support import Translations
from streamlit.testing.v1 import AppTest

from qa.storage.db import session_scope
from qa.storage.scorecard_store import sync_shipped_scorecards
from tests.qa.conftest import russian_catalog  # noqa: F401  (the fixture, for this page test)
from tests.ui.seed import Seeded
from tests.ui.test_scorecard_names import page_in_language


def _checked(at: AppTest, edit: Callable[[str], str]) -> str:
    """The problems shown after editing the compliance scorecard and pressing Check."""
    at.selectbox[0].select("compliance").run()
    editor = at.text_area[0]
    editor.input(edit(str(editor.value))).run()
    next(b for b in at.button if str(b.key).startswith("check-")).click().run()
    assert not at.exception and len(at.error) == 1
    return str(at.error[0].value)


def test_a_russian_admin_reads_a_broken_scorecards_problems_in_russian(
    seeded: Seeded,
    russian_catalog: Callable[[Translations], None],  # noqa: F811
) -> None:
    russian_catalog({
        "Extra inputs are not permitted": "лишние поля не допускаются",
        "criterion ids must be unique; repeated: {repeated}":
            "id критериев должны быть разными; повторяются: {repeated}",
    })  # fmt: skip
    with session_scope(seeded.url) as session:
        sync_shipped_scorecards(session)
    at = page_in_language(seeded, "scorecards_admin", "admin", "ru")

    extra_key = _checked(at, lambda yaml: yaml.replace("weight:", "wieght:", 1))
    assert "wieght" in extra_key and "лишние поля не допускаются" in extra_key
    assert "Extra inputs" not in extra_key

    repeated_id = _checked(
        at,
        lambda yaml: yaml.replace("wieght:", "weight:").replace(
            "no_sensitive_data_readback", "answered_within_three_rings"
        ),
    )
    assert "повторяются: answered_within_three_rings" in repeated_id
    assert "must be unique" not in repeated_id


def test_an_english_admin_reads_the_same_problem_in_english(seeded: Seeded) -> None:
    with session_scope(seeded.url) as session:
        sync_shipped_scorecards(session)
    at = page_in_language(seeded, "scorecards_admin", "admin", "en")
    repeated_id = _checked(
        at, lambda yaml: yaml.replace("no_sensitive_data_readback", "answered_within_three_rings")
    )
    assert "criterion ids must be unique; repeated: answered_within_three_rings" in repeated_id
