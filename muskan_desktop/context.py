"""What every service needs: the open register, who is acting, from which device, and a clock."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from .db import Database
from .ids import new_id
from .models import Meta


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def local_today() -> dt.date:
    return dt.date.today()


@dataclass
class Context:
    db: Database
    actor: str
    device: str
    clock: Callable[[], dt.datetime] = utcnow
    today: Callable[[], dt.date] = local_today
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return self.db.home


def default_actor() -> str:
    """Until officer login lands, the acting officer is MUSKAN_OFFICER or the OS user."""
    name = os.environ.get("MUSKAN_OFFICER")
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:
        return "officer"


def open_context(home: Path, *, create: bool = True, actor: str | None = None) -> Context:
    db = Database.open(home, create=create)
    device = get_meta(db, "device_id")
    if device is None:
        device = new_id()
        with db.write() as s:
            s.merge(Meta(key="device_id", value=device))
    return Context(db=db, actor=actor or default_actor(), device=device)


def get_meta(db: Database, key: str) -> str | None:
    with db.read() as s:
        return s.scalar(select(Meta.value).where(Meta.key == key))
