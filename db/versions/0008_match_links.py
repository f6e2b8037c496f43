"""case links: a missing child's case and a found child's record confirmed as the same child

A confirmed face-match verdict links the two cases (issue 5's comparison view). The link is
ended (ended_at/by), never deleted, when an officer later changes the verdict, so a synced
copy never sees a link vanish without a record of who ended it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_links",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("missing_case_id", sa.String(length=36), nullable=False),
        sa.Column("found_case_id", sa.String(length=36), nullable=False),
        sa.Column("candidate_id", sa.String(length=36), nullable=True),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.Column("linked_by", sa.String(length=80), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["missing_case_id"], ["cases.id"], name="fk_case_links_missing_case_id_cases"
        ),
        sa.ForeignKeyConstraint(
            ["found_case_id"], ["cases.id"], name="fk_case_links_found_case_id_cases"
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["match_candidates.id"],
            name="fk_case_links_candidate_id_match_candidates",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_case_links"),
        sa.UniqueConstraint(
            "missing_case_id", "found_case_id", name="uq_case_links_missing_case_id"
        ),
    )
    op.create_index("ix_case_links_missing_case_id", "case_links", ["missing_case_id"])
    op.create_index("ix_case_links_found_case_id", "case_links", ["found_case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_links_found_case_id", table_name="case_links")
    op.drop_index("ix_case_links_missing_case_id", table_name="case_links")
    op.drop_table("case_links")
