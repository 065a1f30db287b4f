"""Which calls a human reviews: a stable random share per agent and week, plus targeted picks.

The picks are stored as ReviewQueueItem rows with their reason, so the queue does not reshuffle
between visits; running the sampling again only adds calls it has not queued for that reason.
The random share is drawn by hashing each call's id with a seed, so it is reproducible.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from qa.i18n import N_
from qa.storage.models import (
    Call,
    CallStatus,
    Evaluation,
    EvaluationKind,
    QueueStatus,
    ReviewQueueItem,
    ScorecardVersion,
    Transcript,
    TranscriptUtterance,
)
from scorecards.sentiment import closing_sentiment

RANDOM = "random"
CRITICAL_FAIL = "critical_fail"
LOW_SCORE = "low_score"
LONG_SILENCE = "long_silence"
NEGATIVE_SENTIMENT = "negative_sentiment"
DISPUTE = "dispute"
# A learned check scored inside its abstain band: the agent sees the verdict once a reviewer
# has decided (qa.queries.agent_view hides it until then).
UNCERTAIN = "uncertain"
# A mono call whose agent/customer attribution is below CALLQA_ROLE_CONFIDENCE_THRESHOLD: its
# agent-only criteria wait for a person, and so does the agent's view of it.
ROLES_UNCERTAIN = "roles_uncertain"
# Reasons whose evaluation the agent sees only once a reviewer has decided.
HELD_FOR_REVIEW = (UNCERTAIN, ROLES_UNCERTAIN)
# English labels, translated where shown (`_(REASON_LABELS[reason])`).
REASON_LABELS = {
    RANDOM: N_("Random sample"),
    CRITICAL_FAIL: N_("Critical fail"),
    LOW_SCORE: N_("Low score"),
    LONG_SILENCE: N_("Long silence"),
    NEGATIVE_SENTIMENT: N_("Negative customer sentiment"),
    DISPUTE: N_("Disputed by agent"),
    UNCERTAIN: N_("Uncertain automatic verdict"),
    ROLES_UNCERTAIN: N_("Roles uncertain (mono recording)"),
}


@dataclass(frozen=True)
class SamplingRules:
    """The knobs of the sampling; the defaults suit a team of a few agents."""

    random_share: float = 0.10  # of each agent's calls per ISO week, at least one call
    seed: str = "callqa"
    low_score_below: float = 70.0
    long_silence_seconds: float = 20.0
    negative_feedback_at_most: float = 2.0
    # The customer's mood over the last third of their utterances, by the scorecards' own
    # sentiment lexicon (-1..+1): at or below this the customer ended the call upset.
    closing_sentiment_at_most: float = -0.3


@dataclass(frozen=True)
class _Candidate:
    call_id: int
    external_id: str
    agent_id: int | None
    started_at: datetime
    lowest_score: float
    critical_failed: bool
    customer_feedback: float | None
    longest_silence: float | None
    language: str | None


def queue_uncertain(session: Session, call_id: int, reason: str = UNCERTAIN) -> None:
    """Put the call in the review queue for an uncertain automatic result (once while open)."""
    open_item = session.scalar(
        select(ReviewQueueItem.id).where(
            ReviewQueueItem.call_id == call_id,
            ReviewQueueItem.reason == reason,
            ReviewQueueItem.status == QueueStatus.open,
        )
    )
    if open_item is None:
        session.add(ReviewQueueItem(call_id=call_id, reason=reason))
        session.flush()


def sample_calls(session: Session, rules: SamplingRules | None = None) -> int:
    """Queue every scored call the rules pick and that is not queued for that reason yet."""
    rules = rules or SamplingRules()
    candidates = _candidates(session, rules)
    queued = {
        (call_id, reason)
        for call_id, reason in session.execute(
            select(ReviewQueueItem.call_id, ReviewQueueItem.reason)
        )
    }
    upset = _upset_customers(session, candidates, rules, queued)
    picks = {
        (c.call_id, reason)
        for c in candidates
        for reason in _targeted_reasons(c, rules, c.call_id in upset)
    }
    picks |= {(call_id, RANDOM) for call_id in _random_share(candidates, rules)}
    new = sorted(picks - queued)
    session.add_all(ReviewQueueItem(call_id=call_id, reason=reason) for call_id, reason in new)
    session.flush()
    return len(new)


def _candidates(session: Session, rules: SamplingRules) -> list[_Candidate]:
    statement = (
        select(
            Call.id,
            Call.external_id,
            Call.agent_id,
            Call.started_at,
            func.min(Evaluation.score),
            func.max(case((Evaluation.critical_failed, 1), else_=0)),
            Call.customer_feedback,
            Transcript.longest_silence,
            Call.language,
        )
        .join(Evaluation, Evaluation.call_id == Call.id)
        .join(ScorecardVersion, ScorecardVersion.id == Evaluation.scorecard_version_id)
        .outerjoin(Transcript, Transcript.call_id == Call.id)
        # The automatic evaluations that count, by the active versions: not those of calls
        # scored before a version was replaced (sampled back then), nor reviewed ones.
        .where(
            Evaluation.kind == EvaluationKind.automatic,
            Evaluation.counts.is_(True),
            ScorecardVersion.active.is_(True),
            Call.status == CallStatus.done,
        )
        .group_by(
            Call.id,
            Call.external_id,
            Call.agent_id,
            Call.started_at,
            Call.customer_feedback,
            Transcript.longest_silence,
            Call.language,
        )
    )
    return [
        _Candidate(
            call_id=row[0],
            external_id=row[1],
            agent_id=row[2],
            started_at=row[3],
            lowest_score=float(row[4]),
            critical_failed=bool(row[5]),
            customer_feedback=row[6],
            longest_silence=row[7],
            language=row[8],
        )
        for row in session.execute(statement)
    ]


def _upset_customers(
    session: Session,
    candidates: list[_Candidate],
    rules: SamplingRules,
    queued: set[tuple[int, str]],
) -> set[int]:
    """Calls whose customer ended upset, read from the stored transcript with the scorecards'
    sentiment lexicon; only for calls not queued for it yet, so a rerun reads nothing new."""
    pending = {
        c.call_id: c.language for c in candidates if (c.call_id, NEGATIVE_SENTIMENT) not in queued
    }
    if not pending:
        return set()
    rows = session.execute(
        select(Transcript.call_id, TranscriptUtterance.text)
        .join(TranscriptUtterance, TranscriptUtterance.transcript_id == Transcript.id)
        .where(Transcript.call_id.in_(pending), TranscriptUtterance.speaker == "customer")
        .order_by(Transcript.call_id, TranscriptUtterance.position)
    )
    said: dict[int, list[str]] = defaultdict(list)
    for call_id, text in rows:
        said[call_id].append(text)
    upset = set()
    for call_id, texts in said.items():
        mood = closing_sentiment(texts, pending[call_id] or "en")
        if mood is not None and mood <= rules.closing_sentiment_at_most:
            upset.add(call_id)
    return upset


def _targeted_reasons(c: _Candidate, rules: SamplingRules, upset: bool) -> list[str]:
    reasons = []
    if c.critical_failed:
        reasons.append(CRITICAL_FAIL)
    if c.lowest_score < rules.low_score_below:
        reasons.append(LOW_SCORE)
    if c.longest_silence is not None and c.longest_silence >= rules.long_silence_seconds:
        reasons.append(LONG_SILENCE)
    negative_feedback = (
        c.customer_feedback is not None and c.customer_feedback <= rules.negative_feedback_at_most
    )
    if upset or negative_feedback:
        reasons.append(NEGATIVE_SENTIMENT)
    return reasons


def _random_share(candidates: list[_Candidate], rules: SamplingRules) -> list[int]:
    """From each agent's calls of each ISO week, the share with the smallest seeded hashes."""
    if rules.random_share <= 0:
        return []
    weeks: dict[tuple[int | None, int, int], list[_Candidate]] = defaultdict(list)
    for c in candidates:
        year, week, _ = _as_utc(c.started_at).isocalendar()
        weeks[(c.agent_id, year, week)].append(c)
    picked: list[int] = []
    for calls in weeks.values():
        count = max(1, math.ceil(len(calls) * min(rules.random_share, 1.0)))
        ranked = sorted(calls, key=lambda c: _draw(rules.seed, c.external_id))
        picked.extend(c.call_id for c in ranked[:count])
    return picked


def _draw(seed: str, external_id: str) -> str:
    return hashlib.sha256(f"{seed}:{external_id}".encode()).hexdigest()


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
