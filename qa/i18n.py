"""User-visible text in the viewer's language: every string a person reads goes through here.

Call `_()` (or `ngettext()`) where the text is shown, not at import time, so the language of the
signed-in user applies; mark module-level constants with `N_()` and translate them at display.
Until the gettext catalogs are compiled the messages come back in English.
"""

from __future__ import annotations


def gettext(message: str) -> str:
    """The message in the current language."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n` in the current language (Russian has three)."""
    return singular if n == 1 else plural


def N_(message: str) -> str:
    """Mark a constant for extraction; translate it with `_()` where it is shown."""
    return message


_ = gettext
