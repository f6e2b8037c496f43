"""name search index: phonetic keys of every case's names, in both scripts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "name_keys",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_name_keys_case_id_cases", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "key", name="pk_name_keys"),
    )
    op.create_index("ix_name_keys_key", "name_keys", ["key"])

    # Fill the index for cases entered before this revision.
    from muskan_desktop.names import name_keys

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name_latin, name_deva, aliases FROM cases")).all()
    keys = [
        {"case_id": r.id, "key": k}
        for r in rows
        for k in name_keys(r.name_latin, r.name_deva, r.aliases)
    ]
    if keys:
        conn.execute(sa.text("INSERT INTO name_keys (case_id, key) VALUES (:case_id, :key)"), keys)


def downgrade() -> None:
    op.drop_index("ix_name_keys_key", table_name="name_keys")
    op.drop_table("name_keys")
