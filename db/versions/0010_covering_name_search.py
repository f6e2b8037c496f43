"""the name search reads indexes alone: name keys with their case id, and each case's id
with its date, kind and status (issue 8: every page a first search reads is decrypted)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 22:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # the cases of a name key without reading the name_keys table itself
    op.create_index("ix_name_keys_key_case", "name_keys", ["key", "case_id"])
    op.drop_index("ix_name_keys_key", table_name="name_keys")
    # the matches of a name in register order, and their counts, without reading case rows
    op.create_index("ix_cases_id_sort", "cases", ["id", "reported_on", "kind", "status"])


def downgrade() -> None:
    op.drop_index("ix_cases_id_sort", table_name="cases")
    op.create_index("ix_name_keys_key", "name_keys", ["key"])
    op.drop_index("ix_name_keys_key_case", table_name="name_keys")
