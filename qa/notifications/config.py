"""Webhook endpoints an admin configures in a YAML file (`CALLQA_WEBHOOKS_FILE`).

```yaml
endpoints:
  - name: helpdesk
    url: https://helpdesk.example/hooks/callqa
    secret_env: HELPDESK_WEBHOOK_SECRET     # or `secret:` inline
    events: [critical_failed, score_below, dispute_opened, coaching_due]
    score_below: 70
```
"""

from __future__ import annotations

import enum
import os
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from qa.errors import QAError
from qa.i18n import _
from qa.invalid_input import describe_invalid

M = TypeVar("M", bound=BaseModel)


class ResultEvent(enum.StrEnum):
    """What an admin can have sent out: by webhook, or in subscribers' e-mail digests."""

    critical_failed = "critical_failed"
    score_below = "score_below"
    dispute_opened = "dispute_opened"
    coaching_due = "coaching_due"


class EventSubscription(BaseModel):
    """The events a webhook endpoint or a digest subscriber chose, and how far back to look."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    events: tuple[ResultEvent, ...] = Field(min_length=1)
    score_below: float | None = Field(default=None, ge=0, le=100)
    lookback_days: int = Field(default=7, ge=0)

    @model_validator(mode="after")
    def _has_what_its_events_need(self) -> EventSubscription:
        if ResultEvent.score_below in self.events and self.score_below is None:
            raise ValueError(_("the score_below event needs a score_below threshold"))
        return self


class WebhookEndpoint(EventSubscription):
    name: str = Field(min_length=1, max_length=100)
    url: str = Field(pattern=r"^https?://")
    secret: str | None = None
    secret_env: str | None = None

    @model_validator(mode="after")
    def _has_a_secret(self) -> WebhookEndpoint:
        if not self.secret and not self.secret_env:
            raise ValueError(_("give a secret (or secret_env): receivers check the signature"))
        return self

    def signing_secret(self) -> bytes:
        secret = self.secret or os.environ.get(self.secret_env or "", "")
        if not secret:
            raise QAError(
                _("webhook {name}: the environment variable {variable} is empty").format(
                    name=self.name, variable=self.secret_env
                )
            )
        return secret.encode()


class WebhookSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    endpoints: list[WebhookEndpoint] = []


def load_webhooks(path: Path | None) -> list[WebhookEndpoint]:
    """The configured endpoints; none when no file is set."""
    if path is None:
        return []
    return read_yaml_file(path, WebhookSettings, "CALLQA_WEBHOOKS_FILE").endpoints


def read_yaml_file(path: Path, model: type[M], variable: str) -> M:
    """An admin's YAML settings file, validated; every problem named by its field path."""
    if not path.is_file():
        raise QAError(_("{path} not found ({variable})").format(path=path, variable=variable))
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return model.model_validate(document)
    except yaml.YAMLError as error:
        raise QAError(
            _("{path} is not valid YAML: {error}").format(path=path, error=error)
        ) from error
    except ValidationError as error:
        raise QAError(
            _("{where}: {problem}").format(where=path, problem=describe_invalid(error))
        ) from error
