"""KPI tiles as people read them: one label and one formatted value each, the same everywhere.

The dashboards page and the monthly report both show these, so a number a client reads in the
report is written exactly as the coach saw it on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.i18n import _, ngettext
from qa.locale_format import digits, number, percent
from qa.queries.dashboard import KpiTiles


@dataclass(frozen=True)
class KpiFigure:
    label: str
    value: str
    help: str


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    minutes, seconds = divmod(round(value), 60)
    if minutes:
        return digits(f"{minutes}:{seconds:02d}")
    return _("{seconds} s").format(seconds=digits(str(seconds)))


def kpi_figures(tiles: KpiTiles) -> list[KpiFigure]:
    """The tiles in the current language, numbers in its digits."""
    score = "—" if tiles.average_score is None else number(tiles.average_score, 1)
    feedback = (
        "—"
        if tiles.average_customer_feedback is None
        else _("{score} / 5").format(score=number(tiles.average_customer_feedback, 1))
    )
    responses = ngettext(
        "Mean survey score over {count} response.",
        "Mean survey score over {count} responses.",
        tiles.feedback_responses,
    )
    return [
        KpiFigure(
            _("Evaluated calls"), digits(str(tiles.calls)), _("Calls with a counted evaluation.")
        ),
        KpiFigure(_("Average score"), score, _("Mean score of the counted evaluations (0-100).")),
        KpiFigure(_("Pass rate"), percent(tiles.pass_rate), _("Share of evaluations that passed.")),
        KpiFigure(
            _("Critical fails"),
            percent(tiles.critical_fail_rate),
            _("Share of evaluations with a failed critical criterion."),
        ),
        KpiFigure(
            _("Answered within 3 rings"),
            percent(tiles.answered_within_three_rings),
            _("Share of calls (with a known ring time) answered within 18 seconds."),
        ),
        KpiFigure(
            _("Abandonment"),
            percent(tiles.abandonment_rate),
            _(
                "Share of inbound calls the caller hung up on before an agent answered "
                "(from the phone system's records; not shown for one agent or language)."
            ),
        ),
        KpiFigure(
            _("Average handle time"),
            _seconds(tiles.average_handle_seconds),
            _("Mean handle time from the telephony data."),
        ),
        KpiFigure(
            _("Average hold time"),
            _seconds(tiles.average_hold_seconds),
            _("Mean time on hold, measured in the recording."),
        ),
        KpiFigure(
            _("Average silence"),
            _seconds(tiles.average_silence_seconds),
            _("Mean total silence per call, measured in the recording."),
        ),
        KpiFigure(
            _("Customer feedback"),
            feedback,
            responses.format(count=digits(str(tiles.feedback_responses))),
        ),
    ]
