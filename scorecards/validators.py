"""Check digits of the numbers a call must not read out: payment cards and national IDs.

A check digit turns "any long number" (an amount, a date, an order id) into "almost certainly a
card / an ID", which keeps the sensitive-data check from failing on ordinary digits.
"""

from __future__ import annotations


def luhn_valid(digits: str) -> bool:
    """Payment card numbers (ISO/IEC 7812): the Luhn mod-10 check."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_number(digits: str) -> bool:
    return 13 <= len(digits) <= 19 and luhn_valid(digits) and len(set(digits)) > 1


def iran_national_code(digits: str) -> bool:
    """Iranian کد ملی: 10 digits, the last a mod-11 check digit."""
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(digits[i]) * (10 - i) for i in range(9)) % 11
    check = int(digits[9])
    return check == total if total < 2 else check == 11 - total


def snils(digits: str) -> bool:
    """Russian СНИЛС: 11 digits, the last two a checksum of the first nine."""
    if len(digits) != 11 or len(set(digits[:9])) == 1:
        return False
    total = sum(int(digits[i]) * (9 - i) for i in range(9))
    if total > 101:
        total %= 101
    expected = 0 if total in (100, 101) else total
    return expected == int(digits[9:])


def inn(digits: str) -> bool:
    """Russian ИНН of a person (12 digits) or an organisation (10 digits), with check digits."""

    def check(weights: tuple[int, ...], part: str) -> int:
        return sum(w * int(d) for w, d in zip(weights, part, strict=True)) % 11 % 10

    if len(digits) == 10:
        return check((2, 4, 10, 3, 5, 9, 4, 6, 8), digits[:9]) == int(digits[9])
    if len(digits) == 12:
        first = check((7, 2, 4, 10, 3, 5, 9, 4, 6, 8), digits[:10])
        second = check((3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8), digits[:11])
        return first == int(digits[10]) and second == int(digits[11])
    return False


def national_id(digits: str) -> bool:
    return iran_national_code(digits) or snils(digits) or inn(digits)
