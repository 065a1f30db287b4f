"""Transcript in, verdicts with evidence out: YAML scorecards and the engine that applies them.

Knows no database and no UI; `qa` stores and shows what this package returns.
"""

from scorecards.engine import score_call
from scorecards.errors import (
    CheckDefinitionError,
    ScorecardError,
    ScorecardFileError,
    UnknownScorecard,
)
from scorecards.loader import (
    load_scorecard,
    load_scorecard_text,
    load_scorecards_dir,
    select_scorecards,
    shipped_scorecards,
)
from scorecards.results import CallMetadata, CriterionVerdict, Evaluation, Evidence, SectionScore
from scorecards.scorecard import Scorecard

__all__ = [
    "CallMetadata",
    "CheckDefinitionError",
    "CriterionVerdict",
    "Evaluation",
    "Evidence",
    "ScorecardError",
    "ScorecardFileError",
    "Scorecard",
    "SectionScore",
    "UnknownScorecard",
    "load_scorecard",
    "load_scorecard_text",
    "load_scorecards_dir",
    "score_call",
    "select_scorecards",
    "shipped_scorecards",
]
