"""What every service needs: the open register, who is acting, from which device, and a clock."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from .db import Database
from .ids import new_id
from .models import Meta

log = logging.getLogger(__name__)

# session.info keys the outbox reads (sync/outbox.py ACTOR and ROLE)
ACTOR_INFO = "muskan_actor"
ROLE_INFO = "muskan_role"


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
    # The acting officer's role (roles.Role); open_context sets it from the login, or SHO
    # while the register has no accounts yet (set-up mode). "" allows nothing.
    role: str = "sho"
    # What opening the folder had to repair first (an interrupted restore finished or rolled
    # back, leftovers of a killed backup removed), for the window to show.
    notices: list[str] = field(default_factory=list)

    def __setattr__(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)
        if name in ("actor", "role", "db") and "db" in self.__dict__:
            self._publish()

    def _publish(self) -> None:
        """Hand the acting officer and role to the register's write sessions, so every
        outbox entry records who made the change and with what role (sync/outbox.py)."""
        acting = getattr(self.db, "acting", None)
        if isinstance(acting, dict):
            acting[ACTOR_INFO] = getattr(self, "actor", None)
            acting[ROLE_INFO] = getattr(self, "role", None) or None

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


def open_context(
    home: Path,
    *,
    create: bool = True,
    actor: str | None = None,
    password: str | Callable[[], str] | None = None,
    login: bool = True,
    notify: Callable[[str], None] | None = None,
) -> Context:
    """Open the register and log in. With no accounts yet (set-up mode) the actor is the SHO.
    Otherwise the officer (`actor`, else MUSKAN_OFFICER, else the OS user) logs in with
    `password` (else MUSKAN_PASSWORD); `login=False` leaves the context allowed nothing
    until the window's login dialog logs someone in.

    First an interrupted `backup restore` is finished or rolled back, and what killed
    backups left behind is removed; each is told to `notify` (default: stderr)."""
    notices = repair_folder(Path(home), notify)
    db = Database.open(home, create=create)
    try:
        device = get_meta(db, "device_id")
        if device is None:
            device = new_id()
            with db.write() as s:
                s.merge(Meta(key="device_id", value=device))
        if db.keys is not None and get_meta(db, "folder_encrypted") != "1":
            # photos and old backups from before encryption (a new register has none)
            from .security_migrate import finish_folder

            finish_folder(home, db.keys)
            with db.write() as s:
                s.merge(Meta(key="folder_encrypted", value="1"))
        ctx = Context(db=db, actor=actor or default_actor(), device=device, notices=notices)
        if db.keys is not None and get_meta(db, "audit_anchor") is None:
            from . import audit  # a new trail, or one from before anchoring

            audit.ensure_anchor(ctx)
        _log_in(ctx, actor, password, login)
    except BaseException:
        db.close()
        raise
    return ctx


def repair_folder(home: Path, notify: Callable[[str], None] | None = None) -> list[str]:
    """Finish or roll back an interrupted restore into `home`; remove the staging files of
    backups and restores whose process is gone. Returns what was done."""
    from .restore_journal import clean_stale, recover

    notices = recover(home)
    try:
        notices += clean_stale(home)
    except OSError as exc:  # a read-only parent folder: leftovers stay, the register opens
        log.warning("could not remove leftovers of a killed backup: %s", exc.strerror)
    for text in notices:
        log.info("%s", text)  # (a warning would reach stderr twice before logging is set up)
        (notify or _to_stderr)(text)
    return notices


def _to_stderr(text: str) -> None:
    if sys.stderr is not None:  # the window started without a console has none
        print(f"note: {text}", file=sys.stderr)


def _log_in(
    ctx: Context, actor: str | None, password: str | Callable[[], str] | None, login: bool
) -> None:
    from .accounts import AccountService, LoginRequired, has_accounts

    with ctx.db.read() as s:
        if not has_accounts(s):
            return  # set-up mode: role stays SHO
    ctx.role = ""
    if not login:
        return
    if password is None:
        password = os.environ.get("MUSKAN_PASSWORD")
    if callable(password):
        password = password()
    if not password:
        raise LoginRequired(
            "This register has officer accounts: log in. Give the officer with --officer "
            "(or MUSKAN_OFFICER) and the password when asked (scripts: MUSKAN_PASSWORD)."
        )
    AccountService(ctx).login(ctx.actor, password, channel="cli")


def get_meta(db: Database, key: str) -> str | None:
    with db.read() as s:
        return s.scalar(select(Meta.value).where(Meta.key == key))
