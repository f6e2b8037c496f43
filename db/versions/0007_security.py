"""officer accounts, sessions and device state for login, roles and lost-laptop response (issue 8)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 19:40:00
"""

from collections.abc import Sequence

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # filled in by its issue's work


def downgrade() -> None:
    pass
