"""Officer accounts between a laptop and the server.

The server's accounts are the source of truth for a station's officers and their roles.
Up: an account added or changed on the laptop (by its SHO or admin, or an officer's own new
password) is queued in the outbox in the same transaction; at enrollment every local
account is queued first, so accounts made before the laptop was enrolled reach the server.
Down: each sync round fetches the station's accounts (name, role, argon2id hash, active,
locked state) so an officer can log in, offline too, on any enrolled laptop of the station.

Trust: the server takes a pushed account change only from an officer whose role there (and
the laptop's enrolled role) manages accounts, and stamps it with its own time. An officer who
changes their own password proves it the one way a laptop can (a pushed hash proves nothing:
every laptop of the station holds every hash): the old password, checked by the server
(POST /v1/officers/login, then /v1/officers/password) at the next sync round of this running
app, or at once by `muskan officer passwd`. The pair is held in this process's memory only,
never written anywhere; if the app closes first, the server's password stays and comes back
down (the officer changes it again while online). Down, the server's account is the truth:
a local account differs from it only while its own change waits to go up.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from muskan_desktop.models import Meta, Officer, Station

from . import outbox
from .tables import outbox as outbox_t

log = logging.getLogger(__name__)

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


# Own new passwords waiting for the server: register path -> officer -> (old, new). Memory
# only (never the register, never a file), for the next round of this process.
_HAND_IN: dict[str, dict[str, tuple[str, str]]] = {}
_HAND_IN_LOCK = threading.Lock()


def hand_in_later(db: Any, username: str, old: str, new: str) -> None:
    """An officer's own new password, for the server at the next round (an enrolled
    register only: otherwise there is no server to tell)."""
    with db.read() as s:
        if s.scalar(select(Meta.value).where(Meta.key == outbox.DEVICE_KEY)) is None:
            return
    with _HAND_IN_LOCK:
        _HAND_IN.setdefault(str(db.path), {})[username] = (old, new)


def _waiting(db: Any) -> dict[str, tuple[str, str]]:
    with _HAND_IN_LOCK:
        return dict(_HAND_IN.get(str(db.path), {}))


def _done(db: Any, username: str, pair: tuple[str, str]) -> None:
    with _HAND_IN_LOCK:
        held = _HAND_IN.get(str(db.path), {})
        if held.get(username) == pair:  # (not a newer change made meanwhile)
            del held[username]


def hand_in_passwords(client: Any) -> int:
    """Give the server the own new passwords changed in this app since the last round: log
    in with the old one, change it through the officer API. A refused old password (the
    administrator reset it meanwhile) drops the change, so a stale one is tried once and
    never counts towards a lockout again; an outage keeps it for the next round."""
    done = 0
    for name, pair in _waiting(client.db).items():
        outcome = _hand_in(client, name, pair)
        if outcome != "offline":
            _done(client.db, name, pair)
        done += outcome == "done"
    return done


def _hand_in(client: Any, name: str, pair: tuple[str, str]) -> str:
    from .client import Offline, SyncError

    with client.db.read() as s:
        sid = s.scalar(select(Meta.value).where(Meta.key == "station_id"))
        code = s.scalar(select(Station.code).where(Station.id == sid)) if sid else None
    old, new = pair
    try:
        r = client._send(
            "POST",
            "/v1/officers/login",
            auth=False,
            json={"station": code, "username": name, "password": old},
        )
        token = str(client._json(r)["token"])
        client._send(
            "POST",
            "/v1/officers/password",
            auth=False,
            headers={"Authorization": f"Bearer {token}"},
            json={"old": old, "new": new},
        )
    except Offline:
        return "offline"
    except (SyncError, KeyError):
        log.warning("an officer's new password was refused by the server; the server's stays")
        return "refused"
    return "done"


def hand_in_now(ctx: Any) -> str | None:
    """For a command that ends its process (the app's memory goes with it): hand the new
    password in at once. What happened, for the officer; None when there is nothing to do."""
    from .client import NotEnrolled, SyncClient, SyncError

    waiting = _waiting(ctx.db)
    if not waiting:
        return None
    with _HAND_IN_LOCK:
        _HAND_IN.pop(str(ctx.db.path), None)  # (this process ends: nothing keeps it)
    try:
        client = SyncClient(ctx)
    except NotEnrolled:
        return None
    except SyncError:  # (its credential is not at hand: as good as offline)
        outcomes = {"offline"}
    else:
        outcomes = {_hand_in(client, name, pair) for name, pair in waiting.items()}
    if outcomes == {"done"}:
        return "The server has the new password too."
    if "refused" in outcomes:
        return (
            "The server refused the current password (the administrator may have reset it), "
            "so it keeps its own: this laptop takes that one at its next sync."
        )
    return (
        "The server could not be reached, so it still has the old password: the new one "
        "works on this laptop until its next sync. Change it again while the server can be "
        "reached."
    )


def _time(v: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(v).replace(tzinfo=None) if isinstance(v, str) else None


def apply_roster(
    session: Session,
    roster: list[Mapping[str, Any]],
    now: dt.datetime,
    waiting: frozenset[str] = frozenset(),
) -> int:
    """Take the server's accounts of this station: role, access and password as the server
    has them (its times order the changes, never this laptop's clock), the later lock. An
    account whose own change still waits to go up (queued, or in `waiting`: an own new
    password for the officer API) stays as it is here until the server has it; accounts only
    on this laptop stay (they are queued up)."""
    changed = 0
    local = {o.username: o for o in session.scalars(select(Officer))}
    queued = set(
        session.scalars(
            select(outbox_t.c.row_id).where(
                outbox_t.c.entity == ENTITY, outbox_t.c.state == "pending"
            )
        )
    )
    for r in roster:
        name = str(r["username"])
        o = local.get(name)
        if o is not None and (o.id in queued or name in waiting):
            continue
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
        if r["password_hash"] != o.password_hash:
            o.password_hash, o.password_changed_at = str(r["password_hash"]), changed_at
        if locked is not None and (o.locked_until is None or locked > o.locked_until):
            o.locked_until = locked
        changed += before != (o.role, o.active, o.password_hash, o.locked_until)
    return changed


def pull(client: Any) -> int:
    """Fetch and apply the station's accounts (one small request a round). A server too old
    to have accounts answers 404: nothing changes."""
    from .client import SyncError

    hand_in_passwords(client)
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
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return apply_roster(s, roster, now, frozenset(_waiting(client.db)))
