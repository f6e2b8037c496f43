"""filter indexes: the district index also covers kind (the counts per kind and status read
the index alone), and the sex index goes (two values: the ordered register index is faster)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 19:08:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_cases_district_status_kind", "cases", ["district", "status", "kind"])
    op.drop_index("ix_cases_district_status", table_name="cases")
    op.drop_index("ix_cases_sex", table_name="cases")


def downgrade() -> None:
    op.create_index("ix_cases_sex", "cases", ["sex"])
    op.create_index("ix_cases_district_status", "cases", ["district", "status"])
    op.drop_index("ix_cases_district_status_kind", table_name="cases")
