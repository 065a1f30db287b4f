"""Odd files from a contact center's tools give a clear error, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.pipeline.manifest import ManifestError, read_manifest
from tests.qa.conftest import run_cli

HEADER = "call_id,audio_file,client,started_at,customer_consent,agent_consent,agent_name\n"


@pytest.mark.parametrize(
    ("encoding", "agent"),
    [
        ("utf-8", "Иван Петров"),
        ("utf-8-sig", "محمد رضایی"),
        ("cp1251", "Иван Петров Сергеевич"),
        ("cp1256", "محمد العلي موظف المبيعات"),
    ],
)
def test_manifests_from_excel_are_read_in_their_encoding(
    tmp_path: Path, encoding: str, agent: str
) -> None:
    manifest = tmp_path / "manifest.csv"
    row = f"c1,c1.wav,Acme,2026-11-20T12:00:00+03:30,yes,yes,{agent}\n"
    manifest.write_bytes((HEADER + row).encode(encoding))
    parsed = read_manifest(manifest)
    assert parsed.problems == []
    assert [r.agent_name for _, r in parsed.rows] == [agent]


def test_a_manifest_in_an_encoding_that_cannot_be_told_is_refused_naming_it(
    tmp_path: Path,
) -> None:
    manifest = tmp_path / "manifest.csv"
    row = b"c1,c1.wav,Acme,2026-11-20,yes,yes," + "中文名字测试".encode("gb18030")
    manifest.write_bytes(HEADER.encode() + row + b"\n")
    with pytest.raises(ManifestError, match=r"not UTF-8 text \(it looks like gb18030\)"):
        read_manifest(manifest)


@pytest.mark.parametrize(
    "command", [["export"], ["report", "--client", "Acme", "--month", "2026-11"]]
)
def test_an_output_path_that_is_a_folder_is_refused_before_any_work(
    tmp_path: Path, command: list[str]
) -> None:
    # Refused before the database is opened: this one does not even exist.
    url = f"sqlite:///{tmp_path / 'absent.sqlite3'}"
    result = run_cli(*command, "--out", str(tmp_path), home=tmp_path, database_url=url)
    assert result.returncode != 0
    said = " ".join(result.stderr.replace("│", " ").split())  # unwrap the usage box
    assert f"{tmp_path} is a folder; give a file name" in said
    assert "Traceback" not in result.stderr
