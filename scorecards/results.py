"""What scoring produces: evaluations made of criterion verdicts, each with its evidence.

Plain dataclasses so storage and the UI can use them without knowing the engine.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

from scorecards.explanation import Explanation

Outcome = Literal["pass", "fail", "na"]


@dataclass(frozen=True)
class CallMetadata:
    """Facts about a call that are not in its audio (from the telephony system or a survey)."""

    ring_seconds: float | None = None
    wait_seconds: float | None = None
    handle_seconds: float | None = None
    customer_feedback: float | None = None
    direction: Literal["inbound", "outbound"] | None = None
    queue: str | None = None


@dataclass(frozen=True)
class Evidence:
    """Where in the call a verdict comes from; utterance_index is None for metadata or metrics.

    `text` is what was said, as said; evidence that quotes nobody (a figure measured, a field of
    the call's metadata) has it as the English rendering of its `message`, which each reader
    gets in their own language. A quote's `message` is a note on it (the mood measured there).
    """

    utterance_index: int | None
    speaker: str | None
    start: float | None
    end: float | None
    text: str
    phrase: str | None = None
    similarity: float | None = None
    score: float | None = None  # a learned check's calibrated probability for this utterance
    message: Explanation = Explanation()

    @classmethod
    def stated(
        cls,
        message: Explanation,
        speaker: str | None = None,
        start: float | None = None,
        end: float | None = None,
    ) -> Evidence:
        """Evidence that quotes nobody: its message, and that message in English as its text."""
        return cls(None, speaker, start, end, str(message), message=message)

    def to_json(self) -> dict[str, Any]:
        """Plain data; a message only where there is one (a quote's data stays as it was)."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "message"}
        return data | ({"message": self.message.to_json()} if self.message else {})

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Evidence:
        """Evidence stored before it had messages has none: its text is shown as written."""
        message = data.get("message")
        return cls(
            **{**data, "message": Explanation.from_json(message) if message else Explanation()}
        )


@dataclass(frozen=True)
class CriterionVerdict:
    criterion: str
    name: str
    section: str
    outcome: Outcome
    points: float
    max_points: float
    critical: bool = False
    evidence: tuple[Evidence, ...] = ()
    explanation: Explanation = Explanation()
    coaching_tip: str = ""
    # A learned check scored inside its abstain band: a person decides before the agent sees it.
    uncertain: bool = False
    models: tuple[str, ...] = ()  # learned models that decided it, as name@version


@dataclass(frozen=True)
class SectionScore:
    section: str
    name: str
    weight: float
    score: float | None  # percentage 0..100, None when nothing in it applied


@dataclass(frozen=True)
class Evaluation:
    scorecard: str
    scorecard_name: str
    scorecard_version: str  # content hash of the scorecard file that produced it
    score: float  # weighted percentage 0..100 over applicable criteria
    passed: bool
    critical_failed: bool
    verdicts: tuple[CriterionVerdict, ...]
    sections: tuple[SectionScore, ...] = field(default=())

    def verdict(self, criterion: str) -> CriterionVerdict:
        for v in self.verdicts:
            if v.criterion == criterion:
                return v
        raise KeyError(criterion)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: each verdict's explanation (and evidence) as English text, and as its
        message (the template and parameters a reader's language translates)."""
        data = asdict(self)
        for verdict, plain in zip(self.verdicts, data["verdicts"], strict=True):
            plain["explanation"] = str(verdict.explanation)
            plain["explanation_message"] = verdict.explanation.to_json()
            plain["evidence"] = [e.to_json() for e in verdict.evidence]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evaluation:
        return cls(
            scorecard=data["scorecard"],
            scorecard_name=data.get("scorecard_name", data["scorecard"]),
            scorecard_version=data["scorecard_version"],
            score=float(data["score"]),
            passed=bool(data["passed"]),
            critical_failed=bool(data["critical_failed"]),
            verdicts=tuple(
                CriterionVerdict(
                    **{k: v for k, v in d.items() if k not in _VERDICT_PARTS},
                    evidence=tuple(Evidence.from_json(e) for e in d.get("evidence", ())),
                    explanation=_explanation(d),
                    models=tuple(d.get("models", ())),
                )
                for d in data["verdicts"]
            ),
            sections=tuple(SectionScore(**s) for s in data.get("sections", ())),
        )


_VERDICT_PARTS = ("evidence", "models", "explanation", "explanation_message")


def _explanation(verdict: dict[str, Any]) -> Explanation:
    """The message when the data has one, else its text as written (older data)."""
    message = verdict.get("explanation_message")
    if message is not None:
        return Explanation.from_json(message)
    return Explanation.verbatim(str(verdict.get("explanation") or ""))
