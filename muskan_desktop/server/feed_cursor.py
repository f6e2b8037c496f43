"""Which pull cursors this server has handed out, so a restored backup is noticed.

After the server is restored from a day-old backup its feed counter is back where it was a
day ago, and new changes take numbers that laptops have already read past. A laptop asking
"after N" where N is beyond anything this database ever handed it must read the feed again
from the start; otherwise it would skip those renumbered rows (SYNC.md invariant 7).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from . import schema
from .store import Device


def known(s: Any, dev: Device) -> int | None:
    """The highest cursor handed to this device, or None before its first pull."""
    t = schema.device_cursors
    v = s.scalar(select(t.c.pulled_to).where(t.c.device_id == dev.id))
    return None if v is None else int(v)


def unknown_cursor(known_to: int | None, after: int) -> bool:
    return known_to is not None and after > known_to


def note(s: Any, dev: Device, known_to: int | None, cursor: int) -> None:
    """Remember the cursor a page hands out (kept in the page's own transaction)."""
    t = schema.device_cursors
    if known_to is None:
        try:
            with s.begin_nested():
                s.execute(insert(t).values(device_id=dev.id, pulled_to=cursor))
            return
        except IntegrityError:
            pass  # a concurrent first pull of the same device inserted it
    s.execute(
        update(t).where(t.c.device_id == dev.id, t.c.pulled_to < cursor).values(pulled_to=cursor)
    )
