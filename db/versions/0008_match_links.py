"""case links and alert state for the comparison view and alert inbox (issue 5)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 19:40:00
"""

from collections.abc import Sequence

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # filled in by its issue's work


def downgrade() -> None:
    pass
