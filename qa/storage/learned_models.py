"""Learned model versions in the database: the center's retrained models, one active per name.

A new version is stored inactive; an admin activates it, and from then on new calls are scored
with it (each verdict records `name@version`). With no active stored version, the model shipped
in `scorecards/models/` scores.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from qa.errors import NotFound
from qa.i18n import _
from qa.storage import audit
from qa.storage.models import LearnedModelVersion
from scorecards.learned import TextClassifier


def store_version(
    session: Session, classifier: TextClassifier, report: dict[str, Any]
) -> LearnedModelVersion:
    """Add a version (inactive), or return the stored one with the same content."""
    existing = session.scalar(
        select(LearnedModelVersion).where(
            LearnedModelVersion.name == classifier.name,
            LearnedModelVersion.version == classifier.version,
        )
    )
    if existing is not None:
        return existing
    row = LearnedModelVersion(
        name=classifier.name,
        version=classifier.version,
        weights=classifier.to_bytes(),
        report=report,
        active=False,
    )
    session.add(row)
    session.flush()
    audit.record(
        session, "model.store", "learned_model", row.id, name=row.name, version=row.version
    )
    return row


def activate_version(session: Session, version_id: int, actor_id: int | None = None) -> None:
    """Make this version the one that scores new calls; the others of its name go inactive."""
    row = session.get(LearnedModelVersion, version_id)
    if row is None:
        raise NotFound(_("there is no learned model version with id {id}").format(id=version_id))
    session.execute(
        update(LearnedModelVersion)
        .where(LearnedModelVersion.name == row.name)
        .values(active=LearnedModelVersion.id == row.id)
    )
    audit.record(
        session, "model.activate", "learned_model", row.id, actor_id,
        name=row.name, version=row.version,
    )  # fmt: skip


def active_classifiers(session: Session) -> dict[str, TextClassifier]:
    """The activated versions by name (shipped models fill in for the rest at scoring)."""
    rows = session.execute(
        select(LearnedModelVersion.id, LearnedModelVersion.version).where(
            LearnedModelVersion.active.is_(True)
        )
    ).all()
    return {c.name: c for c in (_classifier(session, i, v) for i, v in rows)}


def model_versions(session: Session) -> list[LearnedModelVersion]:
    return list(
        session.scalars(select(LearnedModelVersion).order_by(LearnedModelVersion.id.desc()))
    )


_PARSED: dict[tuple[int, str], TextClassifier] = {}


def _classifier(session: Session, version_id: int, version: str) -> TextClassifier:
    """Parsed once per process and version (a version's weights never change)."""
    key = (version_id, version)
    if key not in _PARSED:
        row = session.get_one(LearnedModelVersion, version_id)
        _PARSED[key] = TextClassifier.from_bytes(row.weights)
    return _PARSED[key]
