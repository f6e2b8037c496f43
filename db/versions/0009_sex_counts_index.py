"""counts per kind and status under a sex or age filter read an index alone (issue 3)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 19:55:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_cases_sex_kind_status", "cases", ["sex", "kind", "status"])
    op.create_index("ix_cases_age_kind_status", "cases", ["age_years", "kind", "status"])
    op.drop_index("ix_cases_age_years", table_name="cases")


def downgrade() -> None:
    op.create_index("ix_cases_age_years", "cases", ["age_years"])
    op.drop_index("ix_cases_age_kind_status", table_name="cases")
    op.drop_index("ix_cases_sex_kind_status", table_name="cases")
