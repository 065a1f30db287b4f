"""Verdict explanations in the reader's language: a call is scored and stored once, and a
Russian, a Persian and an English reader each read why a criterion passed or failed in their own
language, nested explanations ("Not: ...") and counted ones (plural forms) included.

The templates are new to the catalogs (the integrator translates them), so the test writes the
real catalogs plus its own translations of the templates it reads into a locale folder of its
own, as `update_catalogs.sh` and a translator would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from sqlalchemy import update

from qa import i18n
from qa.explanations import explanation_text
from qa.queries.call_review import call_for_review
from qa.storage.db import session_scope
from qa.storage.evaluations import save_evaluation
from qa.storage.models import CriterionVerdictRecord, ScorecardVersion
from scorecards import load_scorecard_text, score_call
from scorecards.results import CriterionVerdict
from tests.scorecards.calls import call
from tests.ui.seed import Seeded, viewer_named

SCORECARD_YAML = """\
id: explained
name: Explained
pass_mark: 80
sections:
  - id: main
    name: Main
    criteria:
      - id: no_rude_words
        name: No rude words
        points: 1
        speaker: agent
        coaching_tip: {en: Keep it polite.}
        check: {type: phrase_absent, params: {phrases: {ru: [заткнись], fa: [ساکت شو]}}}
      - id: no_greeting
        name: No greeting
        points: 1
        speaker: agent
        coaching_tip: {en: Keep it polite.}
        check: {type: not, params: {check: {type: phrase_present,
          params: {phrases: {ru: [здравствуйте], fa: [سلام]}}}}}
      - id: rude_model
        name: Rude model
        points: 1
        speaker: agent
        coaching_tip: {en: Keep it polite.}
        check: {type: classifier, params: {model: rude, threshold: 0.01}}
"""
CALLS = {
    "ru": call(
        "ru",
        [
            ("agent", 0.0, 3.0, "Здравствуйте, контакт-центр."),
            ("customer", 3.5, 6.0, "У меня не проходит оплата."),
            ("agent", 6.5, 9.0, "Заткнись и слушай, идиот."),
            ("agent", 9.5, 12.0, "Ты что, тупой? Сам виноват, дурак."),
        ],
    ),
    "fa": call(
        "fa",
        [
            ("agent", 0.0, 3.0, "سلام، به مرکز تماس خوش آمدید."),
            ("customer", 3.5, 6.0, "کارت من کار نمی‌کند."),
            ("agent", 6.5, 9.0, "ساکت شو و گوش کن."),
            ("agent", 9.5, 12.0, "احمق، خودت مقصری، خفه شو."),
        ],
    ),
}
PROBABILITIES = "(highest probability {top:.2f}, threshold {threshold:.2f})."
TRANSLATIONS: dict[str, dict[str | tuple[str, str], str | tuple[str, ...]]] = {
    "ru": {
        "the agent": "агент",
        "{who} during the call": "{who} за весь звонок",
        "{phrases} by {who}": "{phrases}, говорит {who}",
        "Said {said} ({looked_for}).": "Сказано {said} ({looked_for}).",
        "Found '{phrase}' ({looked_for}).": "Найдено «{phrase}» ({looked_for}).",
        "Not: {reason}": "Наоборот: {reason}",
        (
            "The {model} model flags {count} utterance by {who} " + PROBABILITIES,
            "The {model} model flags {count} utterances by {who} " + PROBABILITIES,
        ): (
            "Модель {model} отмечает {count} высказывание, говорит {who}.",
            "Модель {model} отмечает {count} высказывания, говорит {who}.",
            "Модель {model} отмечает {count} высказываний, говорит {who}.",
        ),
    },
    "fa": {
        "the agent": "کارشناس",
        "{who} during the call": "{who} در طول تماس",
        "{phrases} by {who}": "{phrases} از سوی {who}",
        "Said {said} ({looked_for}).": "گفته شد {said} ({looked_for}).",
        "Found '{phrase}' ({looked_for}).": "پیدا شد «{phrase}» ({looked_for}).",
        "Not: {reason}": "برعکس: {reason}",
        (
            "The {model} model flags {count} utterance by {who} " + PROBABILITIES,
            "The {model} model flags {count} utterances by {who} " + PROBABILITIES,
        ): ("مدل {model} {count} گفته از سوی {who} را علامت زد.",),
    },
}
EXPECTED = {
    "ru": {
        "no_rude_words": "Сказано 'заткнись' ('заткнись', говорит агент за весь звонок).",
        "no_greeting": "Наоборот: Найдено «здравствуйте» "
        "('здравствуйте', говорит агент за весь звонок).",
        "rude_model": "Модель rude отмечает 2 высказывания, говорит агент за весь звонок.",
    },
    "fa": {
        "no_rude_words": "گفته شد 'ساکت شو' ('ساکت شو' از سوی کارشناس در طول تماس).",
        "no_greeting": "برعکس: پیدا شد «سلام» ('سلام' از سوی کارشناس در طول تماس).",
        "rude_model": "مدل rude ۲ گفته از سوی کارشناس در طول تماس را علامت زد.",
    },
}


@pytest.fixture
def translated_catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The real catalogs, with the templates this test reads translated."""
    for code, entries in TRANSLATIONS.items():
        with i18n.catalog_path(code).open("rb") as source:
            catalog = read_po(source, locale=code)
        for message_id, string in entries.items():
            catalog.add(message_id, string)
        target = tmp_path / code / "LC_MESSAGES" / "messages.po"
        target.parent.mkdir(parents=True)
        with target.open("wb") as out:
            write_po(out, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    yield
    i18n.translations.cache_clear()


def _stored_verdicts(seeded: Seeded, language: str) -> dict[str, CriterionVerdict]:
    """Score the call, store it on a seeded call in that language, read it back as its agent
    (and the call review page) does."""
    scorecard = load_scorecard_text(SCORECARD_YAML, "explained.yaml")
    (evaluation,) = score_call(CALLS[language], None, [scorecard])
    external_id, agent = {"ru": ("ivan-1", "ivan"), "fa": ("sara-1", "sara")}[language]
    with session_scope(seeded.url) as session:
        version = ScorecardVersion(
            scorecard_key="explained", version="v1", name="Explained",
            yaml_text=SCORECARD_YAML, active=True,
        )  # fmt: skip
        session.add(version)
        session.flush()
        save_evaluation(session, seeded.calls[external_id], version.id, evaluation)
    with session_scope(seeded.url) as session:
        review = call_for_review(
            session, viewer_named(seeded.url, agent), seeded.calls[external_id]
        )
    (stored,) = [e for e in review.evaluations if e.evaluation.scorecard == "explained"]
    return {v.criterion: v for v in stored.evaluation.verdicts}


@pytest.mark.parametrize("language", ["ru", "fa"])
def test_a_reader_gets_a_stored_verdicts_explanation_in_their_own_language(
    seeded_database: Seeded, translated_catalogs: None, language: str
) -> None:
    verdicts = _stored_verdicts(seeded_database, language)
    assert {c: v.outcome for c, v in verdicts.items()} == {
        "no_rude_words": "fail",
        "no_greeting": "fail",
        "rude_model": "fail",
    }
    with i18n.language(language):
        shown = {c: explanation_text(v.explanation) for c, v in verdicts.items()}
    assert shown == EXPECTED[language]
    # An English reader, and the English text kept for exports, read the source text.
    with i18n.language("en"):
        english = explanation_text(verdicts["no_greeting"].explanation)
    phrase = {"ru": "здравствуйте", "fa": "سلام"}[language]
    assert english == f"Not: Found '{phrase}' ('{phrase}' by the agent during the call)."
    assert str(verdicts["no_greeting"].explanation) == english


def test_a_verdict_stored_before_explanations_were_messages_shows_its_text(
    seeded_database: Seeded, translated_catalogs: None
) -> None:
    with session_scope(seeded_database.url) as session:
        session.execute(update(CriterionVerdictRecord).values(explanation_message=None))
    review_call = seeded_database.calls["ivan-2"]
    with session_scope(seeded_database.url) as session:
        review = call_for_review(session, viewer_named(seeded_database.url, "ivan"), review_call)
    greeting = review.evaluations[0].evaluation.verdict("greeting")
    with i18n.language("ru"):
        assert explanation_text(greeting.explanation) == "The agent greets the customer."
