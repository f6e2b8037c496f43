"""Audit events on their way to the server: queued in the outbox in the same transaction
that writes them, as insert-only entries carrying their place in the hash chain.

Audit events are not a synced table (rows.ENTITIES): the server keeps them in its own
append-only table and never sends them back down, so they are queued here rather than by
the ORM hook. A revoked laptop's wipe leaves its audit trail in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from muskan_desktop.models import AuditEvent, Meta

from . import outbox

ENTITY = "audit_events"
FIELDS = (
    "id",
    "seq",
    "at",
    "actor",
    "device",
    "action",
    "entity",
    "entity_id",
    "details",
    "prev_hash",
    "hash",
)


def to_wire(ev: AuditEvent | Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        k: (ev[k] if isinstance(ev, Mapping) else getattr(ev, k)) for k in FIELDS
    }
    out["at"] = out["at"].isoformat()
    return out


def _entry(ev: AuditEvent | Any, role: str | None) -> dict[str, Any]:
    data = to_wire(ev)
    return {
        "entity": ENTITY,
        "row_id": data["id"],
        "op": "insert",
        "data": data,
        "actor": data["actor"],
        "role": role,
    }


def _enrolled(conn: Connection) -> bool:
    return conn.scalar(select(Meta.value).where(Meta.key == outbox.DEVICE_KEY)) is not None


def queue(session: Session, ev: AuditEvent, *, enrolled: bool | None = None) -> None:
    """Queue one new audit event (called by audit.record, inside its transaction; it says
    whether the register is enrolled when it knows). Unlike the ORM hook this also runs
    while a pull applies rows: an event is always delivered."""
    if not session.get_bind().get_execution_options().get("muskan_write"):
        return
    conn = session.connection()
    if enrolled if enrolled is not None else _enrolled(conn):
        outbox.append(conn, [_entry(ev, session.info.get(outbox.ROLE))])


def snapshot(conn: Connection) -> int:
    """At enrollment: queue the whole trail so far, oldest first (the server checks the
    chain from its first row)."""
    t = AuditEvent.__table__
    batch = [_entry(r, None) for r in conn.execute(select(t).order_by(t.c.seq)).mappings()]
    outbox.append(conn, batch)
    return len(batch)
