"""The audit trail: every create, edit, view and export, hash-chained row to row.

Each row's hash covers the previous row's hash, so an edited or deleted row breaks the
chain from that point (`verify` names the first broken row). Details never hold names.
Every event is queued for the server in the same transaction (sync/audit_sync.py).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .context import Context
from .models import AuditEvent

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
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1))
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
    from .sync import audit_sync

    ev.id = new_id()
    ev.hash = _digest(ev.prev_hash, ev)
    session.add(ev)
    session.flush()
    audit_sync.queue(session, ev)
    return ev


def verify(session: Session) -> int | None:
    """Seq of the first row whose chain is broken, or None if the trail is intact."""
    prev = GENESIS
    for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        if ev.prev_hash != prev or _digest(prev, ev) != ev.hash:
            return ev.seq
        prev = ev.hash
    return None
