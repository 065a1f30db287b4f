"""transcript search matches spelling variants: utterances keep a normalised search_text
(Arabic ي/ك as Persian ی/ک, no diacritics or zero-width non-joiners, ё as е) and the full-text
index moves to it

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 10:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from qa.storage.search_index import create_search_index, drop_search_index, searchable

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000
utterances = sa.table(
    "transcript_utterances",
    sa.column("id", sa.Integer()),
    sa.column("text", sa.Text()),
    sa.column("search_text", sa.Text()),
)


def upgrade() -> None:
    connection = op.get_bind()
    drop_search_index(connection)
    op.add_column(
        "transcript_utterances",
        sa.Column("search_text", sa.Text(), server_default="", nullable=False),
    )
    last = 0
    while rows := connection.execute(
        sa.select(utterances.c.id, utterances.c.text)
        .where(utterances.c.id > last)
        .order_by(utterances.c.id)
        .limit(BATCH)
    ).all():
        connection.execute(
            utterances.update()
            .where(utterances.c.id == sa.bindparam("row_id"))
            .values(search_text=sa.bindparam("normalised")),
            [{"row_id": row_id, "normalised": searchable(text)} for row_id, text in rows],
        )
        last = rows[-1][0]
    create_search_index(connection)


def downgrade() -> None:
    drop_search_index(op.get_bind())
    with op.batch_alter_table("transcript_utterances", schema=None) as batch_op:
        batch_op.drop_column("search_text")
    create_search_index(op.get_bind(), column="text")
