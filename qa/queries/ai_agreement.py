"""How well the automatic scorer agrees with reviewers, per criterion, over time.

On every reviewed call the reviewer's final verdict (the human evaluation that counts) is paired
with the automatic verdict it reviewed; the pairs are counted in SQL and turned into agreement,
Cohen's kappa and Gwet's AC1 per criterion, and per week, language and scorecard version.

A criterion is flagged on AC1, not kappa: when a criterion almost always passes, kappa drops
towards zero even at 98 % agreement (the "kappa paradox"), which would flag the criteria the
scorer handles best. AC1 stays close to the observed agreement in that case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session, aliased

from qa.queries.access import REVIEWERS, Viewer, ensure_role
from qa.queries.evaluations_in_view import EvaluationFilter, filter_calls
from qa.queries.review import OUTCOMES
from qa.queries.sql_functions import as_date, week_start
from qa.storage.models import (
    Call,
    CriterionVerdictRecord,
    Evaluation,
    EvaluationKind,
    Role,
    ScorecardVersion,
)
from scorecards.agreement import TwoRaterFigures, two_rater_figures

AGREEMENT_ROLES = (*REVIEWERS, Role.coach)

Pairs = dict[tuple[str, str], int]


@dataclass(frozen=True)
class Breakdown:
    """The figures of one slice of a criterion's reviewed calls (a week, language or version)."""

    label: str
    pairs: Pairs
    figures: TwoRaterFigures


@dataclass(frozen=True)
class CriterionAgreement:
    scorecard_key: str
    criterion: str
    name: str
    pairs: Pairs  # (automatic, human) -> reviewed calls
    figures: TwoRaterFigures
    by_week: tuple[Breakdown, ...] = field(default=())
    by_language: tuple[Breakdown, ...] = field(default=())
    by_version: tuple[Breakdown, ...] = field(default=())

    def flagged(self, threshold: float, min_reviews: int) -> bool:
        """Below the threshold on enough reviews to mean something."""
        ac1 = self.figures.ac1
        return self.figures.n >= min_reviews and ac1 is not None and ac1 < threshold


def ai_human_agreement(
    session: Session, viewer: Viewer, view: EvaluationFilter
) -> list[CriterionAgreement]:
    """Per criterion, the automatic verdicts against reviewers' final ones on reviewed calls."""
    ensure_role(viewer, *AGREEMENT_ROLES)
    human = aliased(Evaluation)
    automatic = aliased(Evaluation)
    human_verdict = aliased(CriterionVerdictRecord)
    automatic_verdict = aliased(CriterionVerdictRecord)
    week = week_start(Call.started_at)
    statement = (
        select(
            ScorecardVersion.scorecard_key,
            automatic_verdict.criterion,
            func.max(human_verdict.name),
            week,
            Call.language,
            ScorecardVersion.version,
            automatic_verdict.outcome,
            human_verdict.outcome,
            func.count(),
        )
        .select_from(human)
        .join(automatic, automatic.id == human.reviews_evaluation_id)
        .join(Call, Call.id == human.call_id)
        .join(ScorecardVersion, ScorecardVersion.id == automatic.scorecard_version_id)
        .join(human_verdict, human_verdict.evaluation_id == human.id)
        .join(
            automatic_verdict,
            (automatic_verdict.evaluation_id == automatic.id)
            & (automatic_verdict.criterion == human_verdict.criterion),
        )
        .where(
            human.kind == EvaluationKind.human,
            human.counts == true(),
            automatic.kind == EvaluationKind.automatic,
        )
        .group_by(
            ScorecardVersion.scorecard_key,
            automatic_verdict.criterion,
            week,
            Call.language,
            ScorecardVersion.version,
            automatic_verdict.outcome,
            human_verdict.outcome,
        )
    )
    if view.scorecard_key is not None:
        statement = statement.where(ScorecardVersion.scorecard_key == view.scorecard_key)
    statement = filter_calls(statement, view, viewer)
    grouped: dict[tuple[str, str], list[tuple[str, date, str, str, str, str, int]]] = defaultdict(
        list
    )
    for key, criterion, name, week_day, language, version, a, h, count in session.execute(
        statement
    ):
        grouped[(key, criterion)].append(
            (name, as_date(week_day), language or "", version, a, h, count)
        )
    return [_criterion(key, criterion, rows) for (key, criterion), rows in sorted(grouped.items())]


def _criterion(
    key: str, criterion: str, rows: list[tuple[str, date, str, str, str, str, int]]
) -> CriterionAgreement:
    pairs = _pairs((a, h, count) for *_rest, a, h, count in rows)
    return CriterionAgreement(
        scorecard_key=key,
        criterion=criterion,
        name=rows[0][0],
        pairs=pairs,
        figures=two_rater_figures(pairs, OUTCOMES),
        by_week=_breakdown((r[1].isoformat(), r[4], r[5], r[6]) for r in rows),
        by_language=_breakdown((r[2] or "?", r[4], r[5], r[6]) for r in rows),
        by_version=_breakdown((r[3][:12], r[4], r[5], r[6]) for r in rows),
    )


def _pairs(rows: Iterable[tuple[str, str, int]]) -> Pairs:
    pairs: Pairs = {}
    for a, h, count in rows:
        pairs[(a, h)] = pairs.get((a, h), 0) + count
    return pairs


def _breakdown(rows: Iterable[tuple[str, str, str, int]]) -> tuple[Breakdown, ...]:
    by_label: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for label, a, h, count in rows:
        by_label[label].append((a, h, count))
    return tuple(
        Breakdown(label, pairs, two_rater_figures(pairs, OUTCOMES))
        for label, pairs in ((label, _pairs(r)) for label, r in sorted(by_label.items()))
    )


def agreement_json(
    criteria: list[CriterionAgreement], threshold: float, min_reviews: int
) -> list[dict[str, object]]:
    """The CLI's JSON: per criterion, every (automatic, human) pair's count and the figures."""

    def figures(pairs: Pairs, f: TwoRaterFigures) -> dict[str, object]:
        return {
            "pairs": [
                {"automatic": a, "human": h, "count": pairs.get((a, h), 0)}
                for a in OUTCOMES
                for h in OUTCOMES
            ],
            "n": f.n,
            "agreement": f.agreement,
            "kappa": f.kappa,
            "ac1": f.ac1,
        }

    def slices(breakdowns: tuple[Breakdown, ...], name: str) -> list[dict[str, object]]:
        return [{name: b.label, **figures(b.pairs, b.figures)} for b in breakdowns]

    return [
        {
            "scorecard": c.scorecard_key,
            "criterion": c.criterion,
            "name": c.name,
            **figures(c.pairs, c.figures),
            "flagged": c.flagged(threshold, min_reviews),
            "by_week": slices(c.by_week, "week"),
            "by_language": slices(c.by_language, "language"),
            "by_version": slices(c.by_version, "version"),
        }
        for c in criteria
    ]
