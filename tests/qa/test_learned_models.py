"""Learned verdicts in the workflow: an uncertain one queues its call and waits for a reviewer
before the agent sees it; reviews retrain the model into an inactive version that an admin
activates, and every evaluation records the model version that scored it."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from sqlalchemy import select

from qa.learning import retrain
from qa.pipeline.scoring import score_transcript, store_automatic_evaluations
from qa.queries.agent_view import my_evaluations
from qa.queries.review import ReviewSubmission, VerdictDecision, submit_review
from qa.review_sampling import UNCERTAIN
from qa.storage.db import session_scope
from qa.storage.learned_models import activate_version, active_classifiers
from qa.storage.models import (
    CriterionVerdictRecord,
    LearnedModelVersion,
    ReviewQueueItem,
    ScorecardVersion,
)
from qa.storage.scorecard_store import ActiveScorecard, load_version
from scorecards.embedding import embedding_service
from scorecards.learned import shipped_classifier
from scorecards.results import CallMetadata
from scorecards.training.dev_data import LabelledSet
from tests.scorecards.calls import call
from tests.ui.seed import Seeded, viewer_named

TIP = {"en": "Be kind.", "ru": "Будьте вежливы.", "fa": "مؤدب باشید."}


def _card(params: dict[str, Any]) -> str:
    return yaml.safe_dump(
        {
            "id": "rudeness",
            "name": "Rudeness",
            "pass_mark": 80,
            "sections": [
                {
                    "id": "respect",
                    "name": "Respect",
                    "criteria": [
                        {
                            "id": "no_rude_language",
                            "name": "No rude language",
                            "speaker": "agent",
                            "points": 1,
                            "check": {"type": "classifier", "params": params},
                            "coaching_tip": TIP,
                        }
                    ],
                }
            ],
        },
        allow_unicode=True,
    )


@pytest.fixture
def seeded(seeded_database: Seeded) -> Seeded:
    return seeded_database


def _scorecard(url: str, params: dict[str, Any]) -> ActiveScorecard:
    with session_scope(url) as session:
        row = ScorecardVersion(
            scorecard_key="rudeness", version="t1", name="Rudeness",
            yaml_text=_card(params), active=True,
        )  # fmt: skip
        session.add(row)
        session.flush()
        return ActiveScorecard(row.id, load_version(row))


def _score(url: str, call_id: int, lines: list[Any], card: ActiveScorecard) -> int:
    transcript = call("ru", lines)
    with session_scope(url) as session:
        scored = score_transcript(transcript, CallMetadata(), [card], active_classifiers(session))
        store_automatic_evaluations(session, call_id, scored)
        return int(
            session.scalars(
                select(CriterionVerdictRecord.evaluation_id)
                .where(CriterionVerdictRecord.criterion == "no_rude_language")
                .order_by(CriterionVerdictRecord.id.desc())
            ).first()
            or 0
        )


POLITE = [
    ("agent", 0.0, 3.0, "Здравствуйте, спасибо за звонок, чем могу помочь?"),
    ("customer", 3.5, 6.0, "У меня не проходит оплата."),
    ("agent", 6.5, 9.0, "Пожалуйста, назовите номер карты."),
]
RUDE = [*POLITE, ("agent", 9.5, 12.0, "Ты что, тупой? Заткнись и слушай, идиот.")]


def test_an_uncertain_verdict_queues_the_call_and_reaches_the_agent_after_review(
    seeded: Seeded,
) -> None:
    card = _scorecard(seeded.url, {"model": "rude", "abstain": [0.0, 0.95]})
    call_id = seeded.calls["ivan-1"]
    evaluation_id = _score(seeded.url, call_id, POLITE, card)
    with session_scope(seeded.url) as session:
        reasons = session.scalars(
            select(ReviewQueueItem.reason).where(ReviewQueueItem.call_id == call_id)
        ).all()
        assert UNCERTAIN in reasons
        shown = {e.id for e in my_evaluations(session, viewer_named(seeded.url, "ivan"))}
        assert evaluation_id not in shown
        assert seeded.evaluations["ivan-2"] in shown  # other calls are not held back
        reviewer = viewer_named(seeded.url, "reviewer")
        submit_review(
            session, reviewer,
            ReviewSubmission(
                call_id, {evaluation_id: (VerdictDecision("no_rude_language", "pass"),)}
            ),
        )  # fmt: skip
    with session_scope(seeded.url) as session:
        shown = {e.id for e in my_evaluations(session, viewer_named(seeded.url, "ivan"))}
        assert evaluation_id in shown


def test_reviews_retrain_an_inactive_version_that_scores_once_activated(seeded: Seeded) -> None:
    card = _scorecard(seeded.url, {"model": "rude"})
    reviewer = viewer_named(seeded.url, "reviewer")
    shipped = shipped_classifier("rude").label
    # The reviewer fails a call the model passed, and confirms the others.
    for external_id, lines, human in (
        ("ivan-1", POLITE, "fail"),
        ("ivan-2", RUDE, "fail"),
        ("ivan-3", POLITE, "pass"),
        ("sara-1", POLITE, "pass"),
    ):
        evaluation_id = _score(seeded.url, seeded.calls[external_id], lines, card)
        with session_scope(seeded.url) as session:
            automatic = session.get_one(CriterionVerdictRecord, _verdict_id(session, evaluation_id))
            assert automatic.learned_models == [shipped]
            reason = "Mocking tone." if human != automatic.outcome else ""
            submit_review(
                session, reviewer,
                ReviewSubmission(
                    seeded.calls[external_id],
                    {evaluation_id: (VerdictDecision("no_rude_language", human, reason),)},  # type: ignore[arg-type]
                ),
            )  # fmt: skip
    public = LabelledSet(
        "ru", "crafted",
        ("Ты идиот.", "Заткнись, дебил.", "Да пошёл ты.", "Тупой, что ли?", "Отвали, урод.",
         "Спасибо за ожидание.", "Минуточку, проверю.", "Всего доброго.", "Рад помочь.",
         "Пожалуйста, подождите."),
        (1, 1, 1, 1, 1, 0, 0, 0, 0, 0), tuple(range(10)),
    )  # fmt: skip
    with session_scope(seeded.url) as session:
        result = retrain(session, [public], embedding_service(), include_phrase_lists=False)
        assert result.examples >= 3  # the reviewed calls' evidence, overrides included
        assert result.overrides + result.held_back >= 1
        assert not result.version.active
        assert result.version.version != shipped.split("@")[1]
        assert {"agreement_before", "agreement_after"} <= set(result.version.report)
        assert active_classifiers(session) == {}
        version_id, version = result.version.id, result.version.version
    with session_scope(seeded.url) as session:
        activate_version(session, version_id)
    with session_scope(seeded.url) as session:
        assert active_classifiers(session)["rude"].version == version
        assert session.get_one(LearnedModelVersion, version_id).active
    evaluation_id = _score(seeded.url, seeded.calls["sara-2"], RUDE, card)
    with session_scope(seeded.url) as session:
        verdict = session.get_one(CriterionVerdictRecord, _verdict_id(session, evaluation_id))
        assert verdict.learned_models == [f"rude@{version}"]


def _verdict_id(session: Any, evaluation_id: int) -> int:
    return int(
        session.scalar(
            select(CriterionVerdictRecord.id).where(
                CriterionVerdictRecord.evaluation_id == evaluation_id,
                CriterionVerdictRecord.criterion == "no_rude_language",
            )
        )
    )
