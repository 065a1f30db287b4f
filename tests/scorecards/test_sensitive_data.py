"""pattern_absent: the agent never reads out a card number, a national ID or a password."""

from __future__ import annotations

import pytest

from tests.scorecards.calls import call
from tests.scorecards.cards import verdict

NO_READBACK = {
    "type": "pattern_absent",
    "params": {"detectors": ["card_number", "national_id", "password", "mask_tokens"]},
}


@pytest.mark.parametrize(
    ("language", "text", "kind", "secret"),
    [
        ("en", "so your card number is 4111 1111 1111 1111, correct?", "full card number", "4111"),
        (
            "en",
            "that's four one one one one one one one one one one one one one one one",
            "full card number",
            "four one",
        ),
        ("en", "and your password is hunter22", "password", "hunter22"),
        ("en", "your social is 123-45-6789", "national ID", "123-45"),
        ("ru", "Номер карты 5500 0000 0000 0004, верно?", "full card number", "5500"),
        ("ru", "Ваш пароль Qwerty123, запишите", "password", "Qwerty123"),
        ("ru", "СНИЛС 112-233-445 95, правильно?", "national ID", "112-233"),
        ("fa", "کد ملی شما ۰۲۷۳۱۸۹۱۱۵ هست درسته؟", "national ID", "۰۲۷۳۱۸"),
        ("fa", "رمز عبور شما ۴۸۲۹۱۷ است", "password", "۴۸۲۹۱۷"),
        ("fa", "شماره کارتتون [CARD] ثبت شده", "masked sensitive data", None),
    ],
)
def test_reading_out_sensitive_data_fails_and_the_evidence_does_not_repeat_it(
    language: str, text: str, kind: str, secret: str | None
) -> None:
    transcript = call(
        language,
        [("customer", 0.0, 3.0, "..."), ("agent", 3.5, 8.0, text), ("agent", 8.5, 10.0, "ok")],
    )
    result = verdict(NO_READBACK, transcript)
    assert result.outcome == "fail"
    (evidence,) = result.evidence
    assert (evidence.utterance_index, evidence.speaker, evidence.phrase) == (1, "agent", kind)
    if secret is not None:
        assert secret not in evidence.text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "can you confirm the last four digits, 1111?"),
        ("en", "the transfer of one hundred and thirty five dollars went through on 03 15 2026"),
        ("en", "your password is incorrect, let's reset it"),
        ("en", "order number 1234567890 has shipped"),
        ("ru", "Сумма 12 500 рублей, перевод 15.03.2026"),
        ("ru", "Пароль можно сменить в приложении"),
        ("fa", "چهار رقم آخر کارتتون ۱۱۱۱ هست؟"),
        ("fa", "رمز عبور رو میتونید از اپلیکیشن عوض کنید"),
    ],
)
def test_ordinary_numbers_and_talk_about_passwords_pass(language: str, text: str) -> None:
    transcript = call(language, [("agent", 0.0, 5.0, text)])
    result = verdict(NO_READBACK, transcript)
    assert result.outcome == "pass", result.explanation
    assert result.evidence == ()


def test_the_customer_reading_their_own_card_number_is_not_the_agents_fault() -> None:
    transcript = call("en", [("customer", 0.0, 5.0, "it's 4111 1111 1111 1111")])
    assert verdict(NO_READBACK, transcript).outcome == "pass"
