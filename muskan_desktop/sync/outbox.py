"""The transactional outbox: every change to a synced row is recorded in the same SQLite
transaction that makes it.

The hook is an ORM `after_flush` listener, so every write path (case edits, lifecycle
steps, photos, embeddings, verdicts, imports through the ORM) is covered without each
service having to remember it; bulk Core inserts call `record_inserts`. It is active only
on a register enrolled with a server, and never while a pull applies the server's rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, event, func, insert, inspect, select
from sqlalchemy.orm import Session

from muskan_desktop.models import Case, FaceEmbedding, MatchCandidate, Meta

from . import rows
from .tables import field_versions, outbox

DEVICE_KEY = "sync_device"
APPLYING = "muskan_sync_apply"  # session.info flag: a pull is writing the server's rows
ROLE = "muskan_role"  # session.info: the acting officer's role, when login knows it
ACTOR = "muskan_actor"  # session.info: the logged-in officer (context.py sets both)
_ENROLLED = "muskan_sync_enrolled"  # session.info: this session saw the device enrolled
ACTOR_FIELDS = ("updated_by", "added_by", "by", "assessed_by", "created_by")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def enabled(session: Session) -> bool:
    if session.info.get(APPLYING):
        return False
    bind = session.get_bind()
    if not bind.get_execution_options().get("muskan_write"):
        return False  # not the laptop's write session (the server, a read)
    if session.info.get(_ENROLLED):
        return True  # (a photo's add flushes several times; enrolment is never undone)
    conn = session.connection()
    found = conn.scalar(select(Meta.value).where(Meta.key == DEVICE_KEY)) is not None
    session.info[_ENROLLED] = found
    return found


def next_seq(conn: Connection) -> int:
    return int(conn.scalar(select(func.coalesce(func.max(outbox.c.seq), 0))) or 0) + 1


def append(conn: Connection, entries: Sequence[Mapping[str, Any]]) -> None:
    """Number and store entries (gapless per device: the write lock is held)."""
    if not entries:
        return
    seq = next_seq(conn)
    now = _now()
    batch = []
    for i, e in enumerate(entries):
        batch.append(
            {
                "seq": seq + i,
                "entity": e["entity"],
                "row_id": e["row_id"],
                "op": e["op"],
                "data": e["data"],
                "base": e.get("base"),
                "actor": e.get("actor"),
                "role": e.get("role"),
                "created_at": now,
                "state": "pending",
                "attempts": 0,
            }
        )
    conn.execute(insert(outbox), batch)


def _actor(obj: Any) -> str | None:
    for f in ACTOR_FIELDS:
        v = getattr(obj, f, None)
        if isinstance(v, str):
            return v
    return None


def known_versions(conn: Connection, case_id: str) -> dict[str, int]:
    q = select(field_versions.c.field, field_versions.c.version).where(
        field_versions.c.case_id == case_id
    )
    return {f: int(v) for f, v in conn.execute(q)}


def _after_flush(session: Session, _ctx: Any) -> None:
    if not (session.new or session.dirty or session.deleted):
        return
    if not enabled(session):
        return
    conn = session.connection()
    role = session.info.get(ROLE)
    officer = session.info.get(ACTOR)
    entries: list[dict[str, Any]] = []
    new = sorted(
        (o for o in session.new if type(o) in rows.MODEL_ENTITY),
        key=lambda o: rows.ORDER[rows.MODEL_ENTITY[type(o)]],
    )
    for obj in new:
        entity = rows.MODEL_ENTITY[type(obj)]
        entries.append(
            {
                "entity": entity,
                "row_id": obj.id,
                "op": "insert",
                "data": rows.row_to_wire(entity, obj),
                "actor": officer or _actor(obj),
                "role": role,
            }
        )
    for obj in session.dirty:
        if isinstance(obj, Case | MatchCandidate) and obj not in session.new:
            entry = _update_entry(conn, obj, role)
            if entry is not None:
                entry["actor"] = officer or entry["actor"]
                entries.append(entry)
    for obj in session.deleted:
        if isinstance(obj, FaceEmbedding):
            entries.append(
                {
                    "entity": "face_embeddings",
                    "row_id": obj.id,
                    "op": "delete",
                    # what makes it unique too: the server may hold it under another id
                    "data": {
                        "id": obj.id,
                        "case_id": obj.case_id,
                        "photo_sha256": obj.photo_sha256,
                        "model": obj.model,
                    },
                    "actor": officer,
                    "role": role,
                }
            )
    append(conn, entries)


def _update_entry(conn: Connection, obj: Any, role: str | None) -> dict[str, Any] | None:
    entity = rows.MODEL_ENTITY[type(obj)]
    state = inspect(obj)
    changed = {}
    for attr in state.mapper.column_attrs:
        if state.attrs[attr.key].history.has_changes():
            changed[attr.key] = getattr(obj, attr.key)
    if isinstance(obj, Case):
        fields = {k: v for k, v in changed.items() if k not in rows.CASE_BOOKKEEPING}
        merged = {k: v for k, v in fields.items() if k not in rows.CASE_META}
        if not merged:
            return None
        known = known_versions(conn, obj.id)
        data = {k: rows.to_wire(v) for k, v in fields.items()}
        base = {k: known.get(k, 1) for k in merged}
    else:
        if "status" not in changed:
            return None
        data = {"status": changed["status"]}
        base = None
    return {
        "entity": entity,
        "row_id": obj.id,
        "op": "update",
        "data": data,
        "base": base,
        "actor": _actor(obj),
        "role": role,
    }


def record_inserts(
    conn: Connection, entity: str, new_rows: Iterable[Mapping[str, Any]], role: str | None = None
) -> None:
    """For bulk Core inserts (import): outbox entries for rows the ORM never saw."""
    if conn.scalar(select(Meta.value).where(Meta.key == DEVICE_KEY)) is None:
        return
    append(
        conn,
        [
            {
                "entity": entity,
                "row_id": r["id"],
                "op": "insert",
                "data": rows.row_to_wire(entity, r),
                "actor": _actor_of(r),
                "role": role,
            }
            for r in new_rows
        ],
    )


def _actor_of(r: Any) -> str | None:
    for f in ACTOR_FIELDS:
        v = r.get(f)
        if isinstance(v, str):
            return v
    return None


def snapshot(conn: Connection) -> int:
    """At enrollment: queue every existing synced row, so work done before the laptop was
    enrolled reaches the server too. Returns how many entries were queued."""
    from .tables import remote_cases

    n = 0
    remote = set(conn.scalars(select(remote_cases.c.case_id)))
    for entity in rows.ENTITIES:
        t = rows.table(entity)
        batch = []
        for r in conn.execute(select(t)).mappings():
            if entity == "cases" and r["id"] in remote:
                continue
            batch.append(
                {
                    "entity": entity,
                    "row_id": r["id"],
                    "op": "insert",
                    "data": rows.row_to_wire(entity, r),
                    "actor": _actor_of(r),
                }
            )
        append(conn, batch)
        n += len(batch)
    return n


def pending_count(conn: Connection) -> tuple[int, dt.datetime | None]:
    q = select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.state == "pending")
    count, oldest = conn.execute(q).one()
    return int(count or 0), oldest


_registered = False


def register() -> None:
    global _registered
    if not _registered:
        event.listen(Session, "after_flush", _after_flush)
        _registered = True


register()
