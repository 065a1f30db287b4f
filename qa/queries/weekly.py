"""Weekly trends per team or agent: where a call's week starts and which group it falls in.

Score trends and politeness trends cut the same calls into the same weeks and groups, so a
chart of one lines up with a chart of the other; the rule lives here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from qa.i18n import _
from qa.queries.sql_functions import week_start
from qa.storage.models import Agent, Team

GroupBy = Literal["team", "agent"]


@dataclass(frozen=True)
class WeeklyGroups:
    week: week_start  # the first day of the call's week
    group: Any  # the call's team or agent id column
    model: type[Team] | type[Agent]  # where the group's name is
    unnamed: str  # the name shown for calls in no group


def weekly_groups(calls: Any, by: GroupBy, week_starts_on: int) -> WeeklyGroups:
    """The week and group columns of `calls` (the Call model, or a subquery's `.c`, with
    `started_at`, `team_id` and `agent_id`); weeks start on `week_starts_on` (0 Monday,
    5 Saturday: the reader's language decides, see languages/registry.yaml)."""
    return WeeklyGroups(
        week=week_start(calls.started_at, week_starts_on),
        group=calls.team_id if by == "team" else calls.agent_id,
        model=Team if by == "team" else Agent,
        unnamed=_("(no team)") if by == "team" else _("(no agent)"),
    )
