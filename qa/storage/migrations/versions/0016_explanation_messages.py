"""criterion_verdicts.explanation_message: a verdict's explanation as a translatable message

Revision ID: 0016
Revises: 0017
Create Date: 2026-11-28 13:40:00

Explanations were stored as English text only, so Russian and Persian pages showed them in
English. The message (an English template and its values, scorecards.explanation) is kept
beside the text and translated where it is shown. Older rows keep their text and no message:
they are shown as written, as the text column still is in exports.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("criterion_verdicts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("explanation_message", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("criterion_verdicts", schema=None) as batch_op:
        batch_op.drop_column("explanation_message")
