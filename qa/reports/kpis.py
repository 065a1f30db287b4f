"""KPI tiles as people read them: one label and one formatted value each, the same everywhere.

The dashboards page and the monthly report both show these, so a number a client reads in the
report is written exactly as the coach saw it on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.queries.dashboard import KpiTiles


@dataclass(frozen=True)
class KpiFigure:
    label: str
    value: str
    help: str


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    minutes, seconds = divmod(round(value), 60)
    return f"{minutes}:{seconds:02d}" if minutes else f"{seconds} s"


def kpi_figures(tiles: KpiTiles) -> list[KpiFigure]:
    score = "—" if tiles.average_score is None else f"{tiles.average_score:.1f}"
    feedback = (
        "—"
        if tiles.average_customer_feedback is None
        else f"{tiles.average_customer_feedback:.1f} / 5"
    )
    return [
        KpiFigure("Evaluated calls", str(tiles.calls), "Calls with a counted evaluation."),
        KpiFigure("Average score", score, "Mean score of the counted evaluations (0-100)."),
        KpiFigure("Pass rate", _percent(tiles.pass_rate), "Share of evaluations that passed."),
        KpiFigure(
            "Critical fails",
            _percent(tiles.critical_fail_rate),
            "Share of evaluations with a failed critical criterion.",
        ),
        KpiFigure(
            "Answered within 3 rings",
            _percent(tiles.answered_within_three_rings),
            "Share of calls (with a known ring time) answered within 18 seconds.",
        ),
        KpiFigure(
            "Abandonment",
            _percent(tiles.abandonment_rate),
            "Share of inbound calls the caller hung up on before an agent answered "
            "(from the phone system's records; not shown for one agent or language).",
        ),
        KpiFigure(
            "Average handle time",
            _seconds(tiles.average_handle_seconds),
            "Mean handle time from the telephony data.",
        ),
        KpiFigure(
            "Average hold time",
            _seconds(tiles.average_hold_seconds),
            "Mean time on hold, measured in the recording.",
        ),
        KpiFigure(
            "Average silence",
            _seconds(tiles.average_silence_seconds),
            "Mean total silence per call, measured in the recording.",
        ),
        KpiFigure(
            "Customer feedback",
            feedback,
            f"Mean survey score over {tiles.feedback_responses} response(s).",
        ),
    ]
