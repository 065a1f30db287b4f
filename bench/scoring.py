"""Evaluations per second on one core: five-minute calls scored on all four shipped scorecards.

    .venv/bin/python bench/scoring.py [--calls 60] [--seconds 10]

Builds distinct five-minute calls in English, Russian and Persian (about 100 utterances each,
with recognition-like noise so no two are alike), pins the process to one CPU core and scores
the calls round-robin for the given time. One evaluation is one scorecard applied to one call,
so a call scored on the four scorecards is four evaluations.

The baseline, measured in the same run on the same calls, is the least any fuzzy phrase scorer
must do: normalise the call's text and run one rapidfuzz partial_ratio of every phrase in every
shipped phrase list (of the call's language) over it. Both are timed in alternating slices and
reported by the wall clock and by the process's CPU time: on a busy machine the wall clock
shows what this process got, the CPU time what one core does. Printed: both rates, the
engine's time per call as a multiple of the baseline's, and the rates against the
200 evaluations/s target.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scorecards import CallMetadata, score_call, shipped_scorecards  # noqa: E402
from scorecards.loader import PHRASES_DIR, load_phrase_lists  # noqa: E402
from scorecards.normalize import normalize  # noqa: E402
from transcription.transcript import CallTranscript, Speaker, Utterance  # noqa: E402

TARGET_EVALUATIONS_PER_SECOND = 200.0
CALL_SECONDS = 300.0
SLICE_SECONDS = 0.5

LINES = {
    "en": {
        "open": [
            "thank you for calling harper valley bank my name is anna how can i help you today",
            "please note this call may be recorded for quality and training purposes",
        ],
        "agent": [
            "sure let me look into that for you",
            "can you confirm your date of birth please",
            "thank you one moment please while i pull up your account",
            "i can see the charge from the fifth of march",
            "i understand how frustrating that must be",
            "alright i have updated the address on file",
            "your new card will arrive within five business days",
            "is that the card ending in four two one seven",
            "let me check with the system it will just take a second",
            "okay i see what happened there",
        ],
        "customer": [
            "hi i have a problem with my debit card",
            "it was declined at the grocery store yesterday",
            "yes it is march third nineteen eighty two",
            "okay that sounds good",
            "i also wanted to ask about the monthly fee",
            "no i did not make that purchase",
            "right",
            "how long will that take",
            "can you send me the statement by email",
        ],
        "close": [
            "is there anything else i can help you with today",
            "thank you for calling have a great day",
        ],
    },
    "ru": {
        "open": [
            "здравствуйте банк восток меня зовут алена чем могу помочь",
            "предупреждаю разговор записывается для контроля качества",
        ],
        "agent": [
            "назовите пожалуйста вашу дату рождения и кодовое слово",
            "одну минуту сейчас посмотрю",
            "понимаю вас сейчас разберемся",
            "вижу операцию от пятого марта",
            "я оформила заявку на перевыпуск карты",
            "новая карта будет готова через пять рабочих дней",
            "уточните пожалуйста последние четыре цифры карты",
            "хорошо записала",
        ],
        "customer": [
            "у меня карта не работает второй день",
            "пятнадцатое мая восемьдесят седьмого года",
            "да все верно",
            "а сколько это займет времени",
            "я эту покупку не совершал",
            "понятно спасибо",
            "а комиссия будет",
        ],
        "close": ["могу ли я еще чем-то помочь", "спасибо за звонок всего доброго"],
    },
    "fa": {
        "open": [
            "سلام وقتتون بخیر بانک ملت آنا هستم بفرمایید",
            "این تماس برای کنترل کیفیت ضبط می‌شود",
        ],
        "agent": [
            "لطفاً کد ملی و تاریخ تولدتون رو بفرمایید",
            "یک لحظه گوشی خدمتتون بررسی می‌کنم",
            "متأسفم درکتون می‌کنم",
            "تراکنش پنجم اسفند رو می‌بینم",
            "درخواستتون ثبت شد",
            "کارت جدید تا پنج روز کاری ارسال میشه",
            "چهار رقم آخر کارتتون رو بگید",
            "باشه یادداشت کردم",
        ],
        "customer": [
            "سلام کارتم کار نمی‌کنه",
            "دو بار پول از حسابم کسر شده",
            "بله درسته",
            "چقدر طول می‌کشه",
            "من این خرید رو انجام ندادم",
            "باشه ممنون",
            "کارمزد داره",
        ],
        "close": ["امر دیگه‌ای هست در خدمتتون باشم", "ممنون از تماستون روز خوبی داشته باشید"],
    },
}


def _noisy(text: str, rng: random.Random) -> str:
    """Recognition-like noise: now and then a letter dropped or doubled."""
    words = []
    for word in text.split():
        if len(word) > 3 and rng.random() < 0.1:
            position = rng.randrange(1, len(word) - 1)
            word = word[:position] + word[position + 1 :] if rng.random() < 0.5 else word + word[-1]
        words.append(word)
    return " ".join(words)


def five_minute_call(language: str, rng: random.Random) -> CallTranscript:
    lines = LINES[language]
    said: list[tuple[Speaker, str]] = [("agent", text) for text in lines["open"]]
    while len(said) < 96:
        speaker: Speaker = "customer" if len(said) % 2 == 0 else "agent"
        said.append((speaker, rng.choice(lines[speaker])))
    said += [("agent", text) for text in lines["close"]]
    step = CALL_SECONDS / len(said)
    utterances = tuple(
        Utterance(speaker, i * step, i * step + step * 0.85, _noisy(text, rng))
        for i, (speaker, text) in enumerate(said)
    )
    return CallTranscript(language, 0.98, CALL_SECONDS, "stereo", utterances)


def baseline_scan(phrases: dict[str, list[str]]) -> Callable[[CallTranscript], int]:
    """Normalise the call and run every phrase of its language over it once."""

    def scan(transcript: CallTranscript) -> int:
        text = " ".join(normalize(u.text) for u in transcript.utterances)
        return sum(
            1 for phrase in phrases[transcript.language] if fuzz.partial_ratio(phrase, text) >= 85
        )

    return scan


def interleaved_rates(
    works: list[Callable[[CallTranscript], object]], calls: list[CallTranscript], seconds: float
) -> list[tuple[float, float]]:
    """Calls per second of each work, by the wall clock and by this process's CPU time, timed
    in alternating short slices over the same calls, so that load from other processes on the
    machine falls on all of them alike (the CPU-time rate is what one idle core would do)."""
    for work in works:
        for transcript in calls[:3]:
            work(transcript)
    done = [0] * len(works)
    wall = [0.0] * len(works)
    cpu = [0.0] * len(works)
    while min(wall) < seconds:
        for position, work in enumerate(works):
            started, started_cpu = time.perf_counter(), time.process_time()
            while time.perf_counter() - started < SLICE_SECONDS:
                work(calls[done[position] % len(calls)])
                done[position] += 1
            wall[position] += time.perf_counter() - started
            cpu[position] += time.process_time() - started_cpu
    return [(n / w, n / c) for n, w, c in zip(done, wall, cpu, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=60, help="distinct calls (split by language)")
    parser.add_argument("--seconds", type=float, default=10.0, help="timing per measurement")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rng = random.Random(20261123)
    calls = [five_minute_call(("en", "ru", "fa")[i % 3], rng) for i in range(args.calls)]
    scorecards = shipped_scorecards()
    metadata = CallMetadata(ring_seconds=7.0)
    phrases: dict[str, list[str]] = {"en": [], "ru": [], "fa": []}
    for by_language in load_phrase_lists(PHRASES_DIR).values():
        for language, texts in by_language.items():
            phrases[language] += [normalize(t.rstrip("*")) for t in texts]

    (engine_wall, engine_cpu), (baseline_wall, baseline_cpu) = interleaved_rates(
        [lambda t: score_call(t, metadata, scorecards), baseline_scan(phrases)],
        calls,
        args.seconds,
    )

    per_call = len(scorecards)
    utterances = sum(len(c.utterances) for c in calls) / len(calls)
    print(
        f"{args.calls} five-minute calls (en/ru/fa, {utterances:.0f} utterances each), "
        f"{per_call} scorecards = {per_call} evaluations per call, one core"
    )
    print(f"{'':10} {'calls/s':>9} {'evals/s':>9} {'calls/s':>9} {'evals/s':>9}")
    print(f"{'':10} {'(wall clock)':>19} {'(CPU time)':>19}")
    for name, wall_rate, cpu_rate in (
        ("engine", engine_wall, engine_cpu),
        ("baseline", baseline_wall, baseline_cpu),
    ):
        print(
            f"{name:10} {wall_rate:9.1f} {wall_rate * per_call:9.1f} "
            f"{cpu_rate:9.1f} {cpu_rate * per_call:9.1f}"
        )
    print("baseline: one rapidfuzz partial_ratio of every shipped phrase over the normalised call")
    print(f"engine time per call / baseline time per call (CPU): {baseline_cpu / engine_cpu:.2f}")
    for label, rate in (("wall clock", engine_wall), ("CPU time", engine_cpu)):
        ratio = rate * per_call / TARGET_EVALUATIONS_PER_SECOND
        print(f"evaluations/s / target {TARGET_EVALUATIONS_PER_SECOND:.0f} ({label}): {ratio:.2f}")


if __name__ == "__main__":
    main()
