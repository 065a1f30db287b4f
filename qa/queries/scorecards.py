"""Scorecards as the admin page sees them: versions, validation, activation, a trial run.

Saving and activating go through `qa.storage.scorecard_store`, so a version is never edited
in place; a trial scores a stored call's transcript without writing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.errors import NotFound
from qa.i18n import _
from qa.pipeline.scoring import call_metadata
from qa.queries.access import LEADS, Viewer, ensure_role
from qa.queries.scorecard_texts import localize_with, texts_of
from qa.storage import scorecard_store
from qa.storage.models import Call, CallStatus, Role, ScorecardVersion, Transcript
from qa.storage.transcripts import load_transcript
from scorecards import Evaluation, Scorecard, ScorecardFileError, load_scorecard_text, score_call
from scorecards.explanation import Explanation

EDITED_SOURCE = "edited scorecard"


@dataclass(frozen=True)
class VersionView:
    id: int
    scorecard_key: str
    version: str
    name: str
    active: bool
    created_at: datetime
    yaml_text: str

    @property
    def label(self) -> str:
        """The human version label from the YAML ("2026.1") with the content hash's start."""
        try:
            document = yaml.safe_load(self.yaml_text)
        except yaml.YAMLError:
            document = None
        named = document.get("version") if isinstance(document, dict) else None
        return f"{named} ({self.version[:8]})" if named is not None else self.version[:8]


@dataclass(frozen=True)
class ScorecardHistory:
    """One scorecard and all its stored versions, newest first."""

    key: str
    name: str
    versions: tuple[VersionView, ...]

    @property
    def active(self) -> VersionView | None:
        return next((v for v in self.versions if v.active), None)


@dataclass(frozen=True)
class YamlProblem:
    """Where in the YAML something is wrong ('' for the whole file) and what (a message the
    page shows in the reader's language)."""

    where: str
    message: Explanation


def scorecard_histories(session: Session, viewer: Viewer) -> list[ScorecardHistory]:
    ensure_role(viewer, *LEADS)  # QA leads read them to set up calibration
    rows = session.scalars(
        select(ScorecardVersion).order_by(
            ScorecardVersion.scorecard_key,
            ScorecardVersion.created_at.desc(),
            ScorecardVersion.id.desc(),
        )
    ).all()
    grouped: dict[str, list[VersionView]] = {}
    for row in rows:
        grouped.setdefault(row.scorecard_key, []).append(version_view(row))
    return [
        ScorecardHistory(key, (next((v for v in vs if v.active), vs[0])).name, tuple(vs))
        for key, vs in grouped.items()
    ]


def version_view(row: ScorecardVersion) -> VersionView:
    return VersionView(
        row.id, row.scorecard_key, row.version, row.name, row.active, row.created_at, row.yaml_text
    )


def yaml_problems(yaml_text: str) -> list[YamlProblem]:
    """Everything wrong with an edited scorecard, each at its field; empty when it loads."""
    try:
        load_scorecard_text(yaml_text, EDITED_SOURCE)
    except ScorecardFileError as error:
        return [YamlProblem(where, message) for where, message in error.problems]
    return []


def save_version(session: Session, viewer: Viewer, yaml_text: str) -> VersionView:
    """Store an edited scorecard as an inactive version (the same text returns that version)."""
    ensure_role(viewer, Role.admin)
    return version_view(scorecard_store.save_scorecard_version(session, yaml_text, viewer.user_id))


def activate(session: Session, viewer: Viewer, version_id: int) -> None:
    ensure_role(viewer, Role.admin)
    scorecard_store.activate_version(session, version_id, viewer.user_id)


@dataclass(frozen=True)
class TrialCall:
    id: int
    label: str


def trial_calls(session: Session, viewer: Viewer, limit: int = 200) -> list[TrialCall]:
    """Processed calls with a transcript, newest first: what a scorecard can be tried on."""
    ensure_role(viewer, Role.admin)
    rows = session.execute(
        select(Call.id, Call.external_id, Call.language)
        .join(Transcript, Transcript.call_id == Call.id)
        .where(Call.status == CallStatus.done)
        .order_by(Call.started_at.desc(), Call.id.desc())
        .limit(limit)
    )
    return [TrialCall(i, f"{ext} ({lang or '?'})") for i, ext, lang in rows]


def try_on_call(
    session: Session, viewer: Viewer, yaml_text: str, call_id: int, language: str
) -> Evaluation:
    """Score a stored call with an edited (unsaved) scorecard; nothing is written. Names are
    in `language` where the edited YAML has them in it."""
    ensure_role(viewer, Role.admin)
    scorecard: Scorecard = load_scorecard_text(yaml_text, EDITED_SOURCE)
    call = session.get(Call, call_id)
    row = session.scalar(select(Transcript).where(Transcript.call_id == call_id))
    if call is None or row is None:
        raise NotFound(
            _("call {id} has no stored transcript to try the scorecard on").format(id=call_id)
        )
    (evaluation,) = score_call(load_transcript(row), call_metadata(call), [scorecard])
    return localize_with(texts_of(scorecard.definition), evaluation, language)
