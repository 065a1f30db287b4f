"""Pipeline fixtures: the demo calls ingested once per database kind, with the real model."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from qa import i18n
from qa.pipeline.ingest import IngestReport, ingest_manifest
from qa.pipeline.runner import run_calls
from qa.settings import Settings
from qa.storage.bootstrap import initialize_database
from tests.conftest import REPO_ROOT, fresh_database
from tests.qa.mail_server import smtp  # noqa: F401 (a fixture: a real SMTP server)

DEMO_DIR = REPO_ROOT / "data" / "demo"
# Enough to cover every branch of the pipeline while transcribing only three calls.
DEMO_SUBSET = (
    "demo_en_polite_resolved",
    "demo_en_rude",
    "demo_en_card_number",
    "demo_ru_no_consent",
    "demo_fa_no_consent",
)


@dataclass(frozen=True)
class IngestedDemo:
    database_url: str
    settings: Settings
    manifest: Path
    report: IngestReport


def write_manifest(path: Path, call_ids: tuple[str, ...], audio_dir: Path = DEMO_DIR) -> Path:
    """A manifest with just these demo rows, their recordings copied beside it.

    Recordings must lie in the manifest's folder (callqa refuses paths out of it), so the
    demo files are copied there (small), unless `audio_dir` already is that folder.
    """
    with (DEMO_DIR / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = [r for r in reader if r["call_id"] in call_ids]
    if audio_dir.resolve() != path.parent.resolve():
        for row in rows:
            shutil.copyfile(audio_dir / row["audio_file"], path.parent / row["audio_file"])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def settings_for(home: Path) -> Settings:
    return Settings(home=home, workers=1)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def ingested_demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IngestedDemo]:
    """A subset of the demo ingested and processed once per database kind and test module."""
    home = tmp_path_factory.mktemp(f"demo-{request.param}")
    with fresh_database(request.param, home) as url:
        initialize_database(url)
        settings = settings_for(home)
        manifest = write_manifest(home / "manifest.csv", DEMO_SUBSET)
        report = ingest_manifest(url, manifest, settings)
        run_calls(url, report.to_process, settings)
        yield IngestedDemo(url, settings, manifest, report)


def run_cli(
    *args: str,
    home: Path,
    database_url: str,
    timeout: float = 300,
    extra_env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m qa ...` in a subprocess, as a user runs it."""
    env = {
        **os.environ,
        "CALLQA_HOME": str(home),
        "DATABASE_URL": database_url,
        **(extra_env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "qa", *args],
        cwd=REPO_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


Translations = dict[str | tuple[str, str], str | tuple[str, ...]]


@pytest.fixture
def russian_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[Translations], None]]:
    """The shipped Russian catalog plus the given translations, read by `qa.i18n` from a copy:
    a new message is shown translated before the integrator translates it in the real one."""

    def add(translations: Translations) -> None:
        with i18n.catalog_path("ru").open("rb") as source:
            catalog = read_po(source, locale="ru")
        for message, translation in translations.items():
            if message in catalog:  # add() would keep the shipped translation
                catalog.delete(message)
            catalog.add(message, translation)
        folder = tmp_path / "locale" / "ru" / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / f"{i18n.DOMAIN}.po").open("wb") as target:
            write_po(target, catalog)
        monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
        i18n.translations.cache_clear()

    yield add
    i18n.translations.cache_clear()  # the next lookup, after monkeypatch's undo, reads the real one
