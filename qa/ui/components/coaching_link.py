"""The coaching session a `?coaching=ID` link opens, for Coaching and My scores alike."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from qa.i18n import _
from qa.queries.access import Viewer
from qa.queries.coaching import COACHING_UNAVAILABLE, CoachingUnavailable, coaching_session_agent
from qa.ui.session import db_session

PARAMETER = "coaching"


@dataclass(frozen=True)
class LinkedCoaching:
    session_id: int
    agent_id: int


def linked_coaching(viewer: Viewer) -> LinkedCoaching | None:
    """The session the link asks for, when the viewer may read it.

    Otherwise one refusal (for missing and not allowed alike) is shown, and the page goes on
    without it.
    """
    requested = st.query_params.get(PARAMETER)
    if not requested:
        return None
    try:
        session_id = int(requested)
        with db_session() as session:
            agent_id = coaching_session_agent(session, viewer, session_id)
    except (ValueError, CoachingUnavailable):
        st.error(_(COACHING_UNAVAILABLE))
        return None
    return LinkedCoaching(session_id, agent_id)
