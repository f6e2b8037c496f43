"""outbox, receipts, cursors, field versions and conflicts for offline-first sync (issue 7)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_outbox",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("op", sa.String(10), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("base", sa.JSON),
        sa.Column("actor", sa.String(80)),
        sa.Column("role", sa.String(20)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("state", sa.String(12), nullable=False, server_default="pending"),
        sa.Column("receipt", sa.JSON),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("seq", name="pk_sync_outbox"),
    )
    op.create_index("ix_sync_outbox_state_seq", "sync_outbox", ["state", "seq"])
    op.create_index("ix_sync_outbox_row_id", "sync_outbox", ["row_id"])
    op.create_table(
        "sync_field_versions",
        sa.Column("case_id", sa.String(36)),
        sa.Column("field", sa.String(40)),
        sa.Column("version", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("case_id", "field", name="pk_sync_field_versions"),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.String(36)),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("kept", sa.JSON),
        sa.Column("lost", sa.JSON),
        sa.Column("kept_by", sa.String(80)),
        sa.Column("lost_by", sa.String(80)),
        sa.Column("at", sa.DateTime),
        sa.Column("resolved_at", sa.DateTime),
        sa.Column("resolved_by", sa.String(80)),
        sa.Column("resolution", sa.JSON),
        sa.PrimaryKeyConstraint("id", name="pk_sync_conflicts"),
    )
    op.create_index("ix_sync_conflicts_case_id", "sync_conflicts", ["case_id"])
    op.create_table(
        "sync_refetch",
        sa.Column("entity", sa.String(40)),
        sa.Column("row_id", sa.String(36)),
        sa.PrimaryKeyConstraint("entity", "row_id", name="pk_sync_refetch"),
    )
    op.create_table(
        "sync_remote_cases",
        sa.Column("case_id", sa.String(36)),
        sa.Column("station_code", sa.String(32)),
        sa.Column("note", sa.Text),
        sa.PrimaryKeyConstraint("case_id", name="pk_sync_remote_cases"),
    )


def downgrade() -> None:
    for name in (
        "sync_remote_cases",
        "sync_refetch",
        "sync_conflicts",
        "sync_field_versions",
        "sync_outbox",
    ):
        op.drop_table(name)
