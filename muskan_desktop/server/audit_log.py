"""The laptops' audit trails on the server: append-only, per station, chain checked.

Each pushed audit event is stored once (an event already held is acknowledged, not stored
twice). The server checks that every event continues its laptop's hash chain (its previous
hash is the last one the server holds for that laptop's register, and its own hash matches
its content); when not, the event is still stored (nothing is dropped) with the break
written beside it, the receipt says so, and `muskan-server audit breaks` lists them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from muskan_desktop.sync import audit_sync

from . import schema

if TYPE_CHECKING:
    from .apply import Applier
    from .store import ServerStore

GENESIS = "0" * 64
_HEX64 = re.compile(r"[0-9a-f]{64}")
_TEXT = {"id": 36, "actor": 80, "device": 80, "action": 40, "entity": 40, "entity_id": 36}


def digest(prev: str, d: Mapping[str, Any], at: dt.datetime) -> str:
    """audit.py's row hash, from the wire form (the server checks it independently)."""
    body = json.dumps(
        [
            d["id"],
            at.isoformat(),
            d["actor"],
            d["device"],
            d["action"],
            d["entity"],
            d["entity_id"],
            d["details"],
        ],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256((prev + body).encode()).hexdigest()


def _parse(data: Mapping[str, Any]) -> tuple[dict[str, Any], dt.datetime]:
    from .apply import Reject

    missing = [k for k in audit_sync.FIELDS if k not in data]
    if missing:
        raise Reject(f"audit event without {', '.join(missing)}")
    for k, n in _TEXT.items():
        v = data[k]
        if v is None and k in ("entity", "entity_id"):
            continue
        if not isinstance(v, str) or len(v) > n or "\x00" in v:
            raise Reject(f"audit event: {k} must be text of at most {n} characters")
    for k in ("prev_hash", "hash"):
        v = data[k]
        if not isinstance(v, str) or not _HEX64.fullmatch(v):
            raise Reject(f"audit event: {k} must be 64 hex digits")
    if isinstance(data["seq"], bool) or not isinstance(data["seq"], int) or data["seq"] < 1:
        raise Reject("audit event: seq must be a positive whole number")
    if not isinstance(data["details"], dict) or "\\u0000" in json.dumps(data["details"]):
        raise Reject("audit event: details must be an object without NUL characters")
    try:
        at = dt.datetime.fromisoformat(str(data["at"])).replace(tzinfo=None)
    except ValueError:
        raise Reject("audit event: at is not a date and time") from None
    return dict(data), at


def apply(ap: Applier, e: Mapping[str, Any]) -> dict[str, Any]:
    """Store one audit event pushed by `ap.dev` (inside the push transaction)."""
    from .apply import Reject

    if e.get("op") != "insert":
        raise Reject("audit events are only ever added, never changed or deleted")
    d, at = _parse(e["data"])
    if d["id"] != e.get("row_id"):
        raise Reject("the record's id does not match the entry")
    t = schema.audit_events
    if ap.s.scalar(select(t.c.id).where(t.c.id == d["id"])) is not None:
        return {"status": "applied", "note": "already on the server"}
    last = ap.s.execute(
        select(t.c.hash, t.c.local_seq)
        .where(t.c.station_id == ap.dev.station_id, t.c.register_device == d["device"])
        .order_by(t.c.local_seq.desc())
        .limit(1)
    ).first()
    problems = []
    expected = last.hash if last is not None else GENESIS
    if d["prev_hash"] != expected:
        after = f"row {last.local_seq}" if last is not None else "the start of the trail"
        problems.append(
            f"audit chain break: row {d['seq']} does not continue from {after} held by the "
            "server (rows missing or changed on the laptop)"
        )
    if digest(d["prev_hash"], d, at) != d["hash"]:
        problems.append(f"audit chain break: row {d['seq']} does not match its own hash")
    ap.s.execute(
        insert(t).values(
            id=d["id"],
            station_id=ap.dev.station_id,
            device_id=ap.dev.id,
            register_device=d["device"],
            local_seq=d["seq"],
            at=at,
            actor=d["actor"],
            action=d["action"],
            entity=d["entity"],
            entity_id=d["entity_id"],
            details=d["details"],
            prev_hash=d["prev_hash"],
            hash=d["hash"],
            received_at=ap.now,
            chain_break="; ".join(problems) or None,
        )
    )
    body: dict[str, Any] = {"status": "applied"}
    if problems:
        body["audit_chain_break"] = "; ".join(problems)
    return body


def breaks(store: ServerStore, station_id: str | None = None) -> list[dict[str, Any]]:
    """Every stored event that did not continue its laptop's chain (for the administrator)."""
    t = schema.audit_events
    q = select(t).where(t.c.chain_break.is_not(None)).order_by(t.c.received_at, t.c.local_seq)
    if station_id:
        q = q.where(t.c.station_id == station_id)
    with store.session() as s:
        return [
            {
                "station_id": r.station_id,
                "device_id": r.device_id,
                "register_device": r.register_device,
                "row": int(r.local_seq),
                "at": r.at.isoformat(),
                "received_at": r.received_at.isoformat(),
                "problem": r.chain_break,
            }
            for r in s.execute(q)
        ]
