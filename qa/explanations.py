"""Why a check decided as it did, in the reader's language.

A verdict's explanation is a message (scorecards.explanation): each of its templates, nested
ones included, goes through the catalog and is then filled in with its values. Text from the
scorecard or the call (phrases, step names, what was said) is shown as stored; numbers are
written in the language's digits and decimal mark, as everywhere else on the page. Evidence
is read the same way: a quote as it was said, anything else (a figure measured) as a message.
"""

from __future__ import annotations

from qa.i18n import gettext, ngettext
from qa.locale_format import numerals
from scorecards.explanation import Explanation
from scorecards.results import Evidence


def explanation_text(explanation: Explanation) -> str:
    return explanation.render(gettext, ngettext, numerals)


def evidence_text(evidence: Evidence) -> str:
    """What a piece of evidence shows: a quote as it was said, other evidence as its message
    (its stored text when it has none: evidence kept before evidence had messages)."""
    if evidence.utterance_index is None and evidence.message:
        return explanation_text(evidence.message)
    return evidence.text


def evidence_note(evidence: Evidence) -> str:
    """A quote's note (the mood measured there, the kind of data said), or ''."""
    return explanation_text(evidence.message) if evidence.utterance_index is not None else ""
