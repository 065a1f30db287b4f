"""voice separation: a mono transcript keeps how cleanly its voices split, so a rescore can
decide the agent and customer again under the center's present phrases and threshold

Revision ID: 0017
Revises: 0013
Create Date: 2026-11-28 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("transcripts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("voice_separation", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("transcripts", schema=None) as batch_op:
        batch_op.drop_column("voice_separation")
