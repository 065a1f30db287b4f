"""Ingest: manifest rows become call records; consented audio goes into storage, queued.

Each row is its own transaction, so one bad row (missing file, unknown agent) is reported
with its line number while the others go on, and a crash leaves every finished row intact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.errors import QAError
from qa.pipeline.audio_store import sha256_of, store_audio
from qa.pipeline.consent import consent_given, reject_without_consent
from qa.pipeline.manifest import ManifestRow, RowProblem, read_manifest
from qa.settings import Settings
from qa.storage import audit, directory
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus


class DuplicateCall(QAError):
    """The call id or its recording is already stored under another identity."""


@dataclass(frozen=True)
class RegisteredCall:
    call_id: int
    external_id: str
    status: CallStatus
    # False when the call was already stored from an earlier ingest.
    new: bool

    @property
    def needs_processing(self) -> bool:
        return self.status is CallStatus.pending


@dataclass
class IngestReport:
    calls: list[RegisteredCall] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def to_process(self) -> list[int]:
        return [c.call_id for c in self.calls if c.needs_processing]

    @property
    def rejected(self) -> list[RegisteredCall]:
        return [c for c in self.calls if c.status is CallStatus.rejected_no_consent]


def ingest_manifest(
    database_url: str,
    manifest: Path,
    settings: Settings,
    *,
    audio_root: Path | None = None,
    only_files: Iterable[Path] = (),
    create_unknown: bool = True,
    on_row: Callable[[], None] | None = None,
) -> IngestReport:
    """Register every row of `manifest`; audio paths are relative to `audio_root` (or its folder).

    With `only_files`, just the rows whose audio is one of those files, and a file no row
    describes is reported. `on_row` is called after each row, for a progress bar.
    """
    parsed = read_manifest(manifest)
    report = IngestReport(problems=list(parsed.problems))
    root = audio_root or manifest.parent
    # Files named on the command line are matched to rows by file name, wherever they lie.
    wanted = {p.name: p.resolve() for p in only_files}
    described: set[str] = set()
    for line, row in parsed.rows:
        source = (root / row.audio_file).resolve()
        if wanted:
            name = Path(row.audio_file).name
            if name not in wanted:
                continue
            described.add(name)
            source = wanted[name]
        try:
            with session_scope(database_url) as session:
                registered = register_call(
                    session, row, source, settings, create_unknown=create_unknown
                )
            report.calls.append(registered)
        except (QAError, OSError) as error:
            report.problems.append(RowProblem(line, row.call_id, str(error)))
        if on_row is not None:
            on_row()
    for name in sorted(set(wanted) - described):
        report.problems.append(RowProblem(0, None, f"{name}: no manifest row describes it"))
    return report


def register_call(
    session: Session,
    row: ManifestRow,
    source: Path,
    settings: Settings,
    *,
    create_unknown: bool = True,
    uploaded: bool = False,
    actor_id: int | None = None,
) -> RegisteredCall:
    """Store one call's metadata and pass it through the consent gate.

    `uploaded` marks a file that callqa itself received (an upload), which is moved into
    storage or, without consent, deleted; files from a customer's folder are only read.
    """
    if not source.is_file():
        raise QAError(f"audio file not found: {source}")
    sha256 = sha256_of(source)
    existing = _existing(session, row.call_id, sha256)
    if existing is not None:
        if uploaded:
            source.unlink(missing_ok=True)
        return RegisteredCall(existing.id, existing.external_id, existing.status, new=False)
    call = _new_call(session, row, sha256, create_unknown)
    if consent_given(call):
        call.audio_path = str(store_audio(source, settings.audio_dir, sha256, move=uploaded))
        session.flush()
        audit.record(
            session, "call.ingest", "call", call.id, actor_id, external_id=call.external_id
        )
    else:
        reject_without_consent(session, call, source, uploaded=uploaded, actor_id=actor_id)
    return RegisteredCall(call.id, call.external_id, call.status, new=True)


def register_without_audio(
    session: Session, row: ManifestRow, status: CallStatus, *, create_unknown: bool = True
) -> RegisteredCall:
    """Store only a call's metadata (an abandoned call, or one without consent and no file)."""
    existing = session.scalar(select(Call).where(Call.external_id == row.call_id))
    if existing is not None:
        return RegisteredCall(existing.id, existing.external_id, existing.status, new=False)
    call = _new_call(session, row, None, create_unknown)
    call.status = status
    session.flush()
    audit.record(session, f"call.{status.value}", "call", call.id, None, external_id=row.call_id)
    return RegisteredCall(call.id, call.external_id, call.status, new=True)


def _existing(session: Session, external_id: str, sha256: str) -> Call | None:
    """The same call from an earlier ingest; a clash of id or recording is an error."""
    by_id = session.scalar(select(Call).where(Call.external_id == external_id))
    if by_id is not None:
        if by_id.audio_sha256 != sha256:
            raise DuplicateCall(f"call {external_id} is already stored with a different recording")
        return by_id
    by_audio = session.scalar(select(Call).where(Call.audio_sha256 == sha256))
    if by_audio is not None:
        raise DuplicateCall(f"this recording is already stored as call {by_audio.external_id}")
    return None


def _new_call(
    session: Session, row: ManifestRow, sha256: str | None, create_unknown: bool
) -> Call:
    client = directory.get_or_create_client(session, row.client, create=create_unknown)
    team = directory.get_or_create_team(session, client, row.team) if row.team else None
    agent = None
    if row.agent_id:
        agent = directory.get_or_create_agent(
            session, row.agent_id, row.agent_name, team, create=create_unknown
        )
    call = Call(
        external_id=row.call_id,
        client_id=client.id,
        team_id=team.id if team else (agent.team_id if agent else None),
        agent_id=agent.id if agent else None,
        started_at=row.started_at,
        direction=row.direction,
        queue=row.queue,
        ring_seconds=row.ring_seconds,
        wait_seconds=row.wait_seconds,
        handle_seconds=row.handle_seconds,
        customer_feedback=row.customer_feedback,
        customer_consent=row.customer_consent,
        agent_consent=row.agent_consent,
        audio_sha256=sha256,
        language=row.language,
        agent_channel=row.agent_channel,
        status=CallStatus.pending,
        attempts=0,
    )
    session.add(call)
    session.flush()
    return call
