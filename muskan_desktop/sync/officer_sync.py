"""Officer accounts between a laptop and the server.

The server's accounts are the source of truth for a station's officers and their roles.
Up: an account added or changed on the laptop (by its SHO or admin, or an officer's own new
password) is queued in the outbox in the same transaction; at enrollment every local
account is queued first, so accounts made before the laptop was enrolled reach the server.
Down: each sync round fetches the station's accounts (name, role, argon2id hash, active,
locked state) so an officer can log in, offline too, on any enrolled laptop of the station.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from muskan_desktop.models import Meta, Officer

from . import outbox

ENTITY = "officers"
WIRE = ("id", "username", "full_name", "role", "password_hash", "active", "password_changed_at")


def _wire(o: Any) -> dict[str, Any]:
    out = {k: (o[k] if isinstance(o, Mapping) else getattr(o, k)) for k in WIRE}
    out["password_changed_at"] = out["password_changed_at"].isoformat()
    return out


def queue(session: Session, o: Officer) -> None:
    """Queue an account change for the server (accounts.py calls it in its transaction)."""
    if not session.get_bind().get_execution_options().get("muskan_write"):
        return
    conn = session.connection()
    if conn.scalar(select(Meta.value).where(Meta.key == outbox.DEVICE_KEY)) is None:
        return
    session.flush()
    entry = {
        "entity": ENTITY,
        "row_id": o.id,
        "op": "upsert",
        "data": _wire(o),
        "actor": session.info.get(outbox.ACTOR),
        "role": session.info.get(outbox.ROLE),
    }
    outbox.append(conn, [entry])


def snapshot(conn: Connection, actor: str | None, role: str | None) -> int:
    """At enrollment: every local account, the first (the SHO's) first."""
    t = Officer.__table__
    order = (t.c.role != "sho", t.c.created_at, t.c.username)
    found = conn.execute(select(t).order_by(*order)).mappings().all()
    batch = [
        {
            "entity": ENTITY,
            "row_id": r["id"],
            "op": "upsert",
            "data": _wire(r),
            "actor": actor,
            "role": role,
        }
        for r in found
    ]
    outbox.append(conn, batch)
    return len(batch)


def _time(v: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(v).replace(tzinfo=None) if isinstance(v, str) else None


def apply_roster(session: Session, roster: list[Mapping[str, Any]], now: dt.datetime) -> int:
    """Take the server's accounts of this station: role and access as the server says, the
    newer password, the later lock. Accounts only on this laptop stay (they are queued up)."""
    changed = 0
    local = {o.username: o for o in session.scalars(select(Officer))}
    for r in roster:
        name = str(r["username"])
        o = local.get(name)
        changed_at = _time(r.get("password_changed_at")) or now
        locked = _time(r.get("locked_until"))
        if o is None:
            session.add(
                Officer(
                    id=str(r["id"]),
                    username=name,
                    full_name=r.get("full_name"),
                    role=str(r["role"]),
                    password_hash=str(r["password_hash"]),
                    failed_logins=0,
                    locked_until=locked,
                    active=bool(r["active"]),
                    created_at=now,
                    created_by="server",
                    password_changed_at=changed_at,
                )
            )
            changed += 1
            continue
        before = (o.role, o.active, o.password_hash, o.locked_until)
        o.role, o.active = str(r["role"]), bool(r["active"])
        if changed_at >= o.password_changed_at and r["password_hash"] != o.password_hash:
            o.password_hash, o.password_changed_at = str(r["password_hash"]), changed_at
        if locked is not None and (o.locked_until is None or locked > o.locked_until):
            o.locked_until = locked
        changed += before != (o.role, o.active, o.password_hash, o.locked_until)
    return changed


def pull(client: Any) -> int:
    """Fetch and apply the station's accounts (one small request a round). A server too old
    to have accounts answers 404: nothing changes."""
    from .client import SyncError

    try:
        r = client._send("GET", "/v1/officers/station")
    except SyncError as exc:
        if type(exc) is SyncError:  # refused as unknown (an older server): not an outage
            return 0
        raise
    body = client._json(r)
    roster = body.get("officers")
    if not isinstance(roster, list):
        return 0
    with client.db.write() as s:
        s.info[outbox.APPLYING] = True
        return apply_roster(s, roster, dt.datetime.now(dt.UTC).replace(tzinfo=None))
