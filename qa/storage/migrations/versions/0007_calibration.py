"""calibration sessions, comments pinned to a moment, the full-text index of transcripts

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-28 06:40:00

A QA lead picks calls and participants; each participant's answers stay hidden from the others
until the session closes, then the agreement statistics are computed from them.

Transcript search: SQLite gets an FTS5 index over transcript_utterances.text kept by triggers
(see qa.storage.search_index), PostgreSQL a GIN index on the text's 'simple' tsvector.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from qa.storage.search_index import create_search_index, drop_search_index

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _session_column() -> sa.Column:
    return sa.Column(
        "session_id",
        sa.Integer(),
        sa.ForeignKey("calibration_sessions.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "calibration_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "scorecard_version_id",
            sa.Integer(),
            sa.ForeignKey("scorecard_versions.id"),
            nullable=False,
        ),
        sa.Column("lead_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("expert_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("include_automatic", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "closed", name="calibrationstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "calibration_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        _session_column(),
        sa.Column(
            "call_id", sa.Integer(), sa.ForeignKey("calls.id", ondelete="CASCADE"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "call_id"),
    )
    op.create_table(
        "calibration_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        _session_column(),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "user_id"),
    )
    op.create_table(
        "calibration_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        _session_column(),
        sa.Column(
            "call_id", sa.Integer(), sa.ForeignKey("calls.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("criterion", sa.String(length=100), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "call_id", "user_id", "criterion"),
    )
    for table in ("calibration_calls", "calibration_participants", "calibration_answers"):
        op.create_index(f"ix_{table}_session_id", table, ["session_id"], unique=False)
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("at_seconds", sa.Float(), nullable=True))
    create_search_index(op.get_bind(), column="text")  # 0012 moves it to search_text


def downgrade() -> None:
    drop_search_index(op.get_bind())
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_column("at_seconds")
    for table in ("calibration_answers", "calibration_participants", "calibration_calls"):
        op.drop_index(f"ix_{table}_session_id", table_name=table)
        op.drop_table(table)
    op.drop_table("calibration_sessions")
