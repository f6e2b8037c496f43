"""The central server's own tables (devices, receipts, the change feed, conflicts, blobs).

Case data lives in the shared domain tables (models.py); these sit beside them. Created with
`create_all` on first start (SQLite file or PostgreSQL); additive only.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import Connection

from muskan_desktop.models import Base

meta = MetaData()

devices = Table(
    "server_devices",
    meta,
    Column("id", String(36), primary_key=True),
    Column("station_id", String(36), nullable=False, index=True),
    Column("label", String(120)),
    Column("role", String(20), nullable=False),
    Column("token_hash", String(64), unique=True),
    Column("token_expires_at", DateTime),
    Column("refresh_hash", String(64), unique=True),
    Column("refresh_expires_at", DateTime),
    Column("revoked_at", DateTime),
    Column("last_seq", BigInteger, nullable=False, default=0),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime),
    # Revocation with a hand-in (the rule: ServerStore.revoke): the administrator allowed
    # the revoked laptop to deliver its queue once; when that started; when it ended; when
    # the laptop reported its wipe. (Added 2026-12: `create` adds them to an older server database.)
    Column("handin_allowed", Boolean, nullable=False, default=False, server_default="0"),
    Column("handin_started_at", DateTime),
    Column("handed_in_at", DateTime),
    Column("wiped_at", DateTime),
)

# Columns added to existing tables after their first release: (table, column DDL). `create`
# adds those an older server database lacks (ALTER TABLE ... ADD COLUMN; additive only).
ADDED_COLUMNS = (
    ("server_devices", "handin_allowed", "BOOLEAN NOT NULL DEFAULT {false}"),
    ("server_devices", "handin_started_at", "{timestamp}"),
    ("server_devices", "handed_in_at", "{timestamp}"),
    ("server_devices", "wiped_at", "{timestamp}"),
)

enrollments = Table(
    "server_enrollments",
    meta,
    Column("code_hash", String(64), primary_key=True),
    Column("station_id", String(36), nullable=False),
    Column("role", String(20), nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("used_at", DateTime),
    Column("device_id", String(36)),
)

# The stored answer to every entry a device pushed: a retry gets the same answer back.
receipts = Table(
    "server_receipts",
    meta,
    Column("device_id", String(36), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("status", String(12), nullable=False),
    Column("body", JSON, nullable=False),
)

# The single-row counter that numbers the feed inside each applying transaction, so the
# numbering order is the commit order.
counter = Table(
    "server_counter",
    meta,
    Column("id", Integer, primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# One row per synced record: the feed number of its latest change and who may see it.
feed = Table(
    "server_feed",
    meta,
    Column("entity", String(40), primary_key=True),
    Column("row_id", String(36), primary_key=True),
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("public", Boolean, nullable=False, default=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("station_id", String(36)),
    Column("district", String(120)),
    Column("station2", String(36)),
    Column("district2", String(120)),
)

# The highest pull cursor handed to each device. A device asking from beyond it holds a
# cursor this database never issued: the server was restored from a backup, and the
# device must read the feed again from the start (or it would skip renumbered rows).
device_cursors = Table(
    "server_device_cursors",
    meta,
    Column("device_id", String(36), primary_key=True),
    Column("pulled_to", BigInteger, nullable=False),
)

field_versions = Table(
    "server_field_versions",
    meta,
    Column("case_id", String(36), primary_key=True),
    Column("field", String(40), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("device_id", String(36)),
    Column("actor", String(80)),
)

conflicts = Table(
    "server_conflicts",
    meta,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False),
    Column("field", String(40), nullable=False),
    Column("kept", JSON),
    Column("lost", JSON),
    Column("kept_by", String(80)),
    Column("lost_by", String(80)),
    Column("kept_device", String(36)),
    Column("lost_device", String(36)),
    Column("at", DateTime),
    Column("resolved_at", DateTime),
    Column("resolved_by", String(80)),
    Column("resolution", JSON),
    Index("ix_server_conflicts_case", "case_id"),
)

# The laptops' audit trails (server/audit_log.py): append-only. No code path updates or
# deletes a row, and the database itself refuses it (APPEND_ONLY_DDL; restoring the whole
# database from a backup, TRUNCATE by its owner, stays possible).
audit_events = Table(
    "server_audit_events",
    meta,
    Column("id", String(36), primary_key=True),
    Column("station_id", String(36), nullable=False),
    Column("device_id", String(36), nullable=False),  # the enrolled laptop that pushed it
    Column("register_device", String(80), nullable=False),  # the register's own device id
    Column("local_seq", BigInteger, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("actor", String(80), nullable=False),
    Column("action", String(40), nullable=False),
    Column("entity", String(40)),
    Column("entity_id", String(36)),
    Column("details", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("received_at", DateTime, nullable=False),
    Column("chain_break", String(400)),  # why this row does not continue its chain
    Index("ix_server_audit_chain", "station_id", "register_device", "local_seq"),
    Index("ix_server_audit_case", "entity_id"),
)

APPEND_ONLY_DDL = {
    "postgresql": [
        """CREATE OR REPLACE FUNCTION muskan_audit_append_only() RETURNS trigger
           LANGUAGE plpgsql AS $$
           BEGIN
             RAISE EXCEPTION 'audit records are append-only (no UPDATE or DELETE)';
           END $$""",
        """CREATE OR REPLACE TRIGGER server_audit_events_append_only
           BEFORE UPDATE OR DELETE ON server_audit_events
           FOR EACH STATEMENT EXECUTE FUNCTION muskan_audit_append_only()""",
        """CREATE OR REPLACE TRIGGER server_officer_events_append_only
           BEFORE UPDATE OR DELETE ON server_officer_events
           FOR EACH STATEMENT EXECUTE FUNCTION muskan_audit_append_only()""",
    ],
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS server_audit_events_no_update
           BEFORE UPDATE ON server_audit_events
           BEGIN SELECT RAISE(ABORT, 'server_audit_events is append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS server_audit_events_no_delete
           BEFORE DELETE ON server_audit_events
           BEGIN SELECT RAISE(ABORT, 'server_audit_events is append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS server_officer_events_no_update
           BEFORE UPDATE ON server_officer_events
           BEGIN SELECT RAISE(ABORT, 'server_officer_events is append-only'); END""",
        """CREATE TRIGGER IF NOT EXISTS server_officer_events_no_delete
           BEFORE DELETE ON server_officer_events
           BEGIN SELECT RAISE(ABORT, 'server_officer_events is append-only'); END""",
    ],
}

# Officer accounts (server/officers.py): per station, the source of truth for roles.
officers = Table(
    "server_officers",
    meta,
    Column("id", String(36), primary_key=True),
    Column("station_id", String(36), nullable=False),
    Column("username", String(80), nullable=False),
    Column("full_name", String(200)),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
    Column("password_changed_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("last_login_at", DateTime),
    UniqueConstraint("station_id", "username", name="uq_server_officers_station_username"),
)

# What officers did through the API (logins, failed and locked ones, reads, password
# changes): append-only like the laptops' trails (APPEND_ONLY_DDL).
officer_events = Table(
    "server_officer_events",
    meta,
    Column("id", String(36), primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("station_id", String(36)),
    Column("username", String(80), nullable=False),
    Column("action", String(40), nullable=False),
    Column("details", JSON, nullable=False),
    Index("ix_server_officer_events_station_at", "station_id", "at"),
)

# Short-lived officer tokens from POST /v1/officers/login (kept only as SHA-256 hashes).
officer_tokens = Table(
    "server_officer_tokens",
    meta,
    Column("token_hash", String(64), primary_key=True),
    Column("officer_id", String(36), nullable=False, index=True),
    Column("username", String(80), nullable=False),
    Column("expires_at", DateTime, nullable=False),
)

blobs = Table(
    "server_blobs",
    meta,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("stored_at", DateTime, nullable=False),
)

# The photo files themselves, beside their record in `server_blobs` and written in the same
# transaction: a batch of photos is durable with one commit, and a backup of the database
# holds them. (Servers before 2026-11-29 kept them as files under --home/blobs, which are
# still read.)
blob_data = Table(
    "server_blob_data",
    meta,
    Column("sha256", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

# Who sent each photo's bytes: one row per (photo, station), written when a device of that
# station uploads the bytes (even if another station sent the same bytes first). A `photos`
# row is accepted only for a photo its station uploaded, and a photo is handed out only for a
# case whose own station uploaded it: knowing a photo's SHA-256 is not enough to get it.
blob_uploaders = Table(
    "server_blob_uploaders",
    meta,
    Column("sha256", String(64), primary_key=True),
    Column("station_id", String(36), primary_key=True),
    Column("device_id", String(36)),  # the first device of that station to send it
    Column("uploaded_at", DateTime, nullable=False),
)

# The server's own secrets and one-time upgrade marks (in the database, so every worker and
# a restored backup agree): `photo_pseudonym_key` keys the HMAC that stands in for a photo's
# SHA-256 outside its case's jurisdiction (scope.pseudonym); `blob_uploaders_filled` says
# an older database's photos were credited to their stations (_upgrade_blob_uploaders).
secrets_table = Table(
    "server_secrets",
    meta,
    Column("name", String(40), primary_key=True),
    Column("value", String(128), nullable=False),
)

# The domain tables the server keeps (not the laptop's own bookkeeping).
DOMAIN_TABLES = (
    "stations",
    "cases",
    "photos",
    "lifecycle_events",
    "tracing_entries",
    "risk_assessments",
    "face_embeddings",
    "match_candidates",
    "match_verdicts",
)


def _add_columns(conn: Connection) -> None:
    """The columns of ADDED_COLUMNS an older server database lacks."""
    pg = conn.dialect.name == "postgresql"
    words = {"false": "false" if pg else "0", "timestamp": "TIMESTAMP WITHOUT TIME ZONE"}
    if not pg:
        words["timestamp"] = "DATETIME"
    have: dict[str, set[str]] = {}
    for table, column, ddl in ADDED_COLUMNS:
        if table not in have:
            have[table] = {c["name"] for c in inspect(conn).get_columns(table)}
        if column not in have[table]:
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {ddl.format(**words)}")


def create(engine: Engine) -> None:
    tables = [Base.metadata.tables[n] for n in DOMAIN_TABLES]
    Base.metadata.create_all(engine, tables=tables)
    meta.create_all(engine)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":  # several workers may start at once
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(74657)")
        _upgrade_blob_uploaders(conn)
        for ddl in APPEND_ONLY_DDL.get(engine.dialect.name, []):
            conn.exec_driver_sql(ddl)
        seed(conn)
        _add_columns(conn)
        # Devices enrolled before the server kept pull cursors: none was ever handed more
        # than the feed's present end.
        top = select(counter.c.value).where(counter.c.id == 1).scalar_subquery()
        known = select(device_cursors.c.device_id)
        conn.execute(
            insert(device_cursors).from_select(
                ["device_id", "pulled_to"],
                select(devices.c.id, top).where(devices.c.id.not_in(known)),
            )
        )


def seed(conn: Connection) -> None:
    """The rows a server cannot work without, where missing: the feed counter and the key
    of the photo pseudonyms (a new random one: on a database emptied by hand, laptops
    already holding pseudonyms should be enrolled again)."""
    if conn.scalar(select(counter.c.value).where(counter.c.id == 1)) is None:
        conn.execute(insert(counter).values(id=1, value=0))
    key = select(secrets_table.c.value).where(secrets_table.c.name == PSEUDONYM_KEY)
    if conn.scalar(key) is None:
        conn.execute(insert(secrets_table).values(name=PSEUDONYM_KEY, value=secrets.token_hex(32)))


PSEUDONYM_KEY = "photo_pseudonym_key"
UPGRADED_UPLOADERS = "blob_uploaders_filled"


def _upgrade_blob_uploaders(conn: Connection) -> None:
    """A server from before `server_blob_uploaders` (2026-12-02): each stored photo is
    credited, once, to the station of the case whose `photos` row reached the server first
    (the one that sent the bytes: any later row naming the same photo may be one planted by
    a laptop that read the photo's hash in the match index). Photos no row names yet are
    credited to no one: the laptop that holds them is told they are missing and sends them
    again."""
    done = select(secrets_table.c.value).where(secrets_table.c.name == UPGRADED_UPLOADERS)
    if conn.scalar(done) is not None:
        return
    photos, cases = Base.metadata.tables["photos"], Base.metadata.tables["cases"]
    q = (
        select(photos.c.sha256, cases.c.station_id, feed.c.seq)
        .join(cases, cases.c.id == photos.c.case_id)
        .join(blobs, blobs.c.sha256 == photos.c.sha256)
        .outerjoin(feed, (feed.c.entity == "photos") & (feed.c.row_id == photos.c.id))
    )
    first: dict[str, tuple[float, str]] = {}
    for sha, station, seq in conn.execute(q):
        order = float(seq) if seq is not None else float("inf")
        if sha not in first or order < first[sha][0]:
            first[sha] = (order, station)
    known = set(conn.scalars(select(blob_uploaders.c.sha256)))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    todo = [
        {"sha256": sha, "station_id": st, "device_id": None, "uploaded_at": now}
        for sha, (_o, st) in first.items()
        if sha not in known
    ]
    for i in range(0, len(todo), 1000):
        conn.execute(insert(blob_uploaders), todo[i : i + 1000])
    conn.execute(insert(secrets_table).values(name=UPGRADED_UPLOADERS, value=now.isoformat()))
