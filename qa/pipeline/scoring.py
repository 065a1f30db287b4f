"""The scoring stage: a redacted transcript against every active scorecard version."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from qa.review_sampling import queue_uncertain
from qa.storage.evaluations import automatic_evaluation_exists, save_evaluation
from qa.storage.models import Call, EvaluationKind
from qa.storage.scorecard_store import ActiveScorecard
from scorecards.learned import TextClassifier
from scorecards.results import CallMetadata, Evaluation
from transcription.transcript import CallTranscript


def call_metadata(call: Call) -> CallMetadata:
    """What the scorer needs from the call record besides the audio."""
    return CallMetadata(
        ring_seconds=call.ring_seconds,
        wait_seconds=call.wait_seconds,
        handle_seconds=call.handle_seconds,
        customer_feedback=call.customer_feedback,
        direction="outbound" if call.direction == "outbound" else "inbound",
        queue=call.queue,
    )


def score_transcript(
    transcript: CallTranscript,
    metadata: CallMetadata,
    scorecards: list[ActiveScorecard],
    classifiers: Mapping[str, TextClassifier] | None = None,
) -> list[tuple[int, Evaluation]]:
    """Each evaluation paired with the id of the scorecard version that produced it;
    `classifiers` are the center's activated learned models (shipped ones otherwise)."""
    if not scorecards:
        return []
    from scorecards.engine import score_call

    # Matched by scorecard id: one version per scorecard is active, and a stored version's
    # hash is the one recorded when it was saved.
    version_ids = {a.scorecard.id: a.version_id for a in scorecards}
    evaluations = score_call(transcript, metadata, [a.scorecard for a in scorecards], classifiers)
    return [(version_ids[e.scorecard], e) for e in evaluations]


def store_automatic_evaluations(
    session: Session, call_id: int, scored: list[tuple[int, Evaluation]], *, anew: bool = False
) -> int:
    """Add the evaluations this call lacks; one per scorecard version, never a duplicate.
    `anew`: the transcript changed since it was scored (its roles were decided again), so each
    version's evaluation is added again; the newest counts, the older stays as history."""
    added = 0
    for version_id, evaluation in scored:
        if anew or not automatic_evaluation_exists(session, call_id, version_id):
            save_evaluation(session, call_id, version_id, evaluation, EvaluationKind.automatic)
            added += 1
            if any(v.uncertain for v in evaluation.verdicts):
                queue_uncertain(session, call_id)
    return added
