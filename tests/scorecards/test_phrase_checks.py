"""phrase_present and phrase_absent: fuzzy, multilingual, restricted to a speaker and a window."""

from __future__ import annotations

from scorecards.results import CriterionVerdict
from tests.scorecards.calls import call
from tests.scorecards.cards import verdict


def present(phrases: dict[str, list[str]], **params: object) -> dict[str, object]:
    return {"type": "phrase_present", "params": {"phrases": phrases, **params}}


def absent(phrases: dict[str, list[str]], **params: object) -> dict[str, object]:
    return {"type": "phrase_absent", "params": {"phrases": phrases, **params}}


def only_evidence(result: CriterionVerdict) -> tuple[int | None, str | None, str | None]:
    (evidence,) = result.evidence
    return evidence.utterance_index, evidence.speaker, evidence.phrase


BANK_CALL = call(
    "en",
    [
        ("customer", 0.0, 1.0, "hello?"),
        ("agent", 1.2, 4.8, "thank you for calling harper valley bank this is Anne"),
        ("customer", 5.0, 9.0, "hi i wanted to ask about my statement"),
        ("agent", 9.5, 12.0, "sure one moment"),
    ],
)


def test_a_reworded_phrase_still_matches_and_points_at_the_utterance() -> None:
    result = verdict(present({"en": ["thanks for calling Harper Valley"]}), BANK_CALL)

    assert result.outcome == "pass"
    (evidence,) = result.evidence
    assert (evidence.utterance_index, evidence.speaker) == (1, "agent")
    assert (evidence.start, evidence.end) == (1.2, 4.8)
    assert evidence.text == "thank you for calling harper valley bank this is Anne"
    assert evidence.phrase == "thanks for calling Harper Valley"
    assert evidence.similarity is not None and 85.0 <= evidence.similarity < 100.0


def test_a_stricter_threshold_rejects_the_reworded_phrase() -> None:
    result = verdict(present({"en": ["thanks for calling Harper Valley"]}, threshold=98), BANK_CALL)
    assert result.outcome == "fail"
    assert result.evidence == ()
    assert str(result.explanation).startswith("Not found")


def test_short_phrases_match_whole_words_only() -> None:
    # "hi" is inside "this" and "hello" inside nothing else: only the customer's "hi" counts.
    result = verdict(present({"en": ["hi"]}), BANK_CALL, speaker="any")
    assert only_evidence(result) == (2, "customer", "hi")
    assert verdict(present({"en": ["ann"]}), BANK_CALL).outcome == "fail"


def test_a_phrase_said_by_the_other_speaker_does_not_count() -> None:
    assert verdict(present({"en": ["my statement"]}), BANK_CALL, speaker="agent").outcome == "fail"
    found = verdict(present({"en": ["my statement"]}), BANK_CALL, speaker="customer")
    assert only_evidence(found) == (2, "customer", "my statement")


def test_on_a_mono_recording_anyone_may_have_said_it() -> None:
    mono = call(
        "en", [(u.speaker, u.start, u.end, u.text) for u in BANK_CALL.utterances], layout="mono"
    )
    result = verdict(present({"en": ["my statement"]}), mono, speaker="agent")
    assert result.outcome == "pass"
    assert "mono recording" in str(result.explanation)


LONG_CALL = call(
    "en",
    [
        ("agent", 0.5, 3.0, "good morning"),
        ("agent", 25.0, 28.0, "my name is Carla"),
        ("customer", 30.0, 60.0, "so the thing is my card was declined"),
        ("agent", 61.0, 200.0, "let me check that for you"),
        ("agent", 230.0, 236.0, "have a nice day"),
    ],
    duration=240.0,
)


def test_a_window_at_the_start_ignores_what_comes_later() -> None:
    window = {"first": 20}
    assert verdict(present({"en": ["good morning"]}, window=window), LONG_CALL).outcome == "pass"
    late = verdict(present({"en": ["my name is"]}, window=window), LONG_CALL)
    assert late.outcome == "fail"
    assert "in the first 20 s" in str(late.explanation)
    assert (
        verdict(present({"en": ["my name is"]}, window={"first": 30}), LONG_CALL).outcome == "pass"
    )


def test_a_window_at_the_end_ignores_what_came_before() -> None:
    window = {"last": 60}
    assert only_evidence(
        verdict(present({"en": ["have a nice day"]}, window=window), LONG_CALL)
    ) == (
        4,
        "agent",
        "have a nice day",
    )
    assert verdict(present({"en": ["good morning"]}, window=window), LONG_CALL).outcome == "fail"
    # An utterance that runs into the window counts.
    assert verdict(present({"en": ["let me check"]}, window=window), LONG_CALL).outcome == "pass"


def test_phrase_absent_passes_without_evidence_and_fails_with_every_place() -> None:
    transcript = call(
        "en",
        [
            ("agent", 0.0, 2.0, "how may i help"),
            ("customer", 2.5, 5.0, "it's not working"),
            ("agent", 5.5, 8.0, "calm down sir"),
            ("agent", 9.0, 12.0, "i said calm down, like i said before"),
        ],
    )
    clean = verdict(absent({"en": ["stupid"]}), transcript)
    assert (clean.outcome, clean.evidence) == ("pass", ())

    harsh = verdict(absent({"en": ["calm down", "like i said"]}), transcript)
    assert harsh.outcome == "fail"
    assert [e.utterance_index for e in harsh.evidence] == [2, 3]
    assert "'calm down'" in str(harsh.explanation) and "'like i said'" in str(harsh.explanation)


def test_russian_phrases_match_with_or_without_yo_and_in_any_case() -> None:
    transcript = call(
        "ru",
        [
            ("agent", 0.0, 2.0, "ЗДРАВСТВУЙТЕ, Алёна слушает"),
            ("agent", 3.0, 5.0, "Могу ли я еще чем-то помочь?"),
            ("customer", 6.0, 8.0, "Вы там все идиоты что ли"),
        ],
    )
    assert only_evidence(verdict(present({"ru": ["здравствуйте"]}), transcript))[0] == 0
    assert (
        only_evidence(verdict(present({"ru": ["могу ли я ещё чем-то помочь"]}), transcript))[0] == 1
    )
    # A trailing * matches any ending: "идиот*" finds "идиоты".
    rude = verdict(absent({"ru": ["идиот*"]}), transcript, speaker="customer")
    assert rude.outcome == "fail"
    assert rude.evidence[0].utterance_index == 2


def test_persian_phrases_match_arabic_letters_zwnj_and_persian_digits() -> None:
    transcript = call(
        "fa",
        [
            ("agent", 0.0, 3.0, "سلام وقتتون بخير، بفرماييد"),  # Arabic yeh
            ("customer", 3.5, 7.0, "مي‌خواستم موجودي کارتم رو بدونم"),  # ZWNJ, Arabic yeh
            ("agent", 7.5, 11.0, "لطفاً ۴ رقم آخر کارتتون رو بگید"),  # Persian digit, tanwin
            ("agent", 11.5, 14.0, "ممنون، يک لحظه"),
            ("agent", 14.5, 18.0, "لطفا كد ملي تون رو بفرماييد"),  # Arabic kaf and yeh
        ],
    )
    assert only_evidence(verdict(present({"fa": ["وقتتون بخیر"]}), transcript))[0] == 0
    said = verdict(present({"fa": ["میخواستم موجودی"]}), transcript, speaker="customer")
    assert only_evidence(said)[0] == 1
    spaced = verdict(present({"fa": ["می خواستم"]}), transcript, speaker="customer")
    assert only_evidence(spaced)[0] == 1
    assert spaced.evidence[0].similarity == 100.0
    assert only_evidence(verdict(present({"fa": ["4 رقم آخر"]}), transcript))[0] == 2
    assert only_evidence(verdict(present({"fa": ["لطفا"]}), transcript))[0] == 2
    assert only_evidence(verdict(present({"fa": ["کد ملی"]}), transcript)) == (4, "agent", "کد ملی")


def test_the_call_language_picks_the_phrase_list() -> None:
    phrases = {"en": ["thank you"], "ru": ["спасибо"], "fa": ["ممنون"]}
    russian = call("ru", [("agent", 0.0, 1.0, "спасибо"), ("agent", 1.0, 2.0, "thank you")])
    assert only_evidence(verdict(present(phrases), russian)) == (0, "agent", "спасибо")
    # A language without its own list is searched with all of them.
    german = call("de", [("agent", 0.0, 1.0, "danke, thank you")])
    assert verdict(present(phrases), german).outcome == "pass"


def test_shipped_phrase_lists_are_found_by_name() -> None:
    transcript = call("ru", [("agent", 0.0, 3.0, "Добрый день, меня зовут Ольга")])
    result = verdict({"type": "phrase_present", "params": {"lists": ["greeting"]}}, transcript)
    assert only_evidence(result) == (0, "agent", "добрый день")


def test_a_fuzzy_phrase_must_begin_a_word() -> None:
    transcript = call(
        "en",
        [
            ("agent", 0.0, 3.0, "I'm very sympathetic, your card is unblocked now"),
            ("customer", 3.5, 5.0, "спасибочки"),
        ],
    )
    assert verdict(absent({"en": ["pathetic"]}), transcript).outcome == "pass"
    assert verdict(present({"en": ["blocked"]}), transcript).outcome == "fail"
    # An ending may differ: a longer word that begins with the phrase still says it.
    assert verdict(present({"ru": ["спасибо"]}), transcript, speaker="customer").outcome == "pass"
    russian = call("ru", [("agent", 0.0, 3.0, "Не беспокойтесь, всё сделаем")])
    assert verdict(absent({"ru": ["успокойтесь"]}), russian).outcome == "pass"
