"""One settings object for the whole platform, read from environment variables.

Every variable is documented in README.md; defaults let a laptop run with nothing installed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

import languages


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CALLQA_", extra="ignore")

    home: Path = Field(default=Path("var"), description="Folder for the SQLite file and audio.")
    database_url: str = Field(
        default="",
        validation_alias="DATABASE_URL",
        description="SQLAlchemy URL; empty means SQLite at <home>/callqa.sqlite3.",
    )
    whisper_model: str = Field(
        default="bundled-base",
        description="'bundled-base', any faster-whisper model name, or a local model folder.",
    )
    model_cache_dir: Path | None = Field(
        default=None, description="Where the bundled model is assembled (default: user cache)."
    )
    device: str = Field(default="auto", description="'cpu', 'cuda' or 'auto'.")
    cpu_threads: int = Field(default=0, description="0 lets callqa pick from the core count.")
    languages: list[str] = Field(
        default_factory=lambda: list(languages.codes()),
        description="Languages calls are in (default: every language in languages/registry.yaml).",
    )
    max_audio_hours: float = Field(default=4.0)
    hold_threshold_seconds: float = Field(default=10.0)
    workers: int = Field(default=1, description="Local processes that transcribe in parallel.")
    session_timeout_minutes: int = Field(default=60)
    session_max_hours: float = Field(
        default=12.0, description="A sign-in ends this long after it began, active or not."
    )
    broker_url: str = Field(
        default="redis://127.0.0.1:6379/0",
        description="Celery broker (and result backend) for distributed workers.",
    )
    celery_queue: str = Field(
        default="callqa",
        description="Queue `ingest --celery` sends calls to and workers take them from.",
    )
    retain_audio_days: int | None = Field(
        default=None, description="`qa purge` deletes recordings of calls older than this."
    )
    retain_transcript_days: int | None = Field(
        default=None,
        description="`qa purge` deletes transcripts (and the evidence quoting them) this old.",
    )
    customer_key: str = Field(
        default="callqa-change-me",
        description="Secret for the keyed hash of customers' phones/IDs (manifest customer_id).",
    )
    max_attempts: int = Field(
        default=5,
        ge=1,
        description="Tries per call; then it is marked needs_admin and retry leaves it alone.",
    )
    heartbeat_seconds: float = Field(
        default=10.0,
        gt=0,
        description="How often a worker processing a call records that it is alive.",
    )
    stale_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A call whose worker showed no life for this long is taken up again.",
    )
    celery_wait_seconds: float = Field(
        default=600.0,
        gt=0,
        description="`--celery` gives up waiting (error, calls stay queued) after this long "
        "with no call making progress.",
    )
    webhooks_file: Path | None = Field(
        default=None, description="YAML file of webhook endpoints (see docs/telephony.md)."
    )
    digest_file: Path | None = Field(
        default=None, description="YAML file of e-mail digest subscribers (docs/telephony.md)."
    )
    digest_hour: int = Field(
        default=7, ge=0, le=23, description="Hour (UTC) at which Celery beat sends the digest."
    )
    smtp_host: str = Field(default="", description="SMTP server the digest is sent through.")
    smtp_port: int = Field(default=587, description="Its port (587 submission with STARTTLS).")
    smtp_user: str = Field(default="", description="SMTP login; empty sends without one.")
    smtp_password: SecretStr = Field(default=SecretStr(""), description="SMTP password.")
    smtp_from: str = Field(default="", description="The digest's From address.")
    smtp_starttls: bool = Field(
        default=True, description="Upgrade with STARTTLS and refuse a server that cannot."
    )
    watch_dir: Path | None = Field(
        default=None, description="Folder Celery beat's watch task ingests from (qa watch)."
    )
    watch_interval_seconds: float = Field(
        default=30.0, gt=0, description="How often Celery beat looks at CALLQA_WATCH_DIR."
    )
    watch_settle_seconds: float = Field(
        default=10.0, ge=0, description="A recording unchanged this long is complete."
    )
    manifest_agent_leg: Literal["receive", "transmit"] = Field(
        default="transmit",
        description=(
            "Manifest calls recorded as two legs (-in/-out, -r/-t): the leg that carries the "
            "agent on inbound calls (ingest, qa watch); outbound calls take the other."
        ),
    )
    scorecards_dir: Path | None = Field(
        default=None, description="Extra scorecard YAML files (the shipped ones always load)."
    )
    chromium: str = Field(
        default="chromium", description="Chromium (or Chrome) that prints reports to PDF."
    )
    agreement_threshold: float = Field(
        default=0.6,
        description="A criterion whose AI-vs-human Gwet's AC1 falls below this is flagged.",
    )
    agreement_min_reviews: int = Field(
        default=5, description="Reviewed calls a criterion needs before it can be flagged."
    )
    role_confidence_threshold: float = Field(
        default=0.25,
        description=(
            "Mono calls whose agent/customer attribution is less sure than this (0..1) answer "
            "agent-only criteria with 'roles uncertain' and go to the review queue."
        ),
    )
    role_agent_phrases: list[str] = Field(
        default=[],
        description=(
            "Regular expressions only an agent says (the company's name, its greeting), used "
            "to tell which voice of a mono call is the agent."
        ),
    )

    @field_validator("languages")
    @classmethod
    def _registered(cls, codes: list[str]) -> list[str]:
        for code in codes:
            languages.get(code)  # UnknownLanguage names the supported ones
        return codes

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'callqa.sqlite3').resolve()}"

    @property
    def audio_dir(self) -> Path:
        return self.home / "audio"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
