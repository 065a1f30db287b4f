"""evaluations.scorecard_key: one counted evaluation per call and scorecard, across versions

Revision ID: 0013
Revises: 0015
Create Date: 2026-11-28 10:05:00

0005's partial unique index covered (call, scorecard version, kind), so a counted automatic
evaluation by one version and a counted one by another (or a counted human one beside it)
were not refused by the database. The counting rule picks exactly one evaluation per call and
scorecard; the scorecard's key is copied onto each evaluation so the index can say so.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Indexes are dropped and made outside batch mode: SQLite's table copy would rebuild a
    # partial index from reflection, which may drop its WHERE.
    op.drop_index("uq_evaluations_counted_once", table_name="evaluations")
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scorecard_key", sa.String(length=100), nullable=True))
    op.execute(
        """
        UPDATE evaluations SET scorecard_key = (
            SELECT v.scorecard_key FROM scorecard_versions v
            WHERE v.id = evaluations.scorecard_version_id
        )
        """
    )
    # Rows the old index allowed and the new one refuses: keep one (a human evaluation before
    # an automatic one, then the latest), as `recount` would, and clear the others' flags.
    op.execute(
        """
        UPDATE evaluations SET counts = false
        WHERE counts AND EXISTS (
            SELECT 1 FROM evaluations o
            WHERE o.counts AND o.call_id = evaluations.call_id
              AND o.scorecard_key = evaluations.scorecard_key AND o.id <> evaluations.id
              AND (o.kind > evaluations.kind
                   OR (o.kind = evaluations.kind AND o.id > evaluations.id))
        )
        """
    )
    op.execute(
        """
        UPDATE criterion_verdicts SET counts = (
            SELECT e.counts FROM evaluations e WHERE e.id = criterion_verdicts.evaluation_id
        )
        """
    )
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.alter_column("scorecard_key", existing_type=sa.String(length=100), nullable=False)
    op.create_index(
        "uq_evaluations_counted_per_scorecard",
        "evaluations",
        ["call_id", "scorecard_key"],
        unique=True,
        sqlite_where=sa.text("counts"),
        postgresql_where=sa.text("counts"),
    )


def downgrade() -> None:
    op.drop_index("uq_evaluations_counted_per_scorecard", table_name="evaluations")
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_column("scorecard_key")
    op.create_index(
        "uq_evaluations_counted_once",
        "evaluations",
        ["call_id", "scorecard_version_id", "kind"],
        unique=True,
        sqlite_where=sa.text("counts"),
        postgresql_where=sa.text("counts"),
    )
