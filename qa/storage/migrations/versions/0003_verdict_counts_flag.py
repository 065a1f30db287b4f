"""criterion_verdicts.counts and scorecard_version_id: failure rates without a join

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 20:45:00

Criterion failure rates over all counted evaluations joined ~500k verdicts and sorted them
(over 500 ms on SQLite). Each verdict now carries its evaluation's scorecard version and
`counts` flag, so the unfiltered aggregate reads one index. The backfill copies both.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL = """
UPDATE criterion_verdicts SET
    scorecard_version_id = (SELECT e.scorecard_version_id FROM evaluations e
                            WHERE e.id = criterion_verdicts.evaluation_id),
    counts = (SELECT e.counts FROM evaluations e WHERE e.id = criterion_verdicts.evaluation_id)
"""


def upgrade() -> None:
    with op.batch_alter_table("criterion_verdicts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scorecard_version_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("counts", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.get_bind().execute(sa.text(BACKFILL))
    with op.batch_alter_table("criterion_verdicts", schema=None) as batch_op:
        batch_op.alter_column("scorecard_version_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            "fk_criterion_verdicts_scorecard_version_id",
            "scorecard_versions",
            ["scorecard_version_id"],
            ["id"],
        )
        batch_op.create_index(
            "ix_verdicts_counted",
            ["counts", "scorecard_version_id", "criterion", "outcome", "name"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("criterion_verdicts", schema=None) as batch_op:
        batch_op.drop_index("ix_verdicts_counted")
        batch_op.drop_constraint("fk_criterion_verdicts_scorecard_version_id", type_="foreignkey")
        batch_op.drop_column("counts")
        batch_op.drop_column("scorecard_version_id")
