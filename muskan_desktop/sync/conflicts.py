"""The "needs review" list: conflicts the server recorded, and an officer's pick.

The losing value of a concurrent edit is never dropped: it waits here until an officer
keeps the current value or restores the other one (an ordinary, synced edit). The choice
itself goes to the server, so the other station's list clears too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from muskan_desktop.errors import NotFoundError, ValidationError
from muskan_desktop.models import Case, Meta

from . import outbox
from .tables import conflicts

NOT_REVERSIBLE = frozenset({"status"})  # the lifecycle only moves forward


@dataclass(frozen=True)
class Conflict:
    id: str
    case_id: str
    case_label: str
    field: str
    kept: Any
    lost: Any
    kept_by: str | None
    lost_by: str | None
    at: dt.datetime | None

    @property
    def reversible(self) -> bool:
        return self.field not in NOT_REVERSIBLE


def open_conflicts(db: Any) -> list[Conflict]:
    with db.read() as s:
        q = (
            select(conflicts, Case.name_latin, Case.name_deva, Case.fir_number)
            .join(Case, Case.id == conflicts.c.case_id, isouter=True)
            .where(conflicts.c.resolved_at.is_(None))
            .order_by(conflicts.c.at.desc(), conflicts.c.id)
        )
        out = []
        for r in s.execute(q):
            label = r.name_latin or r.name_deva or r.fir_number or r.case_id[:8]
            out.append(
                Conflict(
                    r.id, r.case_id, label, r.field, r.kept, r.lost, r.kept_by, r.lost_by, r.at
                )
            )
        return out


def resolve(ctx: Any, conflict_id: str, *, use_lost: bool) -> None:
    """Keep the current value, or put the losing one back; either way the conflict closes
    here and on the server (and so at every station that sees the case)."""
    with ctx.db.read() as s:
        row = s.execute(select(conflicts).where(conflicts.c.id == conflict_id)).first()
    if row is None:
        raise NotFoundError(f"No conflict {conflict_id!r} on this laptop.")
    if use_lost:
        if row.field in NOT_REVERSIBLE:
            from muskan_desktop.errors import FieldError

            raise ValidationError(
                [FieldError(row.field, "forward_only", "a case's status only moves forward")]
            )
        from muskan_desktop.cases import CaseService

        CaseService(ctx).update(row.case_id, {row.field: row.lost})
    now = ctx.clock()
    with ctx.db.write() as s:
        conn = s.connection()
        choice = {
            "kept": "lost" if use_lost else "current",
            "value": row.lost if use_lost else row.kept,
        }
        conn.execute(
            update(conflicts)
            .where(conflicts.c.id == conflict_id)
            .values(resolved_at=now, resolved_by=ctx.actor, resolution=choice)
        )
        if conn.scalar(select(Meta.value).where(Meta.key == outbox.DEVICE_KEY)):
            outbox.append(
                conn,
                [
                    {
                        "entity": "sync_conflicts",
                        "row_id": conflict_id,
                        "op": "resolve",
                        "data": {"resolution": choice},
                        "actor": ctx.actor,
                        "role": getattr(ctx, "role", None),
                    }
                ],
            )
