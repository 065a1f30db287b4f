"""vCon exchange: a call goes out as a vCon and comes back as the same call; foreign vCons keep
consent rules (no consent stated: metadata only, the audio is never stored)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.i18n import language
from qa.storage.db import session_scope
from qa.storage.models import Call, CallStatus, Evaluation, Transcript
from qa.telephony.vcon import VconError, read_vcon
from tests.qa.conftest import DEMO_DIR, Translations, run_cli, write_manifest


def _sqlite(folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'callqa.sqlite3'}"


def test_a_call_round_trips_through_a_vcon(tmp_path: Path) -> None:
    source_home, target_home = tmp_path / "a", tmp_path / "b"
    source, target = _sqlite(source_home), _sqlite(target_home)
    for home, url in ((source_home, source), (target_home, target)):
        assert run_cli("init", home=home, database_url=url).returncode == 0
    manifest = write_manifest(tmp_path / "manifest.csv", ("demo_en_rude",))
    ingest = run_cli("ingest", str(DEMO_DIR), "--manifest", str(manifest),
                     home=source_home, database_url=source)  # fmt: skip
    assert ingest.returncode == 0, ingest.stderr

    out = tmp_path / "call.vcon.json"
    exported = run_cli("vcon", "export", "demo_en_rude", "--out", str(out),
                       home=source_home, database_url=source)  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["vcon"] == "0.4.0" and document["dialog"][0]["type"] == "recording"
    assert {a["type"] for a in document["analysis"]} == {"transcript", "evaluation"}
    assert "tel" not in json.dumps(document["parties"])

    imported = run_cli("vcon", "import", str(out), home=target_home, database_url=target)
    assert imported.returncode == 0, imported.stderr
    with session_scope(source) as a, session_scope(target) as b:
        original = a.scalar(select(Call))
        copy = b.scalar(select(Call))
        assert copy is not None and original is not None
        assert copy.external_id == "demo_en_rude" and copy.status is CallStatus.done
        assert copy.audio_sha256 == original.audio_sha256
        assert (copy.agent_consent, copy.customer_consent) == (True, True)
        assert (copy.ring_seconds, copy.queue) == (original.ring_seconds, original.queue)
        assert b.scalar(select(Transcript)) is not None
        assert b.scalars(select(Evaluation)).all()
    again = run_cli("vcon", "import", str(out), home=target_home, database_url=target)
    assert again.returncode == 0  # the same recording again adds nothing


def test_a_foreign_vcon_without_stated_consent_keeps_metadata_only(tmp_path: Path) -> None:
    url = _sqlite(tmp_path)
    assert run_cli("init", home=tmp_path, database_url=url).returncode == 0
    audio = (DEMO_DIR / "demo_en_rude.ogg").read_bytes()
    foreign = {
        "vcon": "0.4.0",
        "uuid": "018bcfe5-6800-8626-9e41-346b98451fa5",
        "created_at": "2026-11-20T10:00:00+03:30",
        "parties": [{"name": "A"}, {"name": "B"}],
        "dialog": [{
            "type": "recording", "start": "2026-11-20T10:00:00+03:30", "parties": [0, 1],
            "mediatype": "audio/ogg", "encoding": "base64url",
            "body": base64.urlsafe_b64encode(audio).rstrip(b"=").decode(),
        }],
    }  # fmt: skip
    (tmp_path / "foreign.json").write_text(json.dumps(foreign))
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "by-url.json").write_text(json.dumps(
        foreign | {"uuid": "x", "dialog": [{"type": "recording", "start": "2026-11-20T10:00:00Z",
                                             "url": "https://example.com/a.wav"}]}
    ))  # fmt: skip
    result = run_cli("vcon", "import", "--client", "Bank", str(tmp_path / "foreign.json"),
                     str(tmp_path / "broken.json"), str(tmp_path / "by-url.json"),
                     home=tmp_path, database_url=url)  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "not JSON" in result.stderr and "URL" in result.stderr
    with session_scope(url) as session:
        [call] = session.scalars(select(Call)).all()
        assert call.external_id == "vcon-018bcfe5-6800-8626-9e41-346b98451fa5"
        assert call.status is CallStatus.rejected_no_consent and call.audio_path is None
    assert not list(tmp_path.glob("audio/**/*.ogg"))
    assert not any((tmp_path / "incoming").iterdir())


def test_a_bad_vcon_is_refused_in_the_readers_language(
    russian_catalog: Callable[[Translations], None],
) -> None:
    russian_catalog({
        "not a vCon: the object needs `vcon` and `uuid`": "не vCon: нужны поля `vcon` и `uuid`",
        "the vCon's call metadata is not valid: {problems}":
            "метаданные звонка в vCon неверны: {problems}",
        "{field}: {problem}": "{field}: {problem}",
        "Input should be a valid datetime or date": "нужны дата и время",
    })  # fmt: skip
    bad_start = {"vcon": "0.4.0", "uuid": "u1", "created_at": "yesterday"}
    with language("ru"):
        with pytest.raises(VconError) as not_vcon:
            read_vcon({"uuid": "u1"}, "Bank")
        with pytest.raises(VconError) as invalid:
            read_vcon(bad_start, "Bank")
    assert str(not_vcon.value) == "не vCon: нужны поля `vcon` и `uuid`"
    assert str(invalid.value) == "метаданные звонка в vCon неверны: started_at: нужны дата и время"
