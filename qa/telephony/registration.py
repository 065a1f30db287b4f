"""What every phone-system import shares: the agent table, the consent rule, the recordings
folder, and registering a planned import in the database.

Each importer (Asterisk, Twilio, Amazon Connect, Genesys Cloud) only reads its own format and
fills an `ImportPlan`; the rules below (consent never assumed, metadata only without consent,
abandoned calls counted, recordings still being written left for later) live here once.
"""

from __future__ import annotations

import csv
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from qa.errors import QAError
from qa.i18n import _, ngettext
from qa.locale_format import join
from qa.pipeline.ingest import register_recording, register_without_recording
from qa.pipeline.manifest import ManifestRow
from qa.settings import Settings
from qa.storage.db import session_scope
from qa.storage.models import CallStatus
from qa.telephony.recording_legs import Leg, Recording, last_written, leg_of, mix_or_legs

AUDIO_SUFFIXES = {".wav", ".mp3", ".ogg", ".opus", ".flac", ".gsm", ".wav49", ".webm", ".m4a"}
NO_RECORDING = "-"


class AgentTableError(QAError):
    """The agent table cannot be read."""


@dataclass(frozen=True)
class AgentEntry:
    agent_id: str
    agent_name: str | None
    team: str | None
    recording_consent: bool


def read_agent_table(path: Path) -> dict[str, AgentEntry]:
    """Phone-system identity → agent, from a CSV: extension, agent_id, agent_name, team,
    recording_consent. `extension` is the PBX extension, or the Twilio client identity,
    Amazon Connect username or Genesys Cloud user id."""
    if not path.is_file():
        raise AgentTableError(_("agent table not found: {path}").format(path=path))
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        needed = {"extension", "agent_id", "recording_consent"}
        missing = needed - set(reader.fieldnames or ())
        if missing:
            raise AgentTableError(
                ngettext(
                    "{path} lacks the column {columns}",
                    "{path} lacks the columns {columns}",
                    len(missing),
                ).format(path=path, columns=join(sorted(missing)))
            )
        table = {}
        for row in reader:
            extension = (row.get("extension") or "").strip()
            if extension:
                table[extension] = AgentEntry(
                    agent_id=row["agent_id"].strip(),
                    agent_name=(row.get("agent_name") or "").strip() or None,
                    team=(row.get("team") or "").strip() or None,
                    recording_consent=_yes(row.get("recording_consent") or ""),
                )
    return table


def _yes(value: str) -> bool:
    return value.strip().lower() in {"1", "yes", "y", "true", "да", "بله"}


@dataclass(frozen=True)
class ConsentRule:
    """How the admin's phone system shows that the customer agreed to the recording.

    Any one of: a field holding a value (a CDR column such as userfield = consent, a contact
    attribute set by the IVR flow), a queue whose announcement tells callers they are recorded,
    or an application's data on some leg (Asterisk: Playback(recording-notice)). With no rule
    configured, nobody has consented.
    """

    column: str | None = None
    value: str | None = None
    queues: frozenset[str] = frozenset()
    app_data: str | None = None

    @property
    def configured(self) -> bool:
        return bool((self.column and self.value) or self.queues or self.app_data)

    def require(self) -> None:
        """Refuse an import without a rule: consent is never assumed."""
        if not self.configured:
            raise QAError(
                _(
                    "no consent rule: choose --consent-column/--consent-value, --consent-queue "
                    "or (Asterisk) --consent-app-data (consent is never assumed)"
                )
            )

    def customer_consented(
        self,
        fields: Iterable[Mapping[str, str]],
        queue: str | None,
        applications: Iterable[str] = (),
    ) -> bool:
        """`fields`: the call's columns or attributes; `applications`: `app(data)` per leg."""
        if self.column and self.value:
            wanted = self.value.lower()
            if any(str(f.get(self.column, "")).lower() == wanted for f in fields):
                return True
        if queue and queue in self.queues:
            return True
        if self.app_data:
            needle = self.app_data.lower()
            return any(needle in application.lower() for application in applications)
        return False


@dataclass(frozen=True)
class ImportSettings:
    client: str
    recordings: Path
    agents: dict[str, AgentEntry]
    consent: ConsentRule
    agent_channel: str = "right"
    settle_seconds: float = 5.0
    # Calls recorded as two legs (Asterisk): the leg that carries the agent on inbound calls.
    # MixMonitor runs on the caller's channel there, so what it transmits to the caller is the
    # agent; outbound calls are recorded on the agent's own channel and take the other leg.
    agent_leg: Leg = "transmit"


@dataclass
class ImportPlan:
    """What an import will register: calls with a recording, abandoned calls, and problems."""

    recorded: list[tuple[ManifestRow, Recording]] = field(default_factory=list)
    metadata_only: list[ManifestRow] = field(default_factory=list)
    abandoned: list[ManifestRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # recordings still being written

    def add_answered(
        self,
        row: dict[str, object],
        found: tuple[Recording | None, str],
        settle_seconds: float,
        where: str,
    ) -> None:
        """An answered call: recorded when its recording is there and finished writing,
        waiting while it is still being written, metadata only when there is none."""
        source, reason = found
        if source is None:
            self.problems.append(
                _("{where}: {reason}; the call keeps its metadata only").format(
                    where=where, reason=reason
                )
            )
            self.metadata_only.append(
                ManifestRow.model_validate(row | {"audio_file": NO_RECORDING})
            )
        elif still_being_written(source, settle_seconds):
            self.waiting.append(str(row["call_id"]))
        else:
            self.recorded.append(
                (ManifestRow.model_validate(row | {"audio_file": source.name}), source)
            )

    def add_abandoned(self, row: dict[str, object]) -> None:
        self.abandoned.append(ManifestRow.model_validate(row | {"audio_file": NO_RECORDING}))


def still_being_written(recording: Recording, settle_seconds: float) -> bool:
    """A file modified within `settle_seconds` may still be growing: leave it for later."""
    return time.time() - last_written(recording) < settle_seconds


def agent_fields(agent: AgentEntry | None) -> dict[str, object]:
    """The manifest fields an agent table entry fills, and the agent's own consent."""
    return {
        "agent_id": agent.agent_id if agent else None,
        "agent_name": agent.agent_name if agent else None,
        "team": agent.team if agent else None,
        "agent_consent": bool(agent and agent.recording_consent),
    }


class RecordingFolder:
    """The audio files under the recordings folder, found by name, stem or a key in the name,
    and the pairs of leg files (`<name>-in`/`-out`, `-r`/`-t`) a PBX may write for one call.

    Only files inside the folder are taken: a link that resolves elsewhere is a problem.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        if not self.root.is_dir():
            raise QAError(_("recordings folder not found: {folder}").format(folder=root))
        self._by_name: dict[str, Path] = {}
        self._by_stem: dict[str, Path] = {}
        self._legs: dict[str, dict[Leg, Path]] = defaultdict(dict)  # the mix's name → its legs
        for path in sorted(self.root.rglob("*")):
            if path.suffix.lower() in AUDIO_SUFFIXES and path.is_file():
                self._by_name.setdefault(path.name, path)
                self._by_stem.setdefault(path.stem, path)
                split = leg_of(path)
                if split is not None:
                    self._legs[split[0]].setdefault(split[1], path)

    def named(self, name: str) -> tuple[Path | None, str]:
        found = self._by_name.get(Path(name).name)
        if found is None:
            return None, self._not_found(name)
        return self._inside(found)

    def mix_or_legs(self, name: str) -> tuple[Path | dict[Leg, Path] | None, str]:
        """The recording `name` (a mix's, or either leg's, file name) where calls may be recorded
        as two legs, by `recording_legs.mix_or_legs`."""
        split = leg_of(Path(name))
        mix = split[0] if split else Path(name).name
        found, reason = mix_or_legs(mix, self._legs.get(mix, {}), self._by_name.get(mix))
        if isinstance(found, dict):
            return self._legs_inside(found)
        if found is not None:
            return self._inside(found)
        return None, reason or self._not_found(name)

    def with_stem(self, stem: str) -> tuple[Path | None, str]:
        """The recording `stem.<any audio extension>` (a download named after its id)."""
        found = self._by_stem.get(stem)
        if found is None:
            return None, _("no recording named {stem}.* under {folder}").format(
                stem=stem, folder=self.root
            )
        return self._inside(found)

    def keyed(self, pattern: re.Pattern[str]) -> dict[str, Path]:
        """Files by the key `pattern`'s first group finds in their name (e.g. a uniqueid)."""
        keys: dict[str, Path] = {}
        for name, path in self._by_name.items():
            match = pattern.search(name)
            if match:
                keys.setdefault(match.group(1), path)
        return keys

    def _not_found(self, name: str) -> str:
        return _("recording {file} not found under {folder}").format(
            file=Path(name).name, folder=self.root
        )

    def inside(self, path: Path) -> tuple[Path | None, str]:
        return self._inside(path)

    def _inside(self, path: Path) -> tuple[Path | None, str]:
        resolved = path.resolve()
        if not resolved.is_relative_to(self.root):
            return None, _("recording {file} points outside {folder}").format(
                file=path.name, folder=self.root
            )
        return resolved, ""

    def _legs_inside(self, legs: dict[Leg, Path]) -> tuple[dict[Leg, Path] | None, str]:
        resolved: dict[Leg, Path] = {}
        for leg, path in legs.items():
            inside, reason = self._inside(path)
            if inside is None:
                return None, reason
            resolved[leg] = inside
        return resolved, ""


@dataclass
class RegistrationReport:
    new: int = 0
    to_process: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def register_plan(database_url: str, plan: ImportPlan, settings: Settings) -> RegistrationReport:
    """Store a planned import: each call in its own transaction, so one bad call is reported
    and the others go on; importing again adds nothing (calls are known by id)."""
    report = RegistrationReport(problems=list(plan.problems))
    for row, source in plan.recorded:
        try:
            registered = register_recording(database_url, row, source, settings)
        except (QAError, OSError) as error:
            report.problems.append(_("{where}: {problem}").format(where=row.call_id, problem=error))
            continue
        report.new += registered.new
        if registered.error is not None:
            report.problems.append(
                _("{call}: recording refused: {error}").format(
                    call=row.call_id, error=registered.error
                )
            )
        if registered.needs_processing:
            report.to_process.append(registered.call_id)
    for rows, status in (
        (plan.abandoned, CallStatus.abandoned),
        (plan.metadata_only, CallStatus.no_recording),
    ):
        for row in rows:
            with session_scope(database_url) as session:
                report.new += register_without_recording(session, row, status, settings).new
    return report
