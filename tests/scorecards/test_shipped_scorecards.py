"""The four shipped scorecards on whole calls in English, Russian and Persian.

Each call is what a recogniser hands over: misheard words, colloquial forms, Persian written
with Arabic letters and zero-width non-joiners, Russian with and without ё.
"""

from __future__ import annotations

import pytest

from scorecards import CallMetadata, Evaluation, score_call, shipped_scorecards
from scorecards.loader import PHRASES_DIR, load_phrase_lists
from scorecards.normalize import normalize
from tests.scorecards.calls import Line, agent_metrics, call
from transcription.transcript import CallTranscript

SCRIPT = [
    "greeting",
    "agent_introduction",
    "offer_help",
    "recording_disclosure",
    "identity_verification",
    "verification_before_account_details",
    "anything_else",
    "closing",
]
POLITENESS = [
    "courtesy_words",
    "no_rude_language",
    "empathy",
    "no_interruptions",
    "calm_tone",
    "no_long_silence",
]
RESOLUTION = [
    "issue_resolved",
    "customer_confirmation",
    "no_unnecessary_transfer",
    "next_steps_explained",
]
COMPLIANCE = ["answered_within_three_rings", "no_sensitive_data_readback"]

GOOD_CALLS: dict[str, CallTranscript] = {
    "en": call(
        "en",
        [
            (
                "agent",
                0.4,
                5.1,
                "Thanks for calling Harbor Valley bank, my name is Dana, how can I help you today?",
            ),
            (
                "agent",
                5.4,
                9.8,
                "Just so you know this call may be recorded for quality and training purposes.",
            ),
            (
                "customer",
                10.5,
                16.0,
                "hi yeah my card got declined twice at the store and i'm really frustrated",
            ),
            (
                "agent",
                16.4,
                20.2,
                "Oh I'm so sorry to hear that, I understand how frustrating that is.",
            ),
            ("agent", 21.0, 25.5, "Before we go on, can you confirm your date of birth please?"),
            ("customer", 26.0, 29.0, "sure it's march third nineteen eighty two"),
            (
                "agent",
                40.0,
                47.5,
                "Thank you. Your balance is two hundred and ten dollars and the card is on hold.",
            ),
            ("customer", 48.0, 50.0, "oh okay"),
            ("agent", 95.0, 101.0, "Alright, I've unblocked it, so it should be working now."),
            ("customer", 101.5, 104.0, "that's great thank you so much"),
            ("agent", 150.0, 153.5, "Is there any thing else I can help you with?"),
            ("customer", 154.0, 156.0, "no that's all"),
            ("agent", 156.5, 160.0, "Thank you for colling, have a great day."),
        ],
        metrics=agent_metrics(),
    ),
    "ru": call(
        "ru",
        [
            ("agent", 0.3, 4.8, "Здрасьте, банк «Восток», меня зовут Алёна, слушаю вас."),
            ("agent", 5.0, 9.0, "Предупреждаю, разговор записывается для контроля качества."),
            (
                "customer",
                9.5,
                15.5,
                "Да, здрасте. У меня карта не работает, второй день не могу расплатиться.",
            ),
            ("agent", 16.0, 20.0, "Понимаю вас, неприятно. Сейчас разберёмся."),
            ("agent", 21.0, 26.0, "Назовите, пожалуйста, вашу дату рождения и кодовое слово."),
            ("customer", 27.0, 31.0, "Пятнадцатое мая восемьдесят седьмого, кодовое слово Мурзик."),
            (
                "agent",
                40.0,
                48.0,
                "Спасибо. Баланс на счёте сорок две тысячи. Карту я разблокировала, всё готово.",
            ),
            ("customer", 95.0, 98.0, "Отлично, спасибо большое!"),
            ("agent", 150.0, 153.0, "Могу ли я ещё чем-то помочь?"),
            ("customer", 154.0, 156.0, "Нет, это всё, спасибо."),
            ("agent", 156.5, 160.0, "Спасибо за звонок, всего доброго!"),
        ],
        metrics=agent_metrics(),
    ),
    "fa": call(
        "fa",
        [
            ("agent", 0.3, 5.0, "سلام وقتتون بخير، بانک ملت، آنا هستم، بفرماييد"),
            ("agent", 5.2, 9.0, "این تماس برای کنترل کيفيت ضبط می‌شود"),
            ("customer", 9.5, 16.0, "سلام، کارتم کار نمی‌کنه، دو بار پول کسر شده"),
            ("agent", 16.5, 21.0, "متأسفم، درکتون می‌کنم، الان بررسی می‌کنم"),
            ("agent", 22.0, 27.0, "لطفاً کد ملی و تاریخ تولدتون رو بفرمایید"),
            ("customer", 28.0, 32.0, "بله، تاریخ تولدم ۱۳۶۵ هست"),
            ("agent", 40.0, 47.0, "ممنون. موجودی حسابتون ۲۵۰ هزار تومنه. کارتتون فعال شد"),
            ("customer", 95.0, 98.0, "عالیه، دستتون درد نکنه"),
            ("agent", 150.0, 154.0, "امر دیگه‌ای هست در خدمتتون باشم؟"),
            ("customer", 154.5, 156.0, "نه، ممنون"),
            ("agent", 156.5, 160.0, "ممنون از تماستون، روز خوبی داشته باشید، خدانگهدار"),
        ],
        metrics=agent_metrics(),
    ),
}
ANSWERED_QUICKLY = CallMetadata(ring_seconds=9.0)


def _evaluations(
    transcript: CallTranscript, metadata: CallMetadata | None = None
) -> dict[str, Evaluation]:
    return {e.scorecard: e for e in score_call(transcript, metadata, shipped_scorecards())}


def test_shipped_scorecards_have_the_criteria_the_platform_relies_on() -> None:
    criteria = {s.id: [c.id for c in s.criteria()] for s in shipped_scorecards()}
    assert criteria == {
        "script": SCRIPT,
        "politeness": POLITENESS,
        "resolution": RESOLUTION,
        "compliance": COMPLIANCE,
    }
    critical = {c.id for s in shipped_scorecards() for c in s.criteria() if c.definition.critical}
    assert {"no_rude_language", "no_sensitive_data_readback"} <= critical


@pytest.mark.parametrize("language", ["en", "ru", "fa"])
def test_a_good_call_passes_every_shipped_scorecard(language: str) -> None:
    evaluations = _evaluations(GOOD_CALLS[language], ANSWERED_QUICKLY)

    outcomes = {
        scorecard: {v.criterion: v.outcome for v in e.verdicts}
        for scorecard, e in evaluations.items()
    }
    assert outcomes == {
        "script": dict.fromkeys(SCRIPT, "pass"),
        "politeness": dict.fromkeys(POLITENESS, "pass"),
        "resolution": {
            "issue_resolved": "pass",
            "customer_confirmation": "pass",
            "no_unnecessary_transfer": "pass",
            "next_steps_explained": "na",
        },
        "compliance": dict.fromkeys(COMPLIANCE, "pass"),
    }
    assert all(
        e.passed and e.score == 100.0 and not e.critical_failed for e in evaluations.values()
    )


@pytest.mark.parametrize("language", ["en", "ru", "fa"])
def test_every_pass_or_fail_on_a_phrase_carries_its_evidence(language: str) -> None:
    transcript = GOOD_CALLS[language]
    for evaluation in _evaluations(transcript, ANSWERED_QUICKLY).values():
        for verdict in evaluation.verdicts:
            for evidence in verdict.evidence:
                if evidence.utterance_index is None:
                    continue
                utterance = transcript.utterances[evidence.utterance_index]
                assert evidence.speaker == utterance.speaker
                assert evidence.start == utterance.start
                assert evidence.text.startswith(utterance.text.strip())


def test_coaching_tips_come_in_the_language_of_the_call() -> None:
    tips = {
        language: _evaluations(GOOD_CALLS[language])["script"].verdict("greeting").coaching_tip
        for language in ("en", "ru", "fa")
    }
    assert "greeting" in tips["en"]
    assert "приветстви" in tips["ru"]
    assert "سلام" in tips["fa"]


RUDE_REMARKS = {
    "en": "Look, that's not my problem, figure it out yourself.",
    "ru": "Вы что, глухой? Сколько можно повторять одно и то же!",
    "fa": "به من چه، مشکل خودتونه، حاليت نيست؟",
}


@pytest.mark.parametrize("language", ["en", "ru", "fa"])
def test_a_rude_remark_fails_politeness_whatever_the_percentage(language: str) -> None:
    good = GOOD_CALLS[language]
    rude_at = 60.0
    rude = call(
        language,
        [(u.speaker, u.start, u.end, u.text) for u in good.utterances]
        + [("agent", rude_at, rude_at + 4.0, RUDE_REMARKS[language])],
        metrics=good.metrics,
    )
    politeness = _evaluations(rude)["politeness"]
    verdict = politeness.verdict("no_rude_language")

    assert verdict.outcome == "fail" and verdict.critical
    assert politeness.critical_failed and not politeness.passed
    assert politeness.score >= 50.0  # the other criteria still pass
    assert [e.start for e in verdict.evidence] == [rude_at] * len(verdict.evidence)
    # Phrase-list places name the phrase; the learned model's give their score.
    assert all(e.speaker == "agent" and (e.phrase or e.score) for e in verdict.evidence)
    assert any(e.phrase for e in verdict.evidence)


def test_a_rude_customer_does_not_fail_the_agent() -> None:
    good = GOOD_CALLS["ru"]
    transcript = call(
        "ru",
        [(u.speaker, u.start, u.end, u.text) for u in good.utterances]
        + [("customer", 60.0, 63.0, "Да вы там все идиоты, блин!")],
        metrics=good.metrics,
    )
    assert _evaluations(transcript)["politeness"].verdict("no_rude_language").outcome == "pass"


TRANSFERRED: dict[str, list[Line]] = {
    "en": [
        ("agent", 0.5, 4.0, "Good morning, you're speaking with Sam, how may I help you?"),
        ("customer", 5.0, 10.0, "my mortgage payment was charged twice this month"),
        (
            "agent",
            11.0,
            15.0,
            "I apologize for the inconvenience, let me transfer you to our mortgage team.",
        ),
        ("agent", 16.0, 21.0, "You'll receive a reference number by text within 24 hours."),
        ("customer", 22.0, 23.0, "fine"),
    ],
    "ru": [
        ("agent", 0.5, 4.0, "Добрый день, оператор Игорь, чем могу помочь?"),
        ("customer", 5.0, 10.0, "С карты дважды списали деньги за одну покупку."),
        ("agent", 11.0, 15.0, "Приношу извинения. Сейчас переведу вас в другой отдел."),
        ("agent", 16.0, 21.0, "Номер заявки придёт вам в СМС в течение суток."),
        ("customer", 22.0, 23.0, "Ну ладно."),
    ],
    "fa": [
        ("agent", 0.5, 4.0, "سلام روز بخير، سارا هستم، در خدمتم"),
        ("customer", 5.0, 10.0, "دو بار از حسابم پول کسر شده"),
        ("agent", 11.0, 15.0, "عذر میخوام، الان شما رو به واحد مربوطه وصل می‌کنم"),
        ("agent", 16.0, 21.0, "کد پیگیری براتون پیامک میشه"),
        ("customer", 22.0, 23.0, "باشه"),
    ],
}


@pytest.mark.parametrize("language", ["en", "ru", "fa"])
def test_a_transferred_call_is_not_resolved_and_next_steps_then_apply(language: str) -> None:
    resolution = _evaluations(call(language, TRANSFERRED[language]))["resolution"]

    assert resolution.verdict("issue_resolved").outcome == "fail"
    assert resolution.verdict("no_unnecessary_transfer").outcome == "fail"
    transfer_evidence = resolution.verdict("no_unnecessary_transfer").evidence
    assert [e.utterance_index for e in transfer_evidence] == [2]
    next_steps = resolution.verdict("next_steps_explained")
    assert next_steps.outcome == "pass"
    assert next_steps.evidence[0].utterance_index == 3


POLITE_LISTS = [
    "greeting",
    "agent_introduction",
    "offer_help",
    "recording_disclosure",
    "identity_verification",
    "account_details",
    "courtesy",
    "empathy",
    "resolution_statement",
    "next_steps",
    "anything_else",
    "closing",
]


@pytest.mark.parametrize("language", ["en", "ru", "fa"])
def test_everything_a_polite_agent_is_expected_to_say_passes_politeness(language: str) -> None:
    lists = load_phrase_lists(PHRASES_DIR)
    lines: list[Line] = [
        ("agent", 5.0 * i, 5.0 * i + 4.0, phrase.rstrip("*"))
        for i, phrase in enumerate(
            p for name in POLITE_LISTS for p in lists[name].get(language, [])
        )
    ]
    politeness = _evaluations(call(language, lines, metrics=agent_metrics()))["politeness"]
    for criterion in ("no_rude_language", "calm_tone"):
        verdict = politeness.verdict(criterion)
        assert verdict.outcome == "pass", [e.text for e in verdict.evidence]


@pytest.mark.parametrize(
    "transcript",
    [*GOOD_CALLS.values(), *(call(lang, lines) for lang, lines in TRANSFERRED.items())],
    ids=[
        *(f"good-{lang}" for lang in GOOD_CALLS),
        *(f"transferred-{lang}" for lang in TRANSFERRED),
    ],
)
def test_a_verdict_without_evidence_is_always_a_not_found(transcript: CallTranscript) -> None:
    for evaluation in _evaluations(transcript, ANSWERED_QUICKLY).values():
        for verdict in evaluation.verdicts:
            if verdict.outcome != "na" and not verdict.evidence:
                assert "not found" in str(verdict.explanation).lower(), verdict


def test_every_shipped_phrase_list_speaks_all_three_languages_without_repeats() -> None:
    for name, by_language in load_phrase_lists(PHRASES_DIR).items():
        assert set(by_language) == {"en", "ru", "fa"}, name
        for language, phrases in by_language.items():
            normalised = [normalize(p.rstrip("*")) for p in phrases]
            assert all(normalised), (name, language)
            repeated = {p for p in normalised if normalised.count(p) > 1}
            assert not repeated, (name, language, repeated)


@pytest.mark.parametrize(
    ("language", "criterion", "misheard"),
    [
        ("en", "anything_else", "is they're anything else i can help you with"),
        ("en", "closing", "thank you for colling and have a grate day"),
        ("ru", "anything_else", "могу ли я еще чем то помочь"),
        ("ru", "closing", "спасиба за звонок всего доброво"),
        ("fa", "anything_else", "امر ديگه اي هست در خدمتتون باشم"),
        ("fa", "closing", "روز خوبي داشته باشين خداحافظ"),
    ],
)
def test_closing_phrases_survive_recognition_errors(
    language: str, criterion: str, misheard: str
) -> None:
    transcript = call(
        language,
        [("customer", 0.0, 50.0, "..."), ("agent", 100.0, 104.0, misheard)],
    )
    verdict = _evaluations(transcript)["script"].verdict(criterion)
    assert verdict.outcome == "pass", verdict.explanation
    assert verdict.evidence[0].utterance_index == 1
