"""Verdict explanations in the reader's language: a call is scored and stored once, and a
Russian, a Persian and an English reader each read why a criterion passed or failed in their own
language, nested explanations ("Not: ...") and counted ones (plural forms) included.

Read through the shipped catalogs, as the app reads them.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from qa import i18n
from qa.explanations import explanation_text
from qa.queries.call_review import call_for_review
from qa.storage.db import session_scope
from qa.storage.evaluations import save_evaluation
from qa.storage.models import CriterionVerdictRecord, ScorecardVersion
from scorecards import load_scorecard_text, score_call
from scorecards.results import CallMetadata, CriterionVerdict
from tests.scorecards.calls import call
from tests.ui.seed import Seeded, viewer_named
from transcription.transcript import CallTranscript

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
AGENT_CALLS = {"ru": ("ivan-1", "ivan"), "fa": ("sara-1", "sara")}  # a seeded call, its agent
EXPECTED = {
    "ru": {
        "no_rude_words": "Сказано: 'заткнись' ('заткнись', говорит оператор, весь звонок).",
        "no_greeting": "Отрицание: Найдено «здравствуйте» "
        "('здравствуйте', говорит оператор, весь звонок).",
        "rude_model": "Модель rude отметила 2 реплики (оператор, весь звонок; "
        "наибольшая вероятность 1,00, порог 0,01).",
    },
    "fa": {
        "no_rude_words": "گفته شد: 'ساکت شو' ('ساکت شو' از سوی کارشناس در طول تماس).",
        "no_greeting": "نقیضِ این: «سلام» پیدا شد ('سلام' از سوی کارشناس در طول تماس).",
        "rude_model": "مدل rude ۲ گفته از کارشناس در طول تماس را علامت زد "
        "(بیشترین احتمال ۱٫۰۰، آستانه ۰٫۰۱).",
    },
}


def _stored_verdicts(seeded: Seeded, language: str) -> dict[str, CriterionVerdict]:
    return stored_verdicts(seeded, language, SCORECARD_YAML, CALLS[language])


def stored_verdicts(
    seeded: Seeded,
    language: str,
    yaml_text: str,
    transcript: CallTranscript,
    metadata: CallMetadata | None = None,
) -> dict[str, CriterionVerdict]:
    """Score the call, store it on a seeded call in that language, read it back."""
    scorecard = load_scorecard_text(yaml_text, "explained.yaml")
    (evaluation,) = score_call(transcript, metadata, [scorecard])
    with session_scope(seeded.url) as session:
        version = ScorecardVersion(
            scorecard_key=scorecard.id, version="v1", name=scorecard.name,
            yaml_text=yaml_text, active=True,
        )  # fmt: skip
        session.add(version)
        session.flush()
        save_evaluation(session, seeded.calls[AGENT_CALLS[language][0]], version.id, evaluation)
    return read_verdicts(seeded, language, scorecard.id)


def read_verdicts(seeded: Seeded, language: str, scorecard: str) -> dict[str, CriterionVerdict]:
    """A stored evaluation's verdicts as its agent (and the call review page) reads them."""
    external_id, agent = AGENT_CALLS[language]
    with session_scope(seeded.url) as session:
        review = call_for_review(
            session, viewer_named(seeded.url, agent), seeded.calls[external_id]
        )
    (stored,) = [e for e in review.evaluations if e.evaluation.scorecard == scorecard]
    return {v.criterion: v for v in stored.evaluation.verdicts}


@pytest.mark.parametrize("language", ["ru", "fa"])
def test_a_reader_gets_a_stored_verdicts_explanation_in_their_own_language(
    seeded_database: Seeded, language: str
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
    seeded_database: Seeded,
) -> None:
    with session_scope(seeded_database.url) as session:
        session.execute(update(CriterionVerdictRecord).values(explanation_message=None))
    review_call = seeded_database.calls["ivan-2"]
    with session_scope(seeded_database.url) as session:
        review = call_for_review(session, viewer_named(seeded_database.url, "ivan"), review_call)
    greeting = review.evaluations[0].evaluation.verdict("greeting")
    with i18n.language("ru"):
        assert explanation_text(greeting.explanation) == "The agent greets the customer."
