"""`train` and `model`: retrain the learned checks with the team's reviews; activate a version."""

from __future__ import annotations

from typing import Annotated

import typer

from qa.cli.errors import exits_cleanly
from qa.errors import QAError
from qa.i18n import _, ngettext
from qa.settings import get_settings
from qa.storage.bootstrap import ensure_database_ready
from qa.storage.db import session_scope
from qa.storage.learned_models import activate_version, model_versions

model_app = typer.Typer(help="Learned model versions.", no_args_is_help=True)


@exits_cleanly
def train(
    seed: Annotated[int, typer.Option(help="Seed for subsampling, folds and held-back calls.")] = 0,
    max_texts: Annotated[
        int | None, typer.Option(help="Public texts per language (default: as shipped).")
    ] = None,
) -> None:
    """Retrain rude-language detection on the public dev data plus this center's reviewed calls.

    Prints agreement with reviewers on held-back reviewed calls before and after; the new
    version is stored inactive until an admin runs `python -m qa model activate ID`.
    """
    from qa.learning import retrain
    from scorecards.embedding import embedding_service
    from scorecards.learned import shipped_classifier
    from scorecards.training import dev_data

    url = get_settings().resolved_database_url
    ensure_database_ready(url)
    caps = (
        max_texts if max_texts is not None else shipped_classifier("rude").trained.get("max_texts")
    )
    try:
        public = [dev_data.capped(s, caps, seed) for s in dev_data.rudeness_sets()]
    except dev_data.DevDataMissing as error:
        raise QAError(str(error)) from None
    with session_scope(url) as session:
        result = retrain(session, public, embedding_service(), seed)
        typer.echo(
            ngettext(
                "stored {name} version {version} (id {id}), inactive; trained with "
                "{examples} example from reviewed calls ({overrides})",
                "stored {name} version {version} (id {id}), inactive; trained with "
                "{examples} examples from reviewed calls ({overrides})",
                result.examples,
            ).format(
                name=result.version.name, version=result.version.version,
                id=result.version.id, examples=result.examples,
                overrides=ngettext("{count} override", "{count} overrides", result.overrides)
                .format(count=result.overrides),
            )
        )  # fmt: skip
        typer.echo(
            ngettext(
                "agreement with reviewers on {n} held-back call: before {before}, after {after}",
                "agreement with reviewers on {n} held-back calls: before {before}, after {after}",
                result.held_back,
            ).format(
                n=result.held_back, before=_percent(result.agreement_before),
                after=_percent(result.agreement_after),
            )
        )  # fmt: skip


@exits_cleanly
def list_models() -> None:
    """The stored learned model versions, newest first."""
    url = get_settings().resolved_database_url
    ensure_database_ready(url)
    with session_scope(url) as session:
        for row in model_versions(session):
            state = _("active") if row.active else _("inactive")
            typer.echo(f"{row.id}\t{row.name}@{row.version}\t{state}\t{row.created_at:%Y-%m-%d}")


@exits_cleanly
def activate(version_id: Annotated[int, typer.Argument(help="Id from `model list`.")]) -> None:
    """Score new calls with this learned model version (the others of its name go inactive)."""
    url = get_settings().resolved_database_url
    ensure_database_ready(url)
    with session_scope(url) as session:
        activate_version(session, version_id)
    typer.echo(_("activated learned model version {id}").format(id=version_id))


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f} %"


def register(app: typer.Typer) -> None:
    app.command("train")(train)
    model_app.command("list")(list_models)
    model_app.command("activate")(activate)
    app.add_typer(model_app, name="model")
