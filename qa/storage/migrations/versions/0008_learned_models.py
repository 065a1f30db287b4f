"""learned models: verdicts record uncertainty and the learned model versions that decided them;
the center's retrained models are stored as inactive versions

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-28 06:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("criterion_verdicts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("uncertain", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("learned_models", sa.JSON(), server_default="[]", nullable=False)
        )
    op.create_table(
        "learned_model_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("weights", sa.LargeBinary(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", "version"),
    )
    op.create_index(
        "ix_learned_model_versions_name", "learned_model_versions", ["name"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_learned_model_versions_name", table_name="learned_model_versions")
    op.drop_table("learned_model_versions")
    with op.batch_alter_table("criterion_verdicts", schema=None) as batch_op:
        batch_op.drop_column("learned_models")
        batch_op.drop_column("uncertain")
