"""review claims and weekly review quotas

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-28 06:45:00

A reviewer who opens a queued call claims it for a while, so two reviewers do not review the
same call at once; an admin sets how many calls each reviewer reviews per week. Assignment
itself uses the existing `review_queue.assigned_to_id`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


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


def downgrade() -> None:
    op.drop_table("review_quotas")
    op.drop_table("review_claims")
