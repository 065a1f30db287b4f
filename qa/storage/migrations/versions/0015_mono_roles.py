"""mono roles: a transcript records how sure the agent/customer attribution of a mono call is

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-28 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("transcripts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role_confidence", sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column("roles_uncertain", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("transcripts", schema=None) as batch_op:
        batch_op.drop_column("roles_uncertain")
        batch_op.drop_column("role_confidence")
