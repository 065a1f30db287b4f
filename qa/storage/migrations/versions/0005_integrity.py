"""calls.worker_id and heartbeat_at; one counted evaluation per call, version and kind

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 06:40:00

A call being processed records which worker holds it and when that worker last showed life,
so a dead worker's calls are picked up again at once instead of after 30 minutes. A partial
unique index lets the database refuse a second counted evaluation of one kind per call and
scorecard version (two reviewers or two workers racing), not only the code's checks.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("worker_id", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "uq_evaluations_counted_once",
        "evaluations",
        ["call_id", "scorecard_version_id", "kind"],
        unique=True,
        sqlite_where=sa.text("counts"),
        postgresql_where=sa.text("counts"),
    )


def downgrade() -> None:
    op.drop_index("uq_evaluations_counted_once", table_name="evaluations")
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("worker_id")
