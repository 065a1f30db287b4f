"""evaluations.counts: the one evaluation per call and scorecard that reports count

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 20:05:00

Dashboards used to pick that evaluation with a GROUP BY over every evaluation on each query;
the writers now keep a flag instead. The backfill applies the same rule once, in SQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The latest human evaluation, else the latest automatic one by the active version.
BACKFILL = """
UPDATE evaluations SET counts = (id IN (
    SELECT COALESCE(MAX(CASE WHEN e.kind = 'human' THEN e.id END), MAX(e.id))
    FROM evaluations e JOIN scorecard_versions v ON v.id = e.scorecard_version_id
    WHERE e.kind = 'human' OR v.active = :active
    GROUP BY e.call_id, v.scorecard_key
))
"""


def upgrade() -> None:
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("counts", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(
            "ix_evaluations_counted",
            ["counts", "call_id", "scorecard_version_id", "score", "passed", "critical_failed"],
            unique=False,
        )
    op.get_bind().execute(sa.text(BACKFILL), {"active": True})


def downgrade() -> None:
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluations_counted")
        batch_op.drop_column("counts")
