"""Reading the audit trail (for the SHO): verify the hash chain, list events with filters.

Reading the trail is itself recorded, after the check, so a verify never breaks what it checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from . import audit
from .context import Context
from .models import AuditEvent
from .roles import Action, require

# Detail keys safe to show in a one-line summary (details never hold names by design).
_SUMMARY_KEYS = ("kind", "fields", "step", "to", "verdict", "file", "rows", "results", "channel")


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: dt.datetime
    actor: str
    device: str
    action: str
    entity: str | None
    entity_id: str | None
    details: dict[str, Any]

    @property
    def summary(self) -> str:
        parts = []
        for k in _SUMMARY_KEYS:
            v = self.details.get(k)
            if v not in (None, "", []):
                parts.append(f"{k}={','.join(map(str, v)) if isinstance(v, list) else v}")
        return " ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "device": self.device,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "details": self.details,
        }


@dataclass(frozen=True)
class VerifyResult:
    rows: int
    broken: AuditRow | None
    # rows cut off the end (the anchor holds more than is there), or an altered anchor
    problem: str | None = None
    missing: tuple[int, int] | None = None  # the rows cut off, first and last

    @property
    def ok(self) -> bool:
        return self.broken is None and self.problem is None


def _row(ev: AuditEvent) -> AuditRow:
    return AuditRow(
        ev.seq, ev.at, ev.actor, ev.device, ev.action, ev.entity, ev.entity_id, ev.details or {}
    )


class AuditTrail:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def verify(self) -> VerifyResult:
        require(self.ctx.role, Action.AUDIT)
        with self.ctx.db.read() as s:
            seq = audit.verify(s)
            rows = s.scalar(select(func.count()).select_from(AuditEvent)) or 0
            broken = _row(s.get_one(AuditEvent, seq)) if seq is not None else None
            keys = self.ctx.db.keys
            end = audit.check_end(s, keys) if keys is not None and broken is None else None
        with self.ctx.db.write() as s:
            ok = broken is None and end is None
            audit.record(s, self.ctx, "audit_verify", None, None, ok=ok)
        if end is None:
            return VerifyResult(rows, broken)
        return VerifyResult(rows, broken, end.text, end.missing)

    def list(
        self,
        *,
        limit: int = 200,
        actor: str | None = None,
        action: str | None = None,
        case_id: str | None = None,
        before_seq: int | None = None,
    ) -> list[AuditRow]:
        """Newest first; `before_seq` pages further back."""
        require(self.ctx.role, Action.AUDIT)
        q = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(max(1, limit))
        if actor:
            q = q.where(AuditEvent.actor == actor.strip())
        if action:
            q = q.where(or_(AuditEvent.action == action, AuditEvent.action.like(f"{action}_%")))
        if case_id:
            q = q.where(AuditEvent.entity_id == case_id.strip())
        if before_seq is not None:
            q = q.where(AuditEvent.seq < before_seq)
        with self.ctx.db.read() as s:
            out = [_row(ev) for ev in s.scalars(q)]
        with self.ctx.db.write() as s:
            audit.record(s, self.ctx, "audit_view", None, None, results=len(out))
        return out
