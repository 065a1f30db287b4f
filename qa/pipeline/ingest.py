"""Ingest: manifest rows become call records; consented audio goes into storage, queued.

Each row is its own transaction, so one bad row (missing file, unknown agent) is reported
with its line number while the others go on, and a crash leaves every finished row intact.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa.erasure import customer_ref, erase_calls
from qa.errors import QAError
from qa.i18n import _
from qa.pipeline.audio_store import sha256_of, store_audio
from qa.pipeline.consent import consent_given, reject_without_consent
from qa.pipeline.manifest import ManifestRow, RowProblem, read_manifest
from qa.pipeline.recording_paths import inside_folder, resolve_recording
from qa.settings import Settings
from qa.storage import audit, directory
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus
from qa.telephony.recording_legs import (
    Leg,
    Recording,
    RecordingLegs,
    agent_first,
    leg_of,
    legs_beside,
    merge_legs,
    mix_or_legs,
)
from scorecards.personal_data import mask_text
from transcription.errors import TranscriptionError
from transcription.probe import probe_audio

# A row clashes with a concurrent ingest at most once per thing it creates (client, team,
# agent, call); a few tries settle every clash.
ROW_TRIES = 5


class LoneLeg(QAError):
    """A row names one leg of a call recorded as two, and the other leg is not there."""


class DuplicateCall(QAError):
    """The call id or its recording is already stored under another identity."""


@dataclass(frozen=True)
class RegisteredCall:
    call_id: int
    external_id: str
    status: CallStatus
    # False when the call was already stored from an earlier ingest.
    new: bool
    # Why the recording was refused (status needs_admin), for the person ingesting it.
    error: str | None = None
    # True when a stored call was erased because its consent was withdrawn.
    erased: bool = False

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
    def erased(self) -> list[RegisteredCall]:
        return [c for c in self.calls if c.erased]

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

    With `only_files`, just the rows whose audio is one of those files (by resolved path inside
    the folder, never by bare name), and a file no row describes is reported. A row whose
    audio_file lies outside the folder is a row problem and nothing of it is copied.
    `on_row` is called after each row, for a progress bar.
    """
    parsed = read_manifest(manifest)
    report = IngestReport(problems=list(parsed.problems))
    root = audio_root or manifest.parent
    wanted, outside = _files_in_folder(root, only_files)
    report.problems += [
        RowProblem(0, None, _("{file}: not inside the manifest's folder {folder}").format(
            file=path, folder=root
        ))
        for path in outside
    ]  # fmt: skip
    choosing = bool(wanted or outside)
    described: set[Path] = set()
    for line, row in parsed.rows:
        try:
            source = manifest_recording(root, row, settings.manifest_agent_leg)
            files = recording_files(source)
            if choosing and not wanted.keys() & set(files):
                continue
            described.update(files)
            registered = register_recording(database_url, row, source, settings, create_unknown)
            report.calls.append(registered)
            if registered.error is not None:
                message = _("recording refused: {error}").format(error=registered.error)
                report.problems.append(RowProblem(line, row.call_id, message))
        except (QAError, OSError) as error:
            report.problems.append(RowProblem(line, row.call_id, str(error)))
        if on_row is not None:
            on_row()
    for path in sorted(set(wanted) - described):
        report.problems.append(
            RowProblem(0, None, _("{file}: no manifest row describes it").format(file=wanted[path]))
        )
    return report


def _files_in_folder(root: Path, files: Iterable[Path]) -> tuple[dict[Path, Path], list[Path]]:
    """Files named on the command line, by resolved path, and those outside the folder.

    A file is matched to the row whose `audio_file` resolves to the same path, so two
    recordings with one name in different sub-folders never share a row (and its consent).
    """
    wanted: dict[Path, Path] = {}
    outside: list[Path] = []
    for path in files:
        resolved = inside_folder(root, path)
        if resolved is None:
            outside.append(path)
        else:
            wanted[resolved] = path
    return wanted, outside


def manifest_recording(root: Path, row: ManifestRow, inbound_agent_leg: Leg) -> Recording:
    """The recording a row names (a mix, or either leg of a call the PBX wrote as two), inside
    `root`, chosen by `recording_legs.mix_or_legs`; a file that is not there is returned as
    named, for `register_call` to report. LoneLeg: one leg without its partner or a mix."""
    named = resolve_recording(root, row.audio_file)
    split = leg_of(named)
    mix = named.with_name(split[0]) if split else named
    beside = {leg: inside_folder(root, path) for leg, path in legs_beside(named).items()}
    legs = {leg: path for leg, path in beside.items() if path is not None}
    found, reason = mix_or_legs(mix.name, legs, inside_folder(root, mix) if mix.is_file() else None)
    if isinstance(found, dict):
        return agent_first(found, row.direction, inbound_agent_leg)
    if reason:
        raise LoneLeg(reason)
    return found or named


def recording_files(recording: Recording) -> tuple[Path, ...]:
    """The files a recording is read from: one, or its two legs."""
    if isinstance(recording, RecordingLegs):
        return recording.agent, recording.customer
    return (recording,)


def register_recording(
    database_url: str,
    row: ManifestRow,
    source: Recording,
    settings: Settings,
    create_unknown: bool = True,
) -> RegisteredCall:
    """One recorded call in its own transaction; a clash with another ingest storing the same
    call, client or agent at the same moment is settled by reading what that one stored.

    Two legs are merged into one two-channel file first, which callqa then owns: moved into
    storage, or deleted without consent (a customer's own files are only read)."""
    for attempt in range(ROW_TRIES):
        try:
            if isinstance(source, Path):
                with session_scope(database_url) as session:
                    return register_call(
                        session, row, source, settings, create_unknown=create_unknown
                    )
            return _register_legs(database_url, row, source, settings, create_unknown)
        except IntegrityError:
            if attempt == ROW_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def _register_legs(
    database_url: str,
    row: ManifestRow,
    legs: RecordingLegs,
    settings: Settings,
    create_unknown: bool,
) -> RegisteredCall:
    with tempfile.TemporaryDirectory(prefix="callqa-legs-") as staging:
        max_duration = settings.max_audio_hours * 3600.0
        try:
            merged = merge_legs(legs, row.agent_channel, Path(staging), max_duration)
        except TranscriptionError as error:
            # The reason names the leg, and phone systems put callers' numbers in file names.
            raise QAError(mask_text(str(error))) from None
        with session_scope(database_url) as session:
            return register_call(
                session, row, merged, settings, create_unknown=create_unknown, uploaded=True
            )


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
        raise QAError(_("audio file not found: {path}").format(path=source))
    sha256 = sha256_of(source)
    existing = _existing(session, row.call_id, sha256)
    withdrawn = existing is not None and consent_given(existing) and not row.consent_given
    if withdrawn and existing is not None:
        # Consent withdrawn since the call was stored: erase it, keep the metadata-only call.
        erase_calls(session, [existing.id], "consent withdrawn", actor_id)
    elif existing is not None:
        if uploaded:
            source.unlink(missing_ok=True)
        return RegisteredCall(existing.id, existing.external_id, existing.status, new=False)
    call = _new_call(session, row, sha256, create_unknown, settings.customer_key)
    if consent_given(call):
        try:
            probe_audio(source, settings.max_audio_hours * 3600.0)
        except TranscriptionError as error:
            _refuse_recording(session, call, source, error, uploaded=uploaded, actor_id=actor_id)
            return RegisteredCall(
                call.id, call.external_id, call.status, True, error=mask_text(str(error))
            )
        call.audio_path = str(store_audio(source, settings.audio_dir, sha256, move=uploaded))
        session.flush()
        audit.record(
            session, "call.ingest", "call", call.id, actor_id, external_id=call.external_id
        )
    else:
        reject_without_consent(session, call, source, uploaded=uploaded, actor_id=actor_id)
    return RegisteredCall(call.id, call.external_id, call.status, new=True, erased=withdrawn)


def _refuse_recording(
    session: Session,
    call: Call,
    source: Path,
    error: TranscriptionError,
    *,
    uploaded: bool,
    actor_id: int | None,
) -> None:
    """Keep the call's metadata with the reason, but never store an unusable recording."""
    # The reason names the file, and phone systems put callers' numbers in file names.
    reason = mask_text(str(error))
    call.status, call.error = CallStatus.needs_admin, reason
    session.flush()
    audit.record(session, "call.refused", "call", call.id, actor_id, error=reason)
    if uploaded:
        source.unlink(missing_ok=True)


def register_without_recording(
    session: Session,
    row: ManifestRow,
    status: CallStatus,
    settings: Settings,
    *,
    create_unknown: bool = True,
) -> RegisteredCall:
    """Keep a call the phone system reported without audio (abandoned, recording missing).

    It counts in the telephony KPIs and is never processed; importing it again adds nothing.
    """
    existing = session.scalar(select(Call).where(Call.external_id == row.call_id))
    if existing is not None:
        return RegisteredCall(existing.id, existing.external_id, existing.status, new=False)
    call = _new_call(session, row, None, create_unknown, settings.customer_key)
    call.status = status
    session.flush()
    audit.record(session, f"call.{status.value}", "call", call.id, None)
    return RegisteredCall(call.id, call.external_id, call.status, new=True)


def _existing(session: Session, external_id: str, sha256: str) -> Call | None:
    """The same call from an earlier ingest; a clash of id or recording is an error."""
    by_id = session.scalar(select(Call).where(Call.external_id == external_id))
    if by_id is not None:
        if by_id.audio_sha256 != sha256:
            raise DuplicateCall(
                _("call {call} is already stored with a different recording").format(
                    call=external_id
                )
            )
        return by_id
    by_audio = session.scalar(select(Call).where(Call.audio_sha256 == sha256))
    if by_audio is not None and by_audio.external_id == external_id:
        # Another ingest committed this very call between the two reads (PostgreSQL reads
        # each statement afresh): it is the same call, not a clash.
        return by_audio
    if by_audio is not None:
        raise DuplicateCall(
            _("this recording is already stored as call {call}").format(call=by_audio.external_id)
        )
    return None


def _new_call(
    session: Session,
    row: ManifestRow,
    sha256: str | None,
    create_unknown: bool,
    customer_key: str,
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
        customer_ref=customer_ref(row.customer_id, customer_key) if row.customer_id else None,
        agent_channel=row.agent_channel,
        status=CallStatus.pending,
        attempts=0,
    )
    session.add(call)
    session.flush()
    return call
