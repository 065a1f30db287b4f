"""Evidence in the reader's language: a figure measured, a field of the call's metadata and a
quote's note (the mood measured there) read in Russian and Persian once stored; what was said
stays as it was said, and evidence stored before evidence had messages shows its text.

Read through the shipped catalogs, as the app reads them.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa import i18n
from qa.explanations import evidence_note, evidence_text
from qa.storage.db import session_scope
from qa.storage.models import CriterionVerdictRecord
from scorecards.results import CallMetadata, CriterionVerdict
from tests.qa.test_explanation_language import read_verdicts, stored_verdicts
from tests.scorecards.calls import agent_metrics, call
from tests.ui.seed import Seeded

SCORECARD_YAML = """\
id: evidenced
name: Evidenced
pass_mark: 80
sections:
  - id: main
    name: Main
    criteria:
      - id: short_silences
        name: Short silences
        points: 1
        coaching_tip: {en: Keep the line alive.}
        check: {type: metric_threshold, params: {metric: longest_silence, at_most: 5}}
      - id: quick_answer
        name: Quick answer
        points: 1
        coaching_tip: {en: Answer quickly.}
        check: {type: metadata_threshold, params: {field: rings, at_most: 3}}
      - id: mood
        name: Mood
        points: 1
        coaching_tip: {en: Leave the customer happier.}
        check: {type: sentiment_shift, params: {speaker: customer}}
"""
CALLS = {
    "ru": call(
        "ru",
        [
            ("agent", 0.0, 3.0, "Здравствуйте, контакт-центр."),
            ("customer", 3.5, 6.0, "У меня не проходит оплата, это ужасно."),
            ("agent", 6.5, 9.0, "Сейчас проверю."),
            ("customer", 9.5, 12.0, "Спасибо, всё отлично, я доволен."),
        ],
        metrics=agent_metrics(longest_silence=12.5),
    ),
    "fa": call(
        "fa",
        [
            ("agent", 0.0, 3.0, "سلام، به مرکز تماس خوش آمدید."),
            ("customer", 3.5, 6.0, "کارت من کار نمی‌کند، خیلی بد است."),
            ("agent", 6.5, 9.0, "الان بررسی می‌کنم."),
            ("customer", 9.5, 12.0, "ممنون، عالی بود، راضی هستم."),
        ],
        metrics=agent_metrics(longest_silence=12.5),
    ),
}
RINGING = CallMetadata(ring_seconds=24.0)  # four rings of 6 s
EXPECTED = {
    "ru": {
        "short_silences": [
            "Измерено (самая долгая пауза): 12,5 с (предел: не больше 5); отрезок 40,0–52,5 с"
        ],
        "quick_answer": ["Ответ после 24 с звонка = 4,0 гудка по 6 с (предел: не больше 3)"],
        "mood": ["У меня не проходит оплата, это ужасно.", "Спасибо, всё отлично, я доволен."],
    },
    "fa": {
        "short_silences": [
            "اندازه‌گیری‌شده (طولانی‌ترین سکوت): ۱۲٫۵ ثانیه (حد: حداکثر ۵)؛ بازهٔ ۴۰٫۰ تا ۵۲٫۵ ثانیه"
        ],
        "quick_answer": ["پاسخ پس از ۲۴ ثانیه زنگ = ۴٫۰ زنگ، هر زنگ ۶ ثانیه (حد: حداکثر ۳)"],
        "mood": ["کارت من کار نمی‌کند، خیلی بد است.", "ممنون، عالی بود، راضی هستم."],
    },
}
NOTES = {
    "ru": ["тональность в начале: -1,00", "тональность в конце: +1,00"],
    "fa": ["احساس در آغاز: -۱٫۰۰", "احساس در پایان: +۱٫۰۰"],
}
ENGLISH = {
    "short_silences": ["Measured longest silence: 12.5 s (limit: at most 5); period 40.0-52.5 s"],
    "quick_answer": [
        "Answered after 24 s of ringing = 4.0 rings at 6 s per ring (limit: at most 3)"
    ],
}


def stored_evidence(seeded: Seeded, language: str) -> dict[str, CriterionVerdict]:
    return stored_verdicts(seeded, language, SCORECARD_YAML, CALLS[language], RINGING)


@pytest.mark.parametrize("language", ["ru", "fa"])
def test_a_reader_gets_stored_evidence_in_their_own_language(
    seeded_database: Seeded, language: str
) -> None:
    verdicts = stored_evidence(seeded_database, language)
    assert {c: v.outcome for c, v in verdicts.items()} == {
        "short_silences": "fail",
        "quick_answer": "fail",
        "mood": "pass",
    }
    with i18n.language(language):
        shown = {c: [evidence_text(e) for e in v.evidence] for c, v in verdicts.items()}
        notes = [evidence_note(e) for e in verdicts["mood"].evidence]
    assert shown == EXPECTED[language]
    assert notes == NOTES[language]
    # The English text is kept beside the message, for exports and English readers.
    english = {c: [e.text for e in verdicts[c].evidence] for c in ENGLISH}
    assert english == ENGLISH
    with i18n.language("en"):
        assert [evidence_text(e) for e in verdicts["short_silences"].evidence] == ENGLISH[
            "short_silences"
        ]


def test_evidence_stored_before_it_had_messages_shows_its_text(
    seeded_database: Seeded,
) -> None:
    stored_evidence(seeded_database, "ru")
    with session_scope(seeded_database.url) as session:
        for record in session.scalars(
            select(CriterionVerdictRecord).where(
                CriterionVerdictRecord.criterion == "short_silences"
            )
        ):
            record.evidence = [
                {k: v for k, v in e.items() if k != "message"} for e in record.evidence
            ]
    verdicts = read_verdicts(seeded_database, "ru", "evidenced")
    with i18n.language("ru"):
        assert [evidence_text(e) for e in verdicts["short_silences"].evidence] == ENGLISH[
            "short_silences"
        ]
