"""phrase_present / phrase_absent: something is (or is never) said, by someone, at some time."""

from __future__ import annotations

from scorecards.criteria.params import PhraseParams
from scorecards.explanation import Explanation, explain
from scorecards.matching import PhraseMatch, evidence_for
from scorecards.registry import CheckContext, CheckResult, CriterionType, criterion_type
from scorecards.results import Evidence
from transcription.transcript import Utterance

# Places shown for a phrase that must be present: enough for a reviewer to check.
MAX_EVIDENCE = 3


class _PhraseSearch(CriterionType[PhraseParams]):
    Params = PhraseParams

    def search(
        self, ctx: CheckContext, places: int | None
    ) -> tuple[list[PhraseMatch], Explanation]:
        """The phrases found in scope, and what was looked for where (for the explanation)."""
        scope = self.params.scope(ctx)
        phrases = self.params.phrase_set.for_language(ctx.call.language)
        matches = ctx.call.haystack(scope).matches(phrases, places=places)
        return matches, self.params.looked_for(ctx.call, scope)


@criterion_type("phrase_present")
class PhrasePresent(_PhraseSearch):
    """Passes when any of the phrases is said in scope; evidence is where."""

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        matches, looked_for = self.search(ctx, places=MAX_EVIDENCE)
        if not matches:
            return CheckResult(
                "fail", (), explain("Not found: none of {looked_for}.", looked_for=looked_for)
            )
        evidence = _one_per_place(matches, ctx.call.utterances)[:MAX_EVIDENCE]
        found = explain(
            "Found '{phrase}' ({looked_for}).", phrase=matches[0].phrase.text, looked_for=looked_for
        )
        return CheckResult("pass", evidence, found)


@criterion_type("phrase_absent")
class PhraseAbsent(_PhraseSearch):
    """Passes when none of the phrases is said in scope; a fail shows every place one was."""

    def evaluate(self, ctx: CheckContext) -> CheckResult:
        matches, looked_for = self.search(ctx, places=None)
        if not matches:
            return CheckResult(
                "pass",
                (),
                explain("Not found, as required: none of {looked_for}.", looked_for=looked_for),
            )
        evidence = tuple(sorted(_one_per_place(matches, ctx.call.utterances), key=_position))
        said = ", ".join(sorted({f"'{m.phrase.text}'" for m in matches}))
        return CheckResult(
            "fail",
            evidence,
            explain("Said {said} ({looked_for}).", said=said, looked_for=looked_for),
        )


def _one_per_place(
    matches: list[PhraseMatch], utterances: tuple[Utterance, ...]
) -> tuple[Evidence, ...]:
    """The closest phrase said at each place, closest places first (matches come sorted so)."""
    per_place: dict[tuple[int, ...], PhraseMatch] = {}
    for match in matches:
        per_place.setdefault(match.indices, match)
    return tuple(evidence_for(m, utterances) for m in per_place.values())


def _position(evidence: Evidence) -> int:
    return evidence.utterance_index or 0
