"""The automatic scorer against reviewers, per criterion: a table with flags and a weekly chart.

Drawn on the Scorecards page for one scorecard (its owner's place to see which criteria the
scorer gets wrong) and on the Calibration page for all of them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from qa.i18n import _
from qa.locale_format import digits, format_date, number
from qa.locale_format import percent as as_percent
from qa.queries.access import Viewer
from qa.queries.ai_agreement import CriterionAgreement, ai_human_agreement
from qa.queries.evaluations_in_view import EvaluationFilter
from qa.reports.chart_language import in_reading_language
from qa.reports.charts import LAYOUT
from qa.settings import get_settings
from qa.ui.components.scorecard_text import scorecard_title, with_criterion_names
from qa.ui.components.tables import show_table
from qa.ui.session import cached

load_agreement = cached(ai_human_agreement)


def measure(value: float | None, percent: bool = False) -> str:
    """An agreement figure as shown: a share as a percentage, a coefficient to two places."""
    if value is None:
        return "—"
    return as_percent(value) if percent else number(value, 2)


def show_ai_agreement(viewer: Viewer, scorecard_key: str | None = None) -> None:
    settings = get_settings()
    view = EvaluationFilter(scorecard_key=scorecard_key)
    criteria = with_criterion_names(load_agreement(viewer, view))
    st.subheader(_("Automatic scorer vs reviewers"))
    st.caption(
        _(
            "All reviewed calls; the chart shows the trend by week. Criteria whose AC1 is below "
            "{threshold} over at least {reviews} reviewed calls are flagged."
        ).format(
            threshold=number(settings.agreement_threshold, 2),
            reviews=digits(str(settings.agreement_min_reviews)),
        )
    )
    if not criteria:
        st.info(_("No reviewed calls yet: agreement appears once reviewers have checked calls."))
        return
    flagged = [
        c
        for c in criteria
        if c.flagged(settings.agreement_threshold, settings.agreement_min_reviews)
    ]
    if flagged:
        st.warning(
            _("The automatic scorer often disagrees with reviewers on: {names}.").format(
                names=", ".join(c.name for c in flagged)
            )
        )
    show_table(_table(criteria, flagged))
    st.plotly_chart(_weekly_figure(criteria), key=f"ai-agreement-{scorecard_key or 'all'}")
    with st.expander(_("By language and by scorecard version")):
        show_table(_slices(criteria))


def _table(criteria: list[CriterionAgreement], flagged: list[CriterionAgreement]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Scorecard"): scorecard_title(c.scorecard_key, c.scorecard_key),
            _("Criterion"): c.name,
            _("Reviewed calls"): c.figures.n,
            _("Agreement"): measure(c.figures.agreement, percent=True),
            _("Cohen's κ"): measure(c.figures.kappa),
            _("Gwet's AC1"): measure(c.figures.ac1),
            _("Flag"): "⚠" if c in flagged else "",
        }
        for c in criteria
    )


def _slices(criteria: list[CriterionAgreement]) -> pd.DataFrame:
    rows = [
        {
            _("Criterion"): c.name,
            _("Slice"): f"{kind}: {b.label}",
            _("Reviewed calls"): b.figures.n,
            _("Agreement"): measure(b.figures.agreement, percent=True),
            _("Cohen's κ"): measure(b.figures.kappa),
            _("Gwet's AC1"): measure(b.figures.ac1),
        }
        for c in criteria
        for kind, slices in ((_("language"), c.by_language), (_("version"), c.by_version))
        for b in slices
    ]
    return pd.DataFrame(rows)


def _weekly_figure(criteria: list[CriterionAgreement]) -> go.Figure:
    week, criterion, ac1, reviewed = _("Week"), _("Criterion"), _("Gwet's AC1"), _("Reviewed calls")
    weeks = sorted({date.fromisoformat(b.label) for c in criteria for b in c.by_week})
    frame = pd.DataFrame(
        [
            {
                week: format_date(date.fromisoformat(b.label)),
                criterion: c.name,
                ac1: b.figures.ac1,
                reviewed: b.figures.n,
            }
            for c in criteria
            for b in c.by_week
        ],
        columns=[week, criterion, ac1, reviewed],
    )
    figure = px.line(
        frame,
        x=week,
        y=ac1,
        color=criterion,
        markers=True,
        hover_data=[reviewed],
        range_y=[-0.05, 1.05],
        category_orders={week: [format_date(day) for day in weeks]},
        title=_("Gwet's AC1 per week (weeks from Monday)"),
    )
    figure.update_xaxes(type="category")
    figure.update_layout(**LAYOUT)
    return in_reading_language(figure)
