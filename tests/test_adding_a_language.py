"""docs/languages.md, "Adding a language", followed step by step on a copy of the code.

Turkish goes into the registry, the phrase lists, a scorecard's tips and a new catalog (the
documented `pybabel init`), and nothing else: the copy then detects, scores, stores and shows
Turkish like the three shipped languages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po

REPO_ROOT = Path(__file__).resolve().parents[1]
CODE = ("languages", "qa", "scorecards", "transcription", "app.py", "babel.cfg")
TURKISH = """
- code: tr
  name: Turkish
  native_name: Türkçe
  direction: ltr
  calendar: gregorian
  digits: latin
  week_start: monday
  whisper: tr
  locale: tr_TR
"""
CHECKS = r"""
from datetime import date
import languages
from qa import i18n, locale_format
from qa.settings import Settings
from qa.storage.db import session_scope
from qa.storage.directory import create_user
from qa.storage.migrate import upgrade_to_head
from qa.ui.components.labels import language_label
from scorecards.engine import score_call
from scorecards.loader import shipped_scorecards
from transcription.options import TranscriptionOptions
from transcription.transcript import CallMetrics, CallTranscript, Utterance

assert languages.codes() == ("fa", "ru", "en", "tr")
assert Settings().languages == ["fa", "ru", "en", "tr"]
assert TranscriptionOptions().languages == ("fa", "ru", "en", "tr")
assert languages.whisper_code("tr") == "tr" and language_label("tr") == "Türkçe"

script = next(s for s in shipped_scorecards() if s.id == "script")
assert "tr" in script.languages and "merhaba" in script.phrase_lists["greeting"]["tr"]
def turkish(text):
    utterance = Utterance("agent", 0.5, 3.0, text)
    return CallTranscript("tr", 0.9, 30.0, "stereo", (utterance,), CallMetrics())
greeted = score_call(turkish("Merhaba, nasıl yardımcı olabilirim?"), None, [script])[0]
silent = score_call(turkish("Evet."), None, [script])[0]
assert greeted.verdict("greeting").outcome == "pass"
assert silent.verdict("greeting").outcome == "fail"
assert silent.verdict("greeting").coaching_tip == "Her aramayı bir selamla açın."

url = "sqlite:///" + str(__import__("pathlib").Path("tr.sqlite3").resolve())
upgrade_to_head(url)
with session_scope(url) as session:
    assert create_user(session, "ayse", "password-1234", "admin", language="tr").language == "tr"

with i18n.language("tr"):
    assert i18n._("Call review") == "Çağrı incelemesi"
    assert i18n._("Sign out") == "Sign out"  # untranslated yet: English, never an error
    assert locale_format.format_date(date(2026, 11, 28)) == "28 Kas 2026"
    assert locale_format.week_start_day() == 0
print("turkish works")
"""


def _copy_code(target: Path) -> None:
    for name in CODE:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)


def _add_to_yaml_list(path: Path, language: str, entries: list[str]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[language] = entries
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_fourth_language_needs_only_the_registry_and_data_files(tmp_path: Path) -> None:
    copy = tmp_path / "callqa"
    copy.mkdir()
    _copy_code(copy)
    # 1. The registry.
    registry = copy / "languages" / "registry.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + TURKISH, encoding="utf-8")
    # 2. Phrases, the scorecard's languages and a coaching tip.
    phrases = copy / "scorecards" / "library" / "phrases" / "greeting.yaml"
    _add_to_yaml_list(phrases, "tr", ["merhaba", "iyi günler", "hoş geldiniz"])
    card = copy / "scorecards" / "library" / "script.yaml"
    text = card.read_text(encoding="utf-8").replace(
        "languages: [en, ru, fa]", "languages: [en, ru, fa, tr]"
    )
    tip = (
        '          en: Open every call with a greeting, e.g. "Thank you for calling, good morning".'  # noqa: E501
    )
    text = text.replace(tip, tip + "\n          tr: Her aramayı bir selamla açın.")
    card.write_text(text, encoding="utf-8")
    # 3. The interface catalog, made by the documented command and translated (one message).
    locale = copy / "qa" / "locale"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "init", "-i", str(locale / "messages.pot"), "-d", str(locale), "-l", "tr"],
        check=True,
        capture_output=True,
    )
    po = locale / "tr" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as source:
        catalog = read_po(source, locale="tr")
    catalog["Call review"].string = "Çağrı incelemesi"
    with po.open("wb") as target:
        write_po(target, catalog)

    env = {k: v for k, v in os.environ.items() if not k.startswith(("CALLQA_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", CHECKS],
        cwd=copy,
        env={**env, "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "turkish works" in result.stdout
