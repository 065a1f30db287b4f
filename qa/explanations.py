"""Why a check decided as it did, in the reader's language.

A verdict's explanation is a message (scorecards.explanation): each of its templates, nested
ones included, goes through the catalog and is then filled in with its values. Text from the
scorecard or the call (phrases, step names) is shown as stored; numbers are written in the
language's digits and decimal mark, as everywhere else on the page.
"""

from __future__ import annotations

from qa.i18n import gettext, ngettext
from qa.locale_format import numerals
from scorecards.explanation import Explanation


def explanation_text(explanation: Explanation) -> str:
    return explanation.render(gettext, ngettext, numerals)
