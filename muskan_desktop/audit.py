"""The audit trail: every create, edit, view and export, hash-chained row to row.

Each row's hash covers the previous row's hash, so an edited or deleted row breaks the
chain from that point (`verify` names the first broken row); rows cut off the end are
caught by the anchor (below). Details never hold names.
Every event is queued for the server in the same transaction (sync/audit_sync.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .context import Context
from .models import AuditEvent, Meta

if TYPE_CHECKING:
    from .keystore import RegisterKeys

GENESIS = "0" * 64


def _digest(prev: str, ev: AuditEvent) -> str:
    body = json.dumps(
        [
            ev.id,
            ev.at.isoformat(),
            ev.actor,
            ev.device,
            ev.action,
            ev.entity,
            ev.entity_id,
            ev.details,
        ],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256((prev + body).encode()).hexdigest()


def record(
    session: Session,
    ctx: Context,
    action: str,
    entity: str | None = None,
    entity_id: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Append one audit row in the caller's transaction (which must be a write)."""
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    prev = last[1] if last is not None else None
    ev = AuditEvent(
        at=ctx.clock(),
        actor=ctx.actor,
        device=ctx.device,
        action=action,
        entity=entity,
        entity_id=entity_id,
        details=details,
        prev_hash=prev or GENESIS,
    )
    from .ids import new_id
    from .sync import audit_sync, outbox

    ev.id = new_id()
    ev.hash = _digest(ev.prev_hash, ev)
    session.add(ev)
    session.flush()
    # the anchor and the sync device in one look-up (a view costs one audit row: keep it cheap)
    device_key = outbox.DEVICE_KEY
    q = select(Meta.key, Meta.value).where(Meta.key.in_((ANCHOR_KEY, device_key)))
    meta = {k: v for k, v in session.connection().execute(q)}
    keys = getattr(ctx.db, "keys", None)
    if keys is not None:
        end = (last[0], last[1]) if last is not None else None
        _advance(session, keys, end, ev, _parse_anchor(meta.get(ANCHOR_KEY), keys))
    audit_sync.queue(session, ev, enrolled=device_key in meta)
    return ev


def verify(session: Session) -> int | None:
    """Seq of the first row whose chain is broken, or None if the trail is intact."""
    prev = GENESIS
    for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        if ev.prev_hash != prev or _digest(prev, ev) != ev.hash:
            return ev.seq
        prev = ev.hash
    return None


# -- the anchored end of the trail ------------------------------------------------------------
# The chain shows an edited or deleted row in the middle, but not rows cut off the end. The
# anchor (in the register's meta, written with each new row) holds the last row's number,
# the count and hash, under an HMAC keyed from the register's keys (keystore.py: OS keyring
# or passphrase, never on disk in clear), so a shortened trail no longer matches it.
ANCHOR_KEY = "audit_anchor"
ANCHORED = "audit_anchored"  # the row that says anchoring began on this register


def _anchor_mac(keys: RegisterKeys, body: dict[str, Any]) -> str:
    key = hmac.new(keys.db, b"muskan audit anchor v1", hashlib.sha256).digest()
    text = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def read_anchor(session: Session, keys: RegisterKeys) -> dict[str, Any] | None:
    """The stored anchor; {"altered": True} when its HMAC does not match (or it is garbled)."""
    return _parse_anchor(session.scalar(select(Meta.value).where(Meta.key == ANCHOR_KEY)), keys)


def _parse_anchor(raw: str | None, keys: RegisterKeys) -> dict[str, Any] | None:
    if raw is None:
        return None
    try:
        stored = json.loads(raw)
        body, mac = stored["body"], stored["mac"]
        if not isinstance(body, dict) or not hmac.compare_digest(mac, _anchor_mac(keys, body)):
            return {"altered": True}
        return body
    except (ValueError, KeyError, TypeError):
        return {"altered": True}


def _write_anchor(session: Session, keys: RegisterKeys, body: dict[str, Any]) -> None:
    from sqlalchemy.dialects.sqlite import insert

    value = json.dumps({"body": body, "mac": _anchor_mac(keys, body)}, sort_keys=True)
    upsert = insert(Meta).values(key=ANCHOR_KEY, value=value)
    upsert = upsert.on_conflict_do_update(index_elements=["key"], set_={"value": value})
    session.connection().execute(upsert)


def _advance(
    session: Session,
    keys: RegisterKeys,
    last: tuple[int, str] | None,
    ev: AuditEvent,
    old: dict[str, Any] | None,
) -> None:
    """Move the anchor to `ev`. If the trail no longer ended where the anchor said (rows cut
    off, then new ones written), or the anchor was altered or removed after anchoring began,
    that is carried forward in the anchor, never forgotten. `old`: the anchor as stored."""
    gap = None
    recount = True  # the first anchor, or a new gap: count the rows
    if old is not None and old.get("altered"):
        gap = {"altered": True, "at": ev.seq}
    elif old is not None:
        gap = old.get("gap")
        end = (int(old["seq"]), old["hash"])
        recount = gap is None and end != (last or (0, GENESIS))
        if recount:
            gap = {"ended": last[0] if last else 0, "recorded": end[0], "at": ev.seq}
    elif ev.action != ANCHORED and session.scalar(
        select(AuditEvent.seq).where(AuditEvent.action == ANCHORED).limit(1)
    ):
        gap = {"lost": True, "at": ev.seq}  # anchoring had begun: the anchor was removed
    if recount:
        count = int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
    else:
        count = int(old["n"]) + 1 if old is not None else 0
    body: dict[str, Any] = {"seq": ev.seq, "hash": ev.hash, "n": count}
    if gap is not None:
        body["gap"] = gap
    _write_anchor(session, keys, body)


def ensure_anchor(ctx: Context) -> None:
    """Begin anchoring a register (new, or written before anchoring existed) once, when it
    opens: an `audit_anchored` row (in the chain, so it cannot be cut off without breaking
    it) and the anchor itself."""
    keys = getattr(ctx.db, "keys", None)
    if keys is None:
        return
    with ctx.db.write() as s:
        if s.scalar(select(Meta.value).where(Meta.key == ANCHOR_KEY)) is None:
            record(s, ctx, ANCHORED)


@dataclass(frozen=True)
class EndProblem:
    text: str
    missing: tuple[int, int] | None = None  # rows first..last cut off the end


def check_end(session: Session, keys: RegisterKeys) -> EndProblem | None:
    """What is wrong with the end of the trail (rows cut off, anchor altered), or None."""
    anchor = read_anchor(session, keys)
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    n = int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
    end = last[0] if last else 0
    if anchor is None:
        if n == 0:
            return None
        return EndProblem("the audit trail's anchor is missing: its end cannot be checked")
    if anchor.get("altered"):
        return EndProblem("the audit trail's anchor was altered: its end cannot be trusted")
    gap = anchor.get("gap")
    if isinstance(gap, dict):
        if gap.get("altered") or gap.get("lost"):
            how = "altered" if gap.get("altered") else "removed"
            return EndProblem(
                f"the audit trail's anchor was {how} before row {gap['at']} was written: "
                "its end cannot be trusted"
            )
        a, b = int(gap["ended"]), int(gap["recorded"])
        return EndProblem(
            f"the audit trail ends at row {a} but row {b} was recorded: rows {a + 1}..{b} "
            f"are missing (the rows written since, from row {gap['at']}, continue from row {a})",
            (a + 1, b),
        )
    m = int(anchor["seq"])
    if end < m:
        return EndProblem(
            f"the audit trail ends at row {end} but row {m} was recorded: rows "
            f"{end + 1}..{m} are missing",
            (end + 1, m),
        )
    if n != int(anchor["n"]):
        return EndProblem(f"the audit trail holds {n} rows but {anchor['n']} were recorded")
    if last is not None and (end, last[1]) != (anchor["seq"], anchor["hash"]):
        return EndProblem(f"the audit trail's last row {end} is not the one recorded last")
    return None
