"""The call review page shows each verdict's explanation and evidence in the reader's language."""

from __future__ import annotations

import html

from tests.qa.test_evidence_language import EXPECTED as EVIDENCE
from tests.qa.test_evidence_language import NOTES, stored_evidence
from tests.qa.test_explanation_language import EXPECTED, _stored_verdicts
from tests.ui.seed import Seeded
from tests.ui.test_scorecard_names import page_in_language


def test_a_russian_reviewer_reads_the_verdicts_explanations_in_russian(
    seeded: Seeded,
) -> None:
    _stored_verdicts(seeded, "ru")  # scored and stored on ivan-1
    at = page_in_language(
        seeded, "call_review", "reviewer", "ru", review_call_id=seeded.calls["ivan-1"]
    )
    assert not at.exception and not at.error
    captions = [c.value for c in at.caption]
    assert set(EXPECTED["ru"].values()) <= set(captions), captions
    assert not any(c.startswith(("Said ", "Not: ", "The rude model")) for c in captions)


def test_a_persian_reviewer_reads_measured_evidence_in_persian(seeded: Seeded) -> None:
    stored_evidence(seeded, "fa")  # scored and stored on sara-1
    at = page_in_language(
        seeded, "call_review", "reviewer", "fa", review_call_id=seeded.calls["sara-1"]
    )
    assert not at.exception and not at.error
    shown = "".join(h.proto.body for h in at.get("html"))
    for criterion in ("short_silences", "quick_answer", "mood"):
        assert all(html.escape(text) in shown for text in EVIDENCE["fa"][criterion])
    assert "Measured longest silence" not in shown and "(limit:" not in shown
    assert set(NOTES["fa"]) <= {c.value for c in at.caption}
