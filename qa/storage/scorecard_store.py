"""Scorecard versions in the database: one row per (scorecard, content hash), one active each.

Evaluations point at the exact version that produced them, so editing a scorecard never
rewrites history: a new version is added, activated, and later calls (or a rescore) use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from qa.errors import NotFound
from qa.i18n import _
from qa.locale_format import join
from qa.storage import audit
from qa.storage.evaluations import recount
from qa.storage.models import ScorecardVersion

UPLOADED_SOURCE = "<uploaded>"


@dataclass(frozen=True)
class ActiveScorecard:
    """A loaded scorecard together with the id of the version row it was loaded from."""

    version_id: int
    scorecard: Any  # scorecards.loader's Scorecard


def load_version(row: ScorecardVersion) -> Any:
    """Parse a stored version back into a scorecard object (once per process and version)."""
    return _parse_version(row.id, row.yaml_text)


@lru_cache(maxsize=64)
def _parse_version(version_id: int, yaml_text: str) -> Any:
    # Keyed on the text too: a version's text never changes, but a test database may reuse ids.
    from scorecards.loader import load_scorecard_text

    return load_scorecard_text(yaml_text, f"scorecard version {version_id}")


def sync_shipped_scorecards(
    session: Session, extra_dir: Path | None = None
) -> list[ScorecardVersion]:
    """Store the scorecards shipped with callqa (and those in `extra_dir`); new content wins.

    A scorecard whose content changed gets a new version that becomes the active one; a
    version already stored is left as it is, so an admin's choice of active version
    survives restarts until the file itself changes.
    """
    from scorecards.loader import load_scorecards_dir, shipped_scorecards

    scorecards = shipped_scorecards()
    if extra_dir is not None:
        scorecards += load_scorecards_dir(extra_dir)
    added = []
    for scorecard in scorecards:
        # With its phrase lists written in, so a stored version scores the same forever.
        row, created = _store(session, scorecard.self_contained_yaml(), scorecard)
        if created:
            _activate(session, row)
            audit.record(
                session, "scorecard.sync", "scorecard_version", row.id, key=row.scorecard_key
            )
            added.append(row)
    return added


def save_scorecard_version(
    session: Session, yaml_text: str, actor_id: int | None = None
) -> ScorecardVersion:
    """Validate and store an edited scorecard; it stays inactive until activated.

    Saving text identical to a stored version returns that version instead of a duplicate.
    """
    from scorecards.loader import load_scorecard_text

    row, created = _store(session, yaml_text, load_scorecard_text(yaml_text, UPLOADED_SOURCE))
    if created:
        audit.record(
            session, "scorecard.save", "scorecard_version", row.id, actor_id, key=row.scorecard_key
        )
    return row


def activate_version(session: Session, version_id: int, actor_id: int | None = None) -> None:
    """Make this version the one new calls are scored with; the previous one is kept."""
    row = session.get(ScorecardVersion, version_id)
    if row is None:
        raise NotFound(_("no scorecard version {id}").format(id=version_id))
    _activate(session, row)
    audit.record(
        session, "scorecard.activate", "scorecard_version", row.id, actor_id, key=row.scorecard_key
    )


def deactivate_scorecard(session: Session, scorecard_key: str, actor_id: int | None = None) -> None:
    """Stop scoring new calls with this scorecard (no version stays active)."""
    session.execute(
        update(ScorecardVersion)
        .where(ScorecardVersion.scorecard_key == scorecard_key)
        .values(active=False)
    )
    recount(session, scorecard_key)
    audit.record(session, "scorecard.deactivate", "scorecard", scorecard_key, actor_id)


def active_versions(session: Session, key: str | None = None) -> list[ScorecardVersion]:
    statement = select(ScorecardVersion).where(ScorecardVersion.active.is_(True))
    if key is not None:
        statement = statement.where(ScorecardVersion.scorecard_key == key)
    return list(session.scalars(statement.order_by(ScorecardVersion.scorecard_key)))


def active_scorecards(session: Session, key: str | None = None) -> list[ActiveScorecard]:
    """Every active scorecard, loaded, with its version row id (what scoring stores against)."""
    return [ActiveScorecard(row.id, load_version(row)) for row in active_versions(session, key)]


def scorecards_for_new_calls(session: Session) -> list[ActiveScorecard]:
    """The active scorecards; on a database that has never stored one, the shipped ones first.

    A database migrated without `init` would otherwise finish every call with no evaluation.
    Where an admin deactivated every scorecard, that choice stands: nothing is synced.
    """
    if session.scalar(select(ScorecardVersion.id).limit(1)) is None:
        sync_shipped_scorecards(session)
    return active_scorecards(session)


def stored_scorecard(session: Session, key: str, version: str) -> ActiveScorecard:
    """One stored version of a scorecard, active or not, loaded; a unique hash prefix will do."""
    rows = session.scalars(
        select(ScorecardVersion).where(
            ScorecardVersion.scorecard_key == key, ScorecardVersion.version.startswith(version)
        )
    ).all()
    if len(rows) != 1:
        known = join([r.version[:12] for r in versions_of(session, key)]) or _("none")
        problem = (
            _("scorecard {key} has no version {version} (stored: {known})")
            if not rows
            else _("scorecard {key} has more than one version starting with {version} "
                   "(stored: {known})")
        )  # fmt: skip
        raise NotFound(problem.format(key=repr(key), version=repr(version), known=known))
    return ActiveScorecard(rows[0].id, load_version(rows[0]))


def versions_of(session: Session, key: str) -> list[ScorecardVersion]:
    """All versions of one scorecard, newest first."""
    statement = (
        select(ScorecardVersion)
        .where(ScorecardVersion.scorecard_key == key)
        .order_by(ScorecardVersion.created_at.desc(), ScorecardVersion.id.desc())
    )
    return list(session.scalars(statement))


def _store(session: Session, yaml_text: str, scorecard: Any) -> tuple[ScorecardVersion, bool]:
    existing = session.scalar(
        select(ScorecardVersion).where(
            ScorecardVersion.scorecard_key == scorecard.id,
            ScorecardVersion.version == scorecard.version,
        )
    )
    if existing is not None:
        return existing, False
    row = ScorecardVersion(
        scorecard_key=scorecard.id,
        version=scorecard.version,
        name=scorecard.name,
        yaml_text=yaml_text,
        active=False,
    )
    session.add(row)
    session.flush()
    return row, True


def _activate(session: Session, row: ScorecardVersion) -> None:
    session.execute(
        update(ScorecardVersion)
        .where(ScorecardVersion.scorecard_key == row.scorecard_key, ScorecardVersion.id != row.id)
        .values(active=False)
    )
    row.active = True
    session.flush()
    recount(session, row.scorecard_key)
