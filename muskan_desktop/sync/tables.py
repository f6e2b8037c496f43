"""The laptop's sync bookkeeping tables (migration 0006), on the register's own metadata.

They sit beside the case tables because the outbox must be written in the same SQLite
transaction as the change it records.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, Table, Text

from muskan_desktop.models import Base

meta = Base.metadata

# One row per local change, numbered per device with no gaps. Never deleted: a receipt
# only changes `state` (pending -> applied / conflict / rejected / quarantined).
outbox = Table(
    "sync_outbox",
    meta,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("entity", String(40), nullable=False),
    Column("row_id", String(36), nullable=False),
    Column("op", String(10), nullable=False),
    Column("data", JSON, nullable=False),
    Column("base", JSON),
    Column("actor", String(80)),
    Column("role", String(20)),
    Column("created_at", DateTime, nullable=False),
    Column("state", String(12), nullable=False, server_default="pending"),
    Column("receipt", JSON),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Index("ix_sync_outbox_state_seq", "state", "seq"),
    Index("ix_sync_outbox_row_id", "row_id"),
)

# The server's per-field version of each case field this laptop last saw (the merge base).
field_versions = Table(
    "sync_field_versions",
    meta,
    Column("case_id", String(36), primary_key=True),
    Column("field", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
)

# Conflicts the server recorded on cases this station sees: the losing value is kept here.
conflicts = Table(
    "sync_conflicts",
    meta,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("field", String(40), nullable=False),
    Column("kept", JSON),
    Column("lost", JSON),
    Column("kept_by", String(80)),
    Column("lost_by", String(80)),
    Column("at", DateTime),
    Column("resolved_at", DateTime),
    Column("resolved_by", String(80)),
    Column("resolution", JSON),
)

# Rows a pull skipped fields of (local edits pending): fetched again once those are pushed.
refetch = Table(
    "sync_refetch",
    meta,
    Column("entity", String(40), primary_key=True),
    Column("row_id", String(36), primary_key=True),
)

# Cases of other districts held only as match-index stubs (no name, no contact details).
remote_cases = Table(
    "sync_remote_cases",
    meta,
    Column("case_id", String(36), primary_key=True),
    Column("station_code", String(32)),
    Column("note", Text),
)
