"""register order indexes: the default (newest first) and name orders from the index alone

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 17:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_cases_reported_on_id", "cases", ["reported_on", "id"])
    op.create_index("ix_cases_name_latin_id", "cases", ["name_latin", "id"])
    op.drop_index("ix_cases_reported_on", table_name="cases")


def downgrade() -> None:
    op.create_index("ix_cases_reported_on", "cases", ["reported_on"])
    op.drop_index("ix_cases_name_latin_id", table_name="cases")
    op.drop_index("ix_cases_reported_on_id", table_name="cases")
