"""Officer accounts on the server: the source of truth for who works at which station and
with what role.

Accounts are per station (the same login name may exist at two stations). Passwords are
argon2id hashes (the same hasher, lockout and rules as the laptop's accounts.py): a hash
made on a laptop is kept as it is, so an officer logs in offline on any enrolled laptop of
the station with the same password. After MAX_FAILURES wrong passwords an account locks for
LOCK_MINUTES. A login through the API gives a short-lived officer token for reading
(range and district viewers).

Roles come from roles.py, the one permission table shared with the laptops. Once a station
has accounts here, every entry its laptops push must be made by one of them, and it is
checked against the role held HERE (not the role the laptop claims).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from muskan_desktop.accounts import (
    LOCK_MINUTES,
    MAX_FAILURES,
    SERVER_LOGIN_FAILED,
    _hasher,
    _verify,
    check_password,
    normalize_username,
    valid_username,
)
from muskan_desktop.errors import FieldError, NotFoundError, ValidationError
from muskan_desktop.ids import new_id
from muskan_desktop.roles import Action, Role, can

from . import schema
from .store import AuthError, ServerStore

if TYPE_CHECKING:
    from .apply import Applier

TOKEN_TTL = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class ServerOfficer:
    id: str
    station_id: str
    district: str
    username: str
    role: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise ValidationError(
            [FieldError("role", "bad_value", f"'{role}' is not one of: {choices}")]
        ) from None


def _log(
    s: Session, station_id: str | None, username: str, action: str, at: dt.datetime, **details: Any
) -> None:
    """One row of what officers did through the API or the commands (append-only)."""
    s.execute(
        insert(schema.officer_events).values(
            id=new_id(),
            at=at,
            station_id=station_id,
            username=username[:80],
            action=action,
            details=details,
        )
    )


def _get(s: Session, station_id: str, username: str) -> Any:
    t = schema.officers
    return s.execute(
        select(t).where(t.c.station_id == station_id, t.c.username == username)
    ).first()


# -- the administrator's commands ----------------------------------------------------------------
def add(
    store: ServerStore, station: str, username: str, role: str, password: str, full_name: str | None
) -> None:
    st = store.find_station(station)
    name = normalize_username(username)
    valid_username(name)
    r = _role(role)
    check_password(password, name)
    now = store.clock()
    with store.session() as s:
        if _get(s, st.id, name) is not None:
            raise ValidationError(
                [FieldError("username", "taken", f"{name} already has an account at {st.code}")]
            )
        s.execute(
            insert(schema.officers).values(
                id=new_id(),
                station_id=st.id,
                username=name,
                full_name=(full_name or "").strip() or None,
                role=r.value,
                password_hash=_hasher.hash(password),
                failed_logins=0,
                active=True,
                created_at=now,
                password_changed_at=now,
                updated_at=now,
            )
        )
        _log(s, st.id, name, "officer_add", now, role=r.value, by="muskan-server")


def set_password(store: ServerStore, station: str, username: str, password: str) -> None:
    st = store.find_station(station)
    name = normalize_username(username)
    check_password(password, name)
    now = store.clock()
    with store.session() as s:
        if _get(s, st.id, name) is None:
            raise NotFoundError(f"No officer {name} at {st.code} on this server.")
        s.execute(
            update(schema.officers)
            .where(schema.officers.c.station_id == st.id, schema.officers.c.username == name)
            .values(
                password_hash=_hasher.hash(password),
                password_changed_at=now,
                failed_logins=0,
                locked_until=None,
                updated_at=now,
            )
        )
        s.execute(delete(schema.officer_tokens).where(schema.officer_tokens.c.username == name))
        _log(s, st.id, name, "officer_password_reset", now, by="muskan-server")


def unlock(store: ServerStore, station: str, username: str) -> None:
    st = store.find_station(station)
    name = normalize_username(username)
    with store.session() as s:
        if _get(s, st.id, name) is None:
            raise NotFoundError(f"No officer {name} at {st.code} on this server.")
        s.execute(
            update(schema.officers)
            .where(schema.officers.c.station_id == st.id, schema.officers.c.username == name)
            .values(failed_logins=0, locked_until=None, updated_at=store.clock())
        )
        _log(s, st.id, name, "officer_unlock", store.clock(), by="muskan-server")


def list_officers(store: ServerStore, station: str | None = None) -> list[dict[str, Any]]:
    from muskan_desktop.models import Station

    t = schema.officers
    q = (
        select(t, Station.code)
        .join(Station, Station.id == t.c.station_id)
        .order_by(Station.code, t.c.username)
    )
    if station:
        q = q.where(t.c.station_id == store.find_station(station).id)
    now = store.clock()
    with store.session() as s:
        return [
            {
                "station": r.code,
                "username": r.username,
                "full_name": r.full_name,
                "role": r.role,
                "active": r.active,
                "locked": bool(r.locked_until and r.locked_until > now),
            }
            for r in s.execute(q)
        ]


# -- login through the API -----------------------------------------------------------------------
def login(store: ServerStore, station: str, username: str, password: str) -> dict[str, Any]:
    """An officer token for reading (15 minutes). Failures count towards the lockout and are
    on record. Every failure gets the same answer (401, SERVER_LOGIN_FAILED) and costs the
    same work: an unknown station or name, a wrong password, a locked or disabled account
    cannot be told apart, so the API never says "locked" (the administrator sees it in
    `officer list`, the officer in the message's "or locked")."""
    wrong = AuthError("bad_login", SERVER_LOGIN_FAILED)
    try:
        st = store.find_station(station)
    except NotFoundError:
        _hasher.hash("timing")
        raise wrong from None
    name = normalize_username(username)
    now = store.clock()
    with store.session() as s:
        o = s.execute(
            select(schema.officers)
            .where(schema.officers.c.station_id == st.id, schema.officers.c.username == name)
            .with_for_update()
        ).first()
        if o is None or not o.active:
            _hasher.hash("timing")
            _log(s, st.id, name or "?", "officer_login_failed", now, channel="api")
            failure = wrong
        elif o.locked_until is not None and o.locked_until > now:
            _verify(o.password_hash, password)  # (the same work as any other answer)
            _log(s, st.id, name, "officer_login_refused_locked", now, channel="api")
            failure = wrong
        elif not _verify(o.password_hash, password):
            _count_failure(s, o, now)
            failure = wrong
        else:
            s.execute(
                update(schema.officers)
                .where(schema.officers.c.id == o.id)
                .values(failed_logins=0, locked_until=None, last_login_at=now)
            )
            token = secrets.token_urlsafe(32)
            s.execute(
                insert(schema.officer_tokens).values(
                    token_hash=_hash(token),
                    officer_id=o.id,
                    username=o.username,
                    expires_at=now + TOKEN_TTL,
                )
            )
            _log(s, st.id, o.username, "officer_login", now, channel="api")
            return {
                "token": token,
                "expires_at": (now + TOKEN_TTL).isoformat(),
                "station": st.code,
                "username": o.username,
                "role": o.role,
            }
    raise failure  # committed above: the failure counts and is on record


def _count_failure(s: Session, o: Any, now: dt.datetime) -> None:
    """A wrong password: counted; the MAX_FAILURES-th locks the account (said to nobody)."""
    where = schema.officers.c.id == o.id
    failures = o.failed_logins + 1
    if failures < MAX_FAILURES:
        s.execute(update(schema.officers).where(where).values(failed_logins=failures))
        _log(s, o.station_id, o.username, "officer_login_failed", now, failures=failures)
        return
    until = now + dt.timedelta(minutes=LOCK_MINUTES)
    s.execute(
        update(schema.officers)
        .where(where)
        .values(failed_logins=0, locked_until=until, updated_at=now)
    )
    _log(s, o.station_id, o.username, "officer_locked", now, channel="api")


def authenticate(store: ServerStore, token: str | None) -> ServerOfficer:
    from muskan_desktop.models import Station

    if not token:
        raise AuthError(
            "no_token", "This request needs an officer token (POST /v1/officers/login)."
        )
    now = store.clock()
    t, tk = schema.officers, schema.officer_tokens
    with store.session() as s:
        r = s.execute(
            select(t, tk.c.expires_at, Station.district_en)
            .join(tk, tk.c.officer_id == t.c.id)
            .join(Station, Station.id == t.c.station_id)
            .where(tk.c.token_hash == _hash(token))
        ).first()
    if r is None:
        raise AuthError("bad_token", "The server does not know this officer token.")
    if r.expires_at < now:
        raise AuthError("token_expired", "The officer token has expired; log in again.")
    if not r.active:
        raise AuthError("bad_token", "This account is disabled.")
    return ServerOfficer(r.id, r.station_id, r.district_en, r.username, r.role)


def change_own_password(store: ServerStore, officer: ServerOfficer, old: str, new: str) -> None:
    with store.session() as s:
        o = s.execute(select(schema.officers).where(schema.officers.c.id == officer.id)).first()
        if o is None or not _verify(o.password_hash, old):
            raise AuthError("bad_login", "The current password is wrong; nothing was changed.")
        check_password(new, o.username)
        now = store.clock()
        s.execute(
            update(schema.officers)
            .where(schema.officers.c.id == o.id)
            .values(password_hash=_hasher.hash(new), password_changed_at=now, updated_at=now)
        )
        _log(s, o.station_id, o.username, "officer_password_change", now, channel="api")


# -- what laptops push and pull ------------------------------------------------------------------
ENTITY = "officers"
DUPLICATE = "duplicate_report"


class Roster:
    """A station's accounts as one push batch sees them (loaded once, kept current)."""

    def __init__(self, s: Session, station_id: str) -> None:
        t = schema.officers
        self.by_name = {
            r.username: r for r in s.execute(select(t).where(t.c.station_id == station_id))
        }

    def role_for(self, actor: Any) -> tuple[str | None, str | None]:
        """(role on the server, refusal). A station with no accounts here yet is in set-up
        mode (as a new laptop is): (None, None), and the device's role applies."""
        if not self.by_name:
            return None, None
        o = self.by_name.get(normalize_username(actor) if isinstance(actor, str) else "")
        if o is None:
            return None, (
                f"the officer {actor!r} has no account at this station on the server; "
                "ask the administrator (`muskan-server officer add`)"
            )
        if not o.active:
            return None, f"the account of {o.username} is disabled on the server"
        return str(o.role), None


def roster_of(ap: Applier) -> Roster:
    r: Roster | None = getattr(ap, "_roster", None)
    if r is None:
        r = Roster(ap.s, ap.dev.station_id)
        ap._roster = r  # type: ignore[attr-defined]
    return r


# Roles in the order of what they may do to accounts: an account is never given (or
# changed by someone with) less than its own rank. Admin accounts are made on the server only.
RANK = {Role.VIEWER: 0, Role.OPERATOR: 1, Role.SHO: 2, Role.ADMIN: 3}


def _device_role(ap: Applier) -> Role:
    from .apply import Reject

    try:
        return Role(ap.dev.role)
    except ValueError:
        raise Reject("this laptop's enrolled role is unknown to the server") from None


def check_role(ap: Applier, e: Mapping[str, Any], action: Action) -> None:
    """Refuse (a visible receipt) unless `action` is allowed BOTH to the officer the entry
    names, as the SERVER holds that officer's role at the device's station, AND to the role
    the device was enrolled with: the enrolled role is a ceiling whatever the entry claims.
    The entry's own `role` is never read. A station with no accounts here yet (set-up mode)
    is held to the device's role alone."""
    from .apply import Reject

    device = _device_role(ap)
    if e.get("entity") != "stations":  # (a station's own row is not case data)
        role, refusal = roster_of(ap).role_for(e.get("actor"))
        if refusal:
            raise Reject(refusal)
        if role is not None and not can(role, action):
            raise Reject(f"the role {role!r} may not {action.value} records")
    if not can(device, action):
        raise Reject(
            f"this laptop is enrolled as {device.value!r}, which may not {action.value} "
            "records, whichever officer the entry names"
        )


def action_of(entity: Any, op: Any, data: Mapping[str, Any], action: Action) -> Action:
    """Closing a case as a duplicate report merges it away: that needs the right to delete
    (as cases.CaseService.transition asks on the laptop)."""
    details = data.get("details")
    if (
        entity == "lifecycle_events"
        and op == "insert"
        and isinstance(details, dict)
        and details.get("closed_reason") == DUPLICATE
    ):
        return Action.DELETE
    if entity == "cases" and op == "update" and data.get("closed_reason") == DUPLICATE:
        return Action.DELETE
    return action


def _pusher(ap: Applier, roster: Roster, actor: str) -> tuple[bool, int]:
    """(may manage accounts, highest rank it may give or touch): the officer's role on the
    server under the device's enrolled role; in set-up mode the device's role alone."""
    from .apply import Reject

    device = _device_role(ap)
    if not roster.by_name:
        return can(device, Action.ACCOUNTS), RANK[device]
    role, refusal = roster.role_for(actor)
    if refusal or role is None:
        raise Reject(refusal or "unknown officer")
    r = Role(role)
    return can(r, Action.ACCOUNTS) and can(device, Action.ACCOUNTS), min(RANK[r], RANK[device])


def apply_push(ap: Applier, e: Mapping[str, Any]) -> dict[str, Any]:
    """An account added or changed on a laptop. Who pushes is the device's credential: the
    officer the entry names must hold, on the server, a role that manages accounts, and so
    must the device's enrolled role. Nobody gives a role above their own, adds an
    administrator, or touches an account above their own from a laptop. An officer's own new
    password without that right is not taken from a pushed hash (every laptop of the station
    holds every hash, so a hash proves nothing): the laptop hands it in through
    POST /v1/officers/password with the old password (officer_sync.hand_in_passwords). The
    time of a change is the server's, whatever the laptop says."""
    from .apply import Reject

    if e.get("op") != "upsert":
        raise Reject("officer accounts are only added or changed")
    data = e["data"]
    name = normalize_username(str(data.get("username") or ""))
    try:
        valid_username(name)
        r = _role(str(data.get("role")))
    except ValidationError as exc:
        raise Reject(exc.errors[0].message) from None
    hash_ = data.get("password_hash")
    if not isinstance(hash_, str) or not hash_.startswith("$argon2id$") or len(hash_) > 200:
        raise Reject("an account needs an argon2id password hash")
    active = data.get("active", True)
    if not isinstance(active, bool):
        raise Reject("active must be true or false")
    full_name = data.get("full_name") if isinstance(data.get("full_name"), str) else None
    roster = roster_of(ap)
    actor = normalize_username(str(e.get("actor") or ""))
    existing = roster.by_name.get(name)
    t = schema.officers
    setup = not roster.by_name
    may, ceiling = _pusher(ap, roster, actor)
    if existing is None:
        if setup and r is not Role.SHO:
            raise Reject("the station's first account on the server must be the SHO's")
        if not may:
            raise Reject(
                "only the SHO may add officer accounts, from a laptop enrolled as SHO's "
                "(or the administrator, on the server: `muskan-server officer add`)"
            )
        if r is Role.ADMIN:
            raise Reject(
                "an administrator's account is made on the server only "
                "(`muskan-server officer add`), never from a laptop"
            )
        if RANK[r] > ceiling:
            raise Reject(f"an account may not be given a role above its maker's ({r.value})")
        oid = str(data.get("id") or new_id())[:36]
        if ap.s.scalar(select(t.c.id).where(t.c.id == oid)) is not None:
            oid = new_id()
        ap.s.execute(
            insert(t).values(
                id=oid,
                station_id=ap.dev.station_id,
                username=name,
                full_name=(full_name or "").strip()[:200] or None,
                role=r.value,
                password_hash=hash_,
                failed_logins=0,
                active=active,
                created_at=ap.now,
                password_changed_at=ap.now,  # the server's time, never the laptop's
                updated_at=ap.now,
            )
        )
        _log(ap.s, ap.dev.station_id, name, "officer_add", ap.now, role=r.value, by=actor,
             device=ap.dev.id)  # fmt: skip
    else:
        new_password = hash_ != existing.password_hash
        new_access = (r.value, active) != (existing.role, existing.active)
        if not (new_password or new_access):
            return {"status": "applied", "note": "no change"}
        if not may:
            if actor == name and not new_access:
                raise Reject(
                    "an officer's own new password reaches the server only with the old one: "
                    "the laptop hands it in at the next sync while the officer is logged in "
                    "(this pushed copy was not applied)"
                )
            raise Reject("only the SHO may change another officer's account")
        if existing.role not in {x.value for x in Role} or RANK[Role(existing.role)] > ceiling:
            raise Reject(
                f"the account of {existing.username} ({existing.role}) is changed on the "
                "server only"
            )
        if new_access and (r is Role.ADMIN or RANK[r] > ceiling):
            raise Reject(f"an account may not be given a role above its maker's ({r.value})")
        values: dict[str, Any] = {"updated_at": ap.now}
        if new_password:
            values.update(
                password_hash=hash_,
                password_changed_at=ap.now,  # the server's time: a laptop's clock never wins
                failed_logins=0,
                locked_until=None,
            )
        if new_access:
            values.update(role=r.value, active=active)
        ap.s.execute(update(t).where(t.c.id == existing.id).values(**values))
        if new_password or not active:  # its API tokens end with the old password
            ap.s.execute(
                delete(schema.officer_tokens).where(
                    schema.officer_tokens.c.officer_id == existing.id
                )
            )
        what = "officer_password_reset" if new_password else "officer_access_change"
        _log(ap.s, ap.dev.station_id, name, what, ap.now, by=actor, device=ap.dev.id,
             role=r.value, active=active)  # fmt: skip
    roster.by_name[name] = ap.s.execute(
        select(t).where(t.c.station_id == ap.dev.station_id, t.c.username == name)
    ).one()
    return {"status": "applied"}


def station_roster(store: ServerStore, station_id: str) -> list[dict[str, Any]]:
    """What a laptop of the station gets: each account with its hash and locked state."""
    t = schema.officers
    with store.session() as s:
        out = []
        for r in s.execute(select(t).where(t.c.station_id == station_id)):
            out.append(
                {
                    "id": r.id,
                    "username": r.username,
                    "full_name": r.full_name,
                    "role": r.role,
                    "password_hash": r.password_hash,
                    "active": r.active,
                    "locked_until": r.locked_until.isoformat() if r.locked_until else None,
                    "password_changed_at": r.password_changed_at.isoformat(),
                }
            )
        return out


def cases_for(store: ServerStore, who: ServerOfficer, offset: int, limit: int) -> list[Any]:
    """Full case records in the officer's scope, oldest first (read-only)."""
    from muskan_desktop.models import Case
    from muskan_desktop.sync import rows

    q = select(Case.__table__).order_by(Case.created_at, Case.id).offset(offset).limit(limit)
    if who.role == Role.VIEWER.value:
        q = q.where(Case.district == who.district)
    else:
        q = q.where(Case.station_id == who.station_id)
    with store.session() as s:
        out = [rows.row_to_wire("cases", r) for r in s.execute(q).mappings()]
        _log(s, who.station_id, who.username, "officer_cases_read", store.clock(), results=len(out))
    return out


def events(store: ServerStore, station: str | None = None, limit: int = 200) -> list[Any]:
    """What officers did through the API and the commands, newest first."""
    t = schema.officer_events
    q = select(t).order_by(t.c.at.desc(), t.c.id).limit(limit)
    if station:
        q = q.where(t.c.station_id == store.find_station(station).id)
    with store.session() as s:
        return list(s.execute(q))
