"""review claims and weekly review quotas

Revision ID: 0006
Revises: 0010
Create Date: 2026-11-28 06:45:00

A reviewer who opens a queued call claims it for a while, so two reviewers do not review the
same call at once; an admin sets how many calls each reviewer reviews per week. Assignment
itself uses the existing `review_queue.assigned_to_id`.

The counted evaluation of a call not rescored since a new scorecard version was activated is
now its latest automatic one by an older version (it used to be none, hiding history): the
flags are recomputed by that rule, and by the former one on downgrade.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The latest human evaluation, else the latest automatic one by the active version, else the
# latest automatic one by an older version; only human ones for a scorecard with none active.
COUNTED = """
SELECT COALESCE(MAX(CASE WHEN e.kind = 'human' THEN e.id END),
                MAX(CASE WHEN v.active = :active THEN e.id END), MAX(e.id))
FROM evaluations e JOIN scorecard_versions v ON v.id = e.scorecard_version_id
WHERE e.kind = 'human' OR v.scorecard_key IN
    (SELECT scorecard_key FROM scorecard_versions WHERE active = :active)
GROUP BY e.call_id, v.scorecard_key
"""
# The rule before (0002): older versions' automatic evaluations never count.
FORMER_COUNTED = """
SELECT COALESCE(MAX(CASE WHEN e.kind = 'human' THEN e.id END), MAX(e.id))
FROM evaluations e JOIN scorecard_versions v ON v.id = e.scorecard_version_id
WHERE e.kind = 'human' OR v.active = :active
GROUP BY e.call_id, v.scorecard_key
"""
# Clear before set: the unique index on counted evaluations (0005) is checked row by row.
CLEAR = "UPDATE evaluations SET counts = :off WHERE counts = :on AND id NOT IN ({counted})"
SET = "UPDATE evaluations SET counts = :on WHERE counts = :off AND id IN ({counted})"
VERDICTS = """
UPDATE criterion_verdicts SET
    counts = (SELECT e.counts FROM evaluations e WHERE e.id = criterion_verdicts.evaluation_id)
"""


def _recount(keep_history: bool) -> None:
    counted = COUNTED if keep_history else FORMER_COUNTED
    flags = {"active": True, "on": True, "off": False}
    for statement in (CLEAR, SET):
        op.get_bind().execute(sa.text(statement.format(counted=counted)), flags)
    op.get_bind().execute(sa.text(VERDICTS))


def upgrade() -> None:
    op.create_table(
        "review_claims",
        sa.Column(
            "call_id",
            sa.Integer(),
            sa.ForeignKey("calls.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("reviewer_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "review_quotas",
        sa.Column(
            "reviewer_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("calls_per_week", sa.Integer(), nullable=False),
    )
    _recount(keep_history=True)


def downgrade() -> None:
    _recount(keep_history=False)
    op.drop_table("review_quotas")
    op.drop_table("review_claims")
