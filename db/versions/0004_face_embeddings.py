"""face embeddings: the 128-number dlib face descriptor of each photo, per face model

Alerts need no table of their own: an open match candidate is the alert, and a verdict row
closes it. Vectors are stored as 512-byte float32 blobs so the matcher loads them without
re-encoding any photo.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "face_embeddings",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("photo_sha256", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("model", sa.String(length=80), nullable=False),
        sa.Column("model_version", sa.String(length=40), nullable=False),
        sa.Column("box", sa.JSON(), nullable=False),
        sa.Column("quality", sa.JSON(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_face_embeddings_case_id_cases"),
        sa.PrimaryKeyConstraint("seq", name="pk_face_embeddings"),
        sa.UniqueConstraint("id", name="uq_face_embeddings_id"),
        sa.UniqueConstraint(
            "photo_sha256", "case_id", "model", name="uq_face_embeddings_photo_sha256"
        ),
        sqlite_autoincrement=True,  # a deleted row's seq is never handed out again
    )
    op.create_index("ix_face_embeddings_case_id", "face_embeddings", ["case_id"])
    op.create_index("ix_face_embeddings_photo_sha256", "face_embeddings", ["photo_sha256"])


def downgrade() -> None:
    op.drop_index("ix_face_embeddings_photo_sha256", table_name="face_embeddings")
    op.drop_index("ix_face_embeddings_case_id", table_name="face_embeddings")
    op.drop_table("face_embeddings")
