"""Officer accounts on this register: login, lockout, password change, roles.

Passwords are kept only as argon2id hashes (argon2-cffi's RFC 9106 defaults: memory-hard, so
a stolen register cannot be guessed through quickly). After MAX_FAILURES wrong passwords in a
row an account locks for LOCK_MINUTES; the SHO or an administrator can unlock it earlier.

Until the first account exists the register is in set-up mode: whoever runs it acts as the
SHO, so the station can be set up (and scripts keep working). The first account must be an
SHO's; from then on every session logs in.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import audit
from .context import Context
from .errors import FieldError, MuskanError, NotFoundError, ValidationError
from .ids import new_id
from .models import Officer
from .roles import ROLE_LABELS, Action, Role, require

log = logging.getLogger(__name__)

# Fixed in code, not configurable from the environment (anyone who can set a variable for
# the app would lift the lockout).
MAX_FAILURES = 5
LOCK_MINUTES = 15
# Every failed login says the same, whatever failed (unknown name, wrong password, locked or
# disabled account), so that a login does not tell which names exist.
LOGIN_FAILED = (
    "Wrong officer name or password, or the account is locked or disabled. "
    f"{MAX_FAILURES} wrong passwords in a row lock an account for {LOCK_MINUTES} minutes; "
    "the SHO can unlock it sooner."
)
SERVER_LOGIN_FAILED = (
    "Wrong station, officer name or password, or the account is locked or disabled. "
    f"{MAX_FAILURES} wrong passwords in a row lock an account for {LOCK_MINUTES} minutes; "
    "the server's administrator can unlock it sooner."
)
MIN_PASSWORD = 8
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
_hasher = PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4


class LoginError(MuskanError):
    """Wrong name or password, a locked or disabled account; nothing else is said."""

    exit_code = 7


class LoginRequired(MuskanError):
    exit_code = 7


@dataclass(frozen=True)
class OfficerInfo:
    username: str
    full_name: str | None
    role: Role
    active: bool
    locked_until: dt.datetime | None
    failed_logins: int
    last_login_at: dt.datetime | None

    @classmethod
    def of(cls, o: Officer) -> OfficerInfo:
        return cls(
            o.username,
            o.full_name,
            Role(o.role),
            o.active,
            o.locked_until,
            o.failed_logins,
            o.last_login_at,
        )


def has_accounts(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Officer)))


def normalize_username(name: str) -> str:
    return (name or "").strip().lower()


def valid_username(name: str) -> None:
    if not _USERNAME.fullmatch(name):
        raise ValidationError(
            [
                FieldError(
                    "username",
                    "bad_value",
                    "use 2-40 letters a-z, digits, '.', '_' or '-' (e.g. si.verma)",
                )
            ]
        )


def _queue(s: Session, o: Officer) -> None:
    """An account change goes to the server with the next sync (sync/officer_sync.py)."""
    from .sync import officer_sync

    officer_sync.queue(s, o)


def _hand_in(ctx: Context, name: str, old: str, new: str) -> None:
    """An officer's own new password goes to the server with the old one as proof (a pushed
    hash proves nothing: every laptop of the station holds every hash), at the next sync
    round of this app; held in memory only (sync/officer_sync.py)."""
    from .sync import officer_sync

    officer_sync.hand_in_later(ctx.db, name, old, new)


def check_password(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            [FieldError("password", "too_short", f"must be at least {MIN_PASSWORD} characters")]
        )
    if password.strip().lower() == username:
        raise ValidationError(
            [FieldError("password", "same_as_name", "must not be the officer's login name")]
        )


class AccountService:
    """Accounts of one register. `ctx` is the acting officer (for permissions and audit)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # -- login ------------------------------------------------------------------------------
    def login(self, username: str, password: str, *, channel: str = "app") -> OfficerInfo:
        """Check a password; on success the context acts as this officer from now on.

        A failure is counted (and audited) in its own committed transaction before the error
        is raised; every failure says the same (LOGIN_FAILED) and costs the same work.
        """
        name = normalize_username(username)
        now = self.ctx.clock()
        outcome: OfficerInfo | str
        with self.ctx.db.write() as s:
            o = s.scalar(select(Officer).where(Officer.username == name))
            outcome = self._check(s, o, name, password, now, channel)
        if isinstance(outcome, str):
            raise LoginError(outcome)
        self.ctx.actor = outcome.username
        self.ctx.role = outcome.role
        return outcome

    def _check(
        self, s: Session, o: Officer | None, name: str, password: str, now: dt.datetime, ch: str
    ) -> OfficerInfo | str:
        actor = self.ctx.actor
        self.ctx.actor = name or "?"
        try:
            if o is None or not o.active:
                _hasher.hash("timing")  # the same work as a real check: names are not probed
                audit.record(s, self.ctx, "login_failed", "officer", None, channel=ch)
                return LOGIN_FAILED
            if o.locked_until is not None and o.locked_until > now:
                _verify(o.password_hash, password)  # (the same work again)
                audit.record(s, self.ctx, "login_refused_locked", "officer", o.id, channel=ch)
                return LOGIN_FAILED
            if not _verify(o.password_hash, password):
                o.failed_logins += 1
                details: dict[str, object] = {"channel": ch, "failures": o.failed_logins}
                if o.failed_logins >= MAX_FAILURES:
                    o.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                    o.failed_logins = 0
                    audit.record(s, self.ctx, "account_locked", "officer", o.id, **details)
                    log.warning("an officer account was locked after repeated failures")
                    return LOGIN_FAILED
                audit.record(s, self.ctx, "login_failed", "officer", o.id, **details)
                return LOGIN_FAILED
            if _hasher.check_needs_rehash(o.password_hash):
                o.password_hash = _hasher.hash(password)
            o.failed_logins = 0
            o.locked_until = None
            o.last_login_at = now
            audit.record(s, self.ctx, "login", "officer", o.id, channel=ch)
            return OfficerInfo.of(o)
        finally:
            self.ctx.actor = actor

    def logout(self) -> None:
        with self.ctx.db.write() as s:
            audit.record(s, self.ctx, "logout", "officer", None)

    # -- accounts ---------------------------------------------------------------------------
    def add(
        self, username: str, role: Role | str, password: str, full_name: str | None = None
    ) -> OfficerInfo:
        name = normalize_username(username)
        valid_username(name)
        try:
            r = Role(role)
        except ValueError:
            choices = ", ".join(x.value for x in Role)
            raise ValidationError(
                [FieldError("role", "bad_value", f"'{role}' is not one of: {choices}")]
            ) from None
        check_password(password, name)
        with self.ctx.db.write() as s:
            first = not has_accounts(s)
            if first and r is not Role.SHO:
                raise ValidationError(
                    [
                        FieldError(
                            "role",
                            "first_must_be_sho",
                            "the first account of a station must be the SHO's (role sho)",
                        )
                    ]
                )
            if not first:
                require(self.ctx.role, Action.ACCOUNTS)
            if s.scalar(select(Officer).where(Officer.username == name)) is not None:
                raise ValidationError(
                    [FieldError("username", "taken", f"an officer '{name}' already exists")]
                )
            now = self.ctx.clock()
            o = Officer(
                id=new_id(),
                username=name,
                full_name=(full_name or "").strip() or None,
                role=r.value,
                password_hash=_hasher.hash(password),
                failed_logins=0,
                active=True,
                created_at=now,
                created_by=self.ctx.actor,
                password_changed_at=now,
            )
            s.add(o)
            s.flush()
            audit.record(s, self.ctx, "officer_add", "officer", o.id, role=r.value)
            _queue(s, o)
            info = OfficerInfo.of(o)
        if first:  # set-up mode ends: the one who set it up is now this SHO
            self.ctx.actor = name
            self.ctx.role = Role.SHO
        return info

    def change_password(self, username: str, old: str | None, new: str) -> None:
        """An officer changes their own password (old one needed); the SHO or an
        administrator may reset another officer's without it."""
        name = normalize_username(username)
        own = name == self.ctx.actor
        if not own:
            require(self.ctx.role, Action.ACCOUNTS)
        check_password(new, name)
        with self.ctx.db.write() as s:
            o = self._get(s, name)
            if own and (old is None or not _verify(o.password_hash, old)):
                raise LoginError("The current password is wrong; the password was not changed.")
            o.password_hash = _hasher.hash(new)
            o.password_changed_at = self.ctx.clock()
            o.failed_logins = 0
            o.locked_until = None
            audit.record(s, self.ctx, "password_change", "officer", o.id, own=own)
            if not own:  # a reset by the SHO: their right, checked by the server too
                _queue(s, o)
        if own and old is not None:  # proven with the old password, on the server
            _hand_in(self.ctx, name, old, new)

    def unlock(self, username: str) -> None:
        require(self.ctx.role, Action.ACCOUNTS)
        with self.ctx.db.write() as s:
            o = self._get(s, normalize_username(username))
            o.failed_logins = 0
            o.locked_until = None
            audit.record(s, self.ctx, "officer_unlock", "officer", o.id)

    def set_active(self, username: str, active: bool) -> None:
        require(self.ctx.role, Action.ACCOUNTS)
        name = normalize_username(username)
        if name == self.ctx.actor and not active:
            raise MuskanError("You cannot disable your own account.")
        with self.ctx.db.write() as s:
            o = self._get(s, name)
            o.active = active
            audit.record(
                s, self.ctx, "officer_enable" if active else "officer_disable", "officer", o.id
            )
            _queue(s, o)

    def list(self) -> list[OfficerInfo]:
        require(self.ctx.role, Action.ACCOUNTS)
        with self.ctx.db.read() as s:
            return [
                OfficerInfo.of(o) for o in s.scalars(select(Officer).order_by(Officer.username))
            ]

    def _get(self, s: Session, name: str) -> Officer:
        o = s.scalar(select(Officer).where(Officer.username == name))
        if o is None:
            raise NotFoundError(f"No officer '{name}' on this register.")
        return o


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def role_label(role: Role | str) -> str:
    return ROLE_LABELS.get(Role(role), str(role))
