"""The politeness trend, drawn alike on My scores and the dashboards, with what it is not."""

from __future__ import annotations

import streamlit as st

from qa.i18n import N_, _
from qa.queries.politeness import PolitenessWeek
from qa.reports.charts import politeness_figure

NOT_A_VERDICT = N_(
    "A measurement, not a verdict: it changes no score and passes or fails nobody. A model "
    "trained on English written requests reads each agent utterance; a call counts with its "
    "mean and its least polite utterance. It is most reliable in English. In Russian and "
    "Persian it reads lower and only tells clear courtesy from clear rudeness, so compare weeks "
    "within one language, never one language with another."
)


def politeness_trend(points: list[PolitenessWeek], group_label: str) -> None:
    """Weekly politeness per group and language, or a line saying there is none yet."""
    st.subheader(_("Politeness (measurement)"))
    st.caption(_(NOT_A_VERDICT))
    if not points:
        st.info(_("No politeness measurements yet."))
        return
    st.plotly_chart(politeness_figure(points, group_label), width="stretch")
