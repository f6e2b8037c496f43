"""register order indexes: the register's rows, newest first, from one covering index

The register index holds every column the filter bar narrows by, so any mix of kind,
status, sex, district, age and station is answered by one ordered scan of the index, with
no sort and no table lookups. The name order has its own index.

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
    op.create_index(
        "ix_cases_register",
        "cases",
        ["reported_on", "id", "kind", "status", "sex", "district", "age_years", "station_id"],
    )
    op.create_index("ix_cases_name_latin_id", "cases", ["name_latin", "id"])
    op.drop_index("ix_cases_reported_on", table_name="cases")


def downgrade() -> None:
    op.create_index("ix_cases_reported_on", "cases", ["reported_on"])
    op.drop_index("ix_cases_name_latin_id", table_name="cases")
    op.drop_index("ix_cases_register", table_name="cases")
