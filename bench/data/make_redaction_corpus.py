"""Writes redaction_corpus.tsv: labelled lines in en/ru/fa for bench/redaction.py.

Each line: language, label, the span that must be masked (sensitive labels) or must stay as it
is (label `ordinary`), and the sentence. Numbers are generated (seeded, so the file is stable)
with valid check digits where real ones have them; sentences are written per language the way
agents and customers say them, including ASR-style noise. Run:
    PYTHONPATH=. .venv/bin/python bench/data/make_redaction_corpus.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from scorecards.validators import inn, iran_national_code, luhn_valid, snils

OUT = Path(__file__).with_name("redaction_corpus.tsv")
WORDS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "ru": ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"],
    "fa": ["صفر", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه"],
}
FIRST, LAST = ("maria", "john", "li"), ("lopez", "smith", "wong")
FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
rng = random.Random(8)


def digits(n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def with_check(n: int, valid) -> str:  # type: ignore[no-untyped-def]
    while True:
        candidate = digits(n)
        if valid(candidate):
            return candidate


def card() -> str:
    body = rng.choice("4455") + digits(14)
    return next(body + str(c) for c in range(10) if luhn_valid(body + str(c)))


def grouped(number: str, sep: str, size: int = 4) -> str:
    return sep.join(number[i : i + size] for i in range(0, len(number), size))


def spoken(number: str, language: str) -> str:
    return " ".join(WORDS[language][int(d)] for d in number)


def card_forms(language: str) -> list[str]:
    c = card()
    asr = ",".join([c[:1], c[1:4], c[4:7], c[7:10], c[10:13], c[13:]])
    noisy = c[:4] + rng.choice("ilo") + c[4:]
    forms = [grouped(c, " "), grouped(c, "-"), grouped(c, "."), grouped(c, "/"),
             grouped(c, "  "), c, asr, noisy, spoken(c, language),
             grouped(c[:8], " ") + " " + spoken(c[8:], language)]  # fmt: skip
    if language == "fa":
        forms += [grouped(c, " ").translate(FA_DIGITS), c.translate(FA_DIGITS)]
    return forms


SENSITIVE = {
    "en": [
        ("CARD", "my card number is {}", card_forms),
        ("CARD", "the long number on the card is {} thanks", card_forms),
        (
            "PHONE",
            "you can call me back on {}",
            lambda _: [
                f"+1 {digits(1)}{rng.randint(10, 99)} 555 {rng.randint(1000, 9999)}".replace(
                    "+1 1", "+1 2"
                ),
                f"(212) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
                f"+44 20 7946 {rng.randint(1000, 9999)}",
                f"07700 900{rng.randint(100, 999)}",
                f"212 {rng.randint(200, 999)} {rng.randint(1000, 9999)}",
                spoken(f"212{rng.randint(200, 999)}{rng.randint(1000, 9999)}", "en"),
            ],
        ),
        (
            "EMAIL",
            "my email is {}",
            lambda _: [
                f"{rng.choice(FIRST)}.{rng.choice(LAST)}@example.com",
                f"{rng.choice(FIRST)} dot {rng.choice(LAST)} at example dot com",
                f"{rng.choice(['anna', 'bob'])}{rng.randint(1, 99)} at gmail dot com",
            ],
        ),
        (
            "SSN",
            "my social security number is {}",
            lambda _: [f"{rng.randint(100, 899)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}"],
        ),
        (
            "ACCOUNT",
            "the account number is {}",
            lambda _: [grouped(digits(12), " "), digits(14), grouped(digits(20), " ")],
        ),
    ],
    "ru": [
        ("CARD", "номер моей карты {}", card_forms),
        ("CARD", "продиктуйте, пожалуйста: {} верно", card_forms),
        (
            "PHONE",
            "мой телефон {}",
            lambda _: [
                f"+7 916 {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
                f"8 (916) {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                f"8 916 {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
                spoken(f"8916{rng.randint(1000000, 9999999)}", "ru"),
            ],
        ),
        (
            "EMAIL",
            "почта {}",
            lambda _: [
                f"ivan.petrov{rng.randint(1, 99)}@yandex.ru",
                "анна точка смирнова собака яндекс точка ру",
            ],
        ),
        (
            "PASSPORT",
            "паспорт серия и номер {}",
            lambda _: [
                f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(100000, 999999)}",
                f"{rng.randint(1000, 9999)} {rng.randint(100000, 999999)}",
            ],
        ),
        (
            "SNILS",
            "СНИЛС {}",
            lambda _: [(lambda s: f"{s[:3]}-{s[3:6]}-{s[6:9]} {s[9:]}")(with_check(11, snils))],
        ),
        ("INN", "ИНН {}", lambda _: [with_check(12, inn), with_check(10, inn)]),
        (
            "ACCOUNT",
            "расчётный счёт {}",
            lambda _: ["40817810" + digits(12), grouped("40817810" + digits(12), " ", 5)],
        ),
    ],
    "fa": [
        ("CARD", "شماره کارت من {} هست", card_forms),
        ("CARD", "لطفا شماره کارت رو بخونید {} ممنون", card_forms),
        (
            "PHONE",
            "شماره تماس من {} است",
            lambda _: [
                f"0912{rng.randint(1000000, 9999999)}".translate(FA_DIGITS),
                f"0912 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                f"+98 912 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                f"021 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
                spoken(f"0912{rng.randint(1000000, 9999999)}", "fa"),
            ],
        ),
        ("EMAIL", "ایمیل من {} است", lambda _: [f"ali.rezaei{rng.randint(1, 99)}@gmail.com"]),
        (
            "NATIONAL_ID",
            "کد ملی من {} است",
            lambda _: [
                with_check(10, iran_national_code),
                with_check(10, iran_national_code).translate(FA_DIGITS),
                grouped(with_check(10, iran_national_code), "-", 3),
                spoken(with_check(10, iran_national_code), "fa"),
            ],
        ),
        (
            "IBAN",
            "شماره شبا {} است",
            lambda _: [
                "IR" + digits(24),
                grouped("IR" + digits(24), " "),
                ("IR" + digits(24)).translate(FA_DIGITS),
            ],
        ),
    ],
}

ORDINARY = {
    "en": [
        "the total is {n} dollars",
        "your order {n} has shipped",
        "it was {n} minutes on hold",
        "we close at {t} tonight",
        "the transfer went through on {d}",
        "that was back in {y}",
        "you have {n} points left",
        "the fee is {n} dollars and {s} cents",
        "press {s} for billing",
        "it costs twenty five dollars a month",
        "the last four digits are {l}",
    ],
    "ru": [
        "сумма {n} рублей",
        "ваш заказ {n} отправлен",
        "перевод прошёл {d}",
        "мы работаем до {t}",
        "это было в {y} году",
        "осталось {n} бонусов",
        "нажмите {s} для оплаты",
        "последние четыре цифры {l}",
        "тариф двести рублей в месяц",
    ],
    "fa": [
        "مبلغ {n} تومان است",
        "سفارش {n} ارسال شد",
        "تا ساعت {t} باز هستیم",
        "سال {y} بود",
        "چهار رقم آخر کارت {l} است",
        "حدود {n} هزار تومان",
        "عدد {s} را بزنید",
        "مبلغ {n} تومان است".replace("{n}", "{nf}"),
    ],
}


def ordinary_values() -> dict[str, str]:
    return {
        "n": str(rng.randint(1, 99999)), "s": str(rng.randint(1, 9)),
        "t": f"{rng.randint(8, 22)}:{rng.choice(['00', '15', '30', '45'])}",
        "d": f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.2026",
        "y": str(rng.randint(1990, 2030)), "l": str(rng.randint(1000, 9999)),
        "nf": str(rng.randint(1, 99999)).translate(FA_DIGITS),
    }  # fmt: skip


def main() -> None:
    rows: list[tuple[str, str, str, str]] = []
    for language, kinds in SENSITIVE.items():
        for label, template, forms in kinds:
            for _round in range(2 if label == "CARD" else 4):
                for span in forms(language):
                    rows.append((language, label, span, template.format(span)))
        for _round in range(6):
            for template in ORDINARY[language]:
                values = ordinary_values()
                text = template.format(**values)
                keys = [k for k in values if "{" + k + "}" in template]
                span = values[keys[0]] if keys else text
                rows.append((language, "ordinary", span, text))
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(("language", "label", "span", "text"))
        writer.writerows(rows)
    print(f"{len(rows)} lines -> {OUT}")


if __name__ == "__main__":
    main()
