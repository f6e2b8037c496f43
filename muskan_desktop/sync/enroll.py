"""Enrolling a laptop with the central server once, with the administrator's one-time code."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import insert, select, text, update

from muskan_desktop.ids import station_id
from muskan_desktop.models import Case, Meta, Station

from . import audit_sync, credentials, officer_sync, outbox, pull, rows
from .client import OFFSET_KEY, SERVER_KEY, Offline, Refused, SyncError, TooOld, _headers
from .tables import outbox as outbox_t


def enroll(
    ctx: Any, server: str, code: str, *, http: httpx.Client | None = None, label: str | None = None
) -> dict[str, Any]:
    """Exchange the code for a device credential (kept in the keyring), make this register's
    station the server's, and queue everything already in the register for the first push."""
    credentials.check(ctx.db)  # nowhere safe to keep it: say so before using up the code
    server = server.rstrip("/")
    client = http or httpx.Client(base_url=server, timeout=60)
    previous = _meta(ctx, outbox.DEVICE_KEY)
    try:
        r = client.post("/v1/enroll", json={"code": code, "label": label}, headers=_headers())
    except httpx.HTTPError as exc:
        raise Offline(f"The server {server} cannot be reached ({exc}).") from None
    if r.status_code == 426:
        raise TooOld(r.json().get("message", "This version of Muskan is too old for the server."))
    if r.status_code in (401, 403):
        raise Refused(r.json().get("message", "The server refused the code."))
    if r.status_code >= 400:
        raise SyncError(f"The server refused the enrollment ({r.status_code}): {r.text[:200]}")
    body = r.json()
    dev = str(body["device_id"])
    credentials.save(
        credentials.Credential(
            server, dev, body["token"], body["refresh_token"], body["expires_at"]
        ),
        ctx.db,
    )
    st = rows.row_from_wire("stations", body["station"])
    with ctx.db.write() as s:
        s.info[outbox.APPLYING] = True
        conn = s.connection()
        conn.execute(text("PRAGMA defer_foreign_keys=ON"))
        _rekey_stations(conn)
        if conn.scalar(select(Station.id).where(Station.id == st["id"])) is None:
            conn.execute(insert(Station), [st])
        pull.set_meta(conn, "station_id", st["id"])
        pull.set_meta(conn, SERVER_KEY, server)
        pull.set_meta(conn, outbox.DEVICE_KEY, dev)
        if previous is None:
            pull.set_meta(conn, pull.CURSOR_KEY, "0")
            # Local accounts first (the server checks every later entry's officer). The
            # work done before enrolling is handed in by the officer who enrolls.
            first = outbox.next_seq(conn)
            queued = officer_sync.snapshot(conn, ctx.actor, ctx.role)
            queued += outbox.snapshot(conn)
            queued += audit_sync.snapshot(conn)  # the audit trail so far, oldest first
            conn.execute(
                update(outbox_t)
                .where(outbox_t.c.seq >= first)
                .values(actor=ctx.actor, role=ctx.role or None)
            )
        else:
            queued = 0
        # A new device numbers from 1 again: earlier local entries keep their receipts.
        top = conn.scalar(
            select(outbox_t.c.seq)
            .where(outbox_t.c.state == "pending")
            .order_by(outbox_t.c.seq)
            .limit(1)
        )
        last = conn.scalar(select(outbox_t.c.seq).order_by(outbox_t.c.seq.desc()).limit(1))
        offset = (int(top) - 1) if top is not None else int(last or 0)
        pull.set_meta(conn, OFFSET_KEY, str(offset))
    if previous and previous != dev:
        credentials.forget(previous, ctx.db)
    return {"device_id": dev, "station": st["code"], "queued": queued, "role": body.get("role")}


def _meta(ctx: Any, key: str) -> str | None:
    with ctx.db.read() as s:
        value: str | None = s.scalar(select(Meta.value).where(Meta.key == key))
        return value


def _rekey_stations(conn: Any) -> None:
    """Registers made before sync gave stations random ids; the server derives them from
    the station code. Move every reference over (foreign keys are checked at commit)."""
    for sid, code in conn.execute(select(Station.id, Station.code)).all():
        new = station_id(code)
        if new == sid:
            continue
        conn.execute(update(Station).where(Station.id == sid).values(id=new))
        conn.execute(update(Case).where(Case.station_id == sid).values(station_id=new))
        conn.execute(
            update(Meta).where(Meta.key == "station_id", Meta.value == sid).values(value=new)
        )
