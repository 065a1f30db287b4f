"""Scorecard and criterion names in the reader's language wherever a page shows them (chart
legends, pickers, forms, tables), when the scorecard's YAML has them in that language."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from qa.storage.db import session_scope
from qa.storage.models import ScorecardVersion, User
from qa.storage.scorecard_store import save_scorecard_version, sync_shipped_scorecards
from tests.ui.conftest import TIMEOUT, signed_in, viewer_for
from tests.ui.seed import SCORECARD_YAML, Seeded
from tests.ui.test_calibration_page import create_session

PageAs = Callable[[str, str], AppTest]
LOCALIZED_YAML = SCORECARD_YAML.replace(
    "name: Politeness", "name: {en: Politeness, ru: Вежливость, fa: ادب}"
)


def _render_in_users_language(page_key: str) -> None:
    # Runs as the AppTest script: the page in the signed-in user's language, as app.py sets it.
    import importlib

    import streamlit as st

    from qa.ui.components.language import apply_language
    from qa.ui.navigation import run_safely

    apply_language(st.session_state["viewer"])
    run_safely(importlib.import_module(f"qa.ui.pages.{page_key}").render)


def page_in_language(
    seeded: Seeded, page_key: str, username: str, code: str, **state: object
) -> AppTest:
    """A page run for a user who reads `code` (with `state` in its session, as set by links)."""
    with session_scope(seeded.url) as session:
        session.execute(update(User).where(User.username == username).values(language=code))
    at = AppTest.from_function(_render_in_users_language, args=(page_key,), default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    return signed_in(at, viewer_for(seeded.url, username)).run()


def test_an_agent_reads_the_scorecard_name_in_their_language_in_the_trend_and_the_picker(
    seeded: Seeded,
) -> None:
    with session_scope(seeded.url) as session:
        session.execute(
            update(ScorecardVersion)
            .where(ScorecardVersion.scorecard_key == "politeness")
            .values(yaml_text=LOCALIZED_YAML)
        )
    at = page_in_language(seeded, "my_scores", "ivan", "ru")
    assert not at.exception and not at.error
    (picker,) = [s for s in at.selectbox if any(" · ivan-" in o for o in s.options)]
    assert all(" · Вежливость · " in label for label in picker.options), picker.options
    legends = {
        trace["name"]
        for chart in at.get("plotly_chart")
        for trace in json.loads(chart.proto.spec)["data"]
        if trace.get("mode") == "lines+markers"
    }
    assert "Вежливость" in legends and "Politeness" not in legends


def test_a_calibration_participant_reads_scorecard_and_criterion_names_in_their_language(
    seeded: Seeded, page_as: PageAs
) -> None:
    with session_scope(seeded.url) as session:
        sync_shipped_scorecards(session)
    create_session(page_as)  # by an English-speaking admin
    at = page_in_language(seeded, "calibration", "coach", "ru")
    assert not at.exception and not at.error
    (session_picker,) = [s for s in at.selectbox if any("Week 47" in o for o in s.options)]
    assert session_picker.options[0].startswith("Week 47 · Соблюдение правил · ")
    questions = {r.label for r in at.radio}
    assert "Ответ в течение трёх гудков" in questions
    assert "Answered within three rings" not in questions


def test_an_admin_reads_each_versions_name_and_a_trials_criteria_in_their_language(
    seeded: Seeded,
) -> None:
    with session_scope(seeded.url) as session:
        (compliance,) = [
            v for v in sync_shipped_scorecards(session) if v.scorecard_key == "compliance"
        ]
        renamed = compliance.yaml_text.replace("ru: Соблюдение правил", "ru: Правила", 1)
        save_scorecard_version(session, renamed, None)
    at = page_in_language(seeded, "scorecards_admin", "admin", "ru")
    assert not at.exception and not at.error
    picker = next(s for s in at.selectbox if any("(compliance)" in o for o in s.options))
    picker.select("compliance").run()
    names = set(at.dataframe[0].value.iloc[:, 1])  # each version's name, as its YAML has it
    assert names == {"Правила", "Соблюдение правил"}, names
    # A trial of an edit names its criteria as the edit does, in the reader's language.
    editor = at.text_area[0]
    editor.input(
        str(editor.value).replace("ru: Ответ в течение трёх гудков", "ru: Ответ за три гудка")
    ).run()
    # "Check" and "Try it" are both "Проверить" in Russian: the trial's is the science one.
    next(b for b in at.button if b.proto.icon == ":material/science:").click().run()
    assert not at.exception and not at.error
    trial = [m.value for m in at.markdown if "**" in m.value]
    assert any("**Ответ за три гудка**" in line for line in trial), trial
    assert not any("Answered within three rings" in line for line in trial), trial
