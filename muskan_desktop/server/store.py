"""The server's storage: engine, accounts and devices, enrollment codes, tokens, blobs.

One `ServerStore` per process, shared by the web app and the `muskan-server` commands.
Tokens are random and kept only as SHA-256 hashes; an access token expires (default one
hour) and is renewed with the device's refresh token, so a laptop that was offline for
weeks renews without re-enrolling and without resending work it already delivered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from muskan_desktop import places
from muskan_desktop.errors import MuskanError, NotFoundError, ValidationError
from muskan_desktop.ids import new_id, station_id
from muskan_desktop.models import Station
from muskan_desktop.roles import Role

from . import schema

ACCESS_TTL = dt.timedelta(hours=1)
REFRESH_TTL = dt.timedelta(days=365)
CODE_TTL = dt.timedelta(days=3)
MAX_BLOB = 30 * 1024 * 1024


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class AuthError(MuskanError):
    exit_code = 11

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Device:
    id: str
    station_id: str
    district: str
    role: str
    revoked: bool
    last_seq: int
    handin: bool = False  # revoked, delivering its queue once (push and photo upload only)


def _revoked() -> AuthError:
    return AuthError(
        "device_revoked",
        "This laptop's access to the server was revoked: it must remove its case data.",
    )


def _handin_open(dev: Any) -> bool:
    """The administrator allowed a hand-in, and it has not ended (the laptop reported its
    wipe). (The token's expiry, checked before, closes it too.)"""
    return bool(dev.handin_allowed) and dev.handed_in_at is None and dev.wiped_at is None


def device_state(dev: Any, now: dt.datetime) -> str:
    """What `muskan-server device list` says of a device."""
    if dev.revoked_at is None:
        return "active"
    if dev.wiped_at is not None:
        return "revoked, handed in, wiped" if dev.handed_in_at is not None else "revoked, wiped"
    if not dev.handin_allowed:
        return "revoked"
    if dev.handin_started_at is None:
        return "revoked, hand-in pending"
    if dev.token_expires_at is not None and dev.token_expires_at >= now:
        return "revoked, handing in"
    return "revoked, handed in"


def _iso(v: dt.datetime | None) -> str | None:
    return v.isoformat() if v is not None else None


ADMIN = "muskan-server admin"  # who the server's own commands act as in the event log


def _device_event(
    s: Session, dev: Any, action: str, at: dt.datetime, who: str | None = None, **details: Any
) -> None:
    """A device's revocation, hand-in and wipe in server_officer_events (append-only), shown
    by `muskan-server officer log`."""
    s.execute(
        insert(schema.officer_events).values(
            id=new_id(),
            at=at,
            station_id=dev.station_id,
            username=(who or f"device {dev.id}")[:80],
            action=action,
            details={"device_id": dev.id, "label": dev.label, **details},
        )
    )


def make_server_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None
            dbapi_conn.execute("PRAGMA journal_mode=WAL")
            dbapi_conn.execute("PRAGMA synchronous=FULL")
            dbapi_conn.execute("PRAGMA foreign_keys=ON")

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # one writer at a time, no upgrade deadlocks

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _by_refresh_token(s: Session, device_id: str, refresh_token: str) -> Any:
    """The device row (locked for the transaction) whose refresh token this is."""
    dev = s.execute(
        select(schema.devices).where(schema.devices.c.id == device_id).with_for_update()
    ).first()
    if dev is None or dev.refresh_hash != _hash(refresh_token):
        raise AuthError("bad_token", "The server does not know this laptop's credential.")
    return dev


class ServerStore:
    def __init__(
        self,
        home: Path,
        url: str | None = None,
        *,
        clock: Callable[[], dt.datetime] = utcnow,
        access_ttl: dt.timedelta = ACCESS_TTL,
    ) -> None:
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        self.url = url or os.environ.get("MUSKAN_SERVER_DB") or f"sqlite:///{home / 'server.db'}"
        self.engine = make_server_engine(self.url)
        self.clock = clock
        self.access_ttl = access_ttl
        self.blob_dir = home / "blobs"  # (photos of servers before 2026-11-29)
        self.upload_dir = home / "uploads"  # large photos while they arrive in chunks
        self.upload_dir.mkdir(exist_ok=True)
        schema.create(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as s, s.begin():
            yield s

    # -- stations and devices (the admin's commands) ---------------------------------------
    def add_station(self, code: str, **fields: Any) -> Station:
        """A station account. Known codes (places.json) fill in their names and district."""
        info = next((x for x in places.stations() if x.code == code), None)
        row: dict[str, Any] = {}
        if info is not None:
            from muskan_desktop.cases import station_row

            row = station_row(info)
        row.update({k: v for k, v in fields.items() if v})
        row["code"] = code
        missing = [k for k in ("name_en", "district_en", "state_en") if not row.get(k)]
        if missing:
            from muskan_desktop.errors import FieldError

            raise ValidationError(
                [FieldError(k, "required", "needed for a station not in the list") for k in missing]
            )
        with self.session() as s:
            st = s.get(Station, station_id(code))
            if st is None:
                st = Station(id=station_id(code), **row)
                s.add(st)
                s.flush()
                from .apply import touch_feed

                touch_feed(s, [("stations", st.id, True, None, None, None, None)])
            s.expunge(st)
        return st

    def station(self, s: Session, sid: str) -> Station:
        st = s.get(Station, sid)
        if st is None:
            raise NotFoundError(f"No station with id {sid!r} on this server.")
        return st

    def find_station(self, ref: str) -> Station:
        with self.session() as s:
            st = s.get(Station, ref) or s.scalar(select(Station).where(Station.code == ref))
            if st is None:
                raise NotFoundError(
                    f"No station {ref!r} on this server; add it with `muskan-server station add`."
                )
            s.expunge(st)
            return st

    def enrollment_code(self, station: str, role: str = Role.SHO.value) -> str:
        st = self.find_station(station)
        Role(role)
        code = "-".join(secrets.token_hex(3).upper() for _ in range(3))
        with self.session() as s:
            s.execute(
                insert(schema.enrollments).values(
                    code_hash=_hash(code.replace("-", "")),
                    station_id=st.id,
                    role=role,
                    expires_at=self.clock() + CODE_TTL,
                )
            )
        return code

    def enroll(self, code: str, label: str | None) -> dict[str, Any]:
        now = self.clock()
        key = _hash(code.replace("-", "").strip().upper())
        with self.session() as s:
            row = s.execute(
                select(schema.enrollments).where(schema.enrollments.c.code_hash == key)
            ).first()
            if row is None or row.used_at is not None or row.expires_at < now:
                raise AuthError(
                    "bad_code",
                    "This enrollment code is unknown, already used or expired; ask the "
                    "administrator for a new one (`muskan-server device enroll`).",
                )
            dev_id = new_id()
            token, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            s.execute(
                insert(schema.devices).values(
                    id=dev_id,
                    station_id=row.station_id,
                    label=(label or "")[:120] or None,
                    role=row.role,
                    token_hash=_hash(token),
                    token_expires_at=now + self.access_ttl,
                    refresh_hash=_hash(refresh),
                    refresh_expires_at=now + REFRESH_TTL,
                    last_seq=0,
                    created_at=now,
                )
            )
            # it has read nothing of the feed yet: a restored backup is told by this row
            s.execute(insert(schema.device_cursors).values(device_id=dev_id, pulled_to=0))
            s.execute(
                update(schema.enrollments)
                .where(schema.enrollments.c.code_hash == key)
                .values(used_at=now, device_id=dev_id)
            )
            st = self.station(s, row.station_id)
            from muskan_desktop.sync.rows import row_to_wire

            return {
                "device_id": dev_id,
                "station": row_to_wire("stations", st),
                "role": row.role,
                "token": token,
                "refresh_token": refresh,
                "expires_at": (now + self.access_ttl).isoformat(),
            }

    # -- revocation and hand-in (the rule: `revoke`) ------------------------------------------
    def refresh(self, device_id: str, refresh_token: str) -> dict[str, Any]:
        """A new access token for the refresh token. Refused for a revoked device, except
        once, before its allowed hand-in has started (the rule: `revoke`)."""
        now = self.clock()
        with self.session() as s:
            dev = _by_refresh_token(s, device_id, refresh_token)
            if dev.revoked_at is not None:
                if not _handin_open(dev) or dev.handin_started_at is not None:
                    raise _revoked()
                if dev.refresh_expires_at < now:
                    raise _revoked()
            elif dev.refresh_expires_at < now:
                raise AuthError(
                    "refresh_expired",
                    "This laptop's credential has expired; enroll it again with a new code "
                    "(queued work is kept and sent after enrolling).",
                )
            token = secrets.token_urlsafe(32)
            values: dict[str, Any] = {
                "token_hash": _hash(token),
                "token_expires_at": now + self.access_ttl,
            }
            if dev.revoked_at is not None:  # the hand-in starts with this token
                values["handin_started_at"] = now
                until = (now + self.access_ttl).isoformat()
                _device_event(s, dev, "device_handin_started", now, until=until)
            s.execute(
                update(schema.devices).where(schema.devices.c.id == device_id).values(**values)
            )
        return {"token": token, "expires_at": (now + self.access_ttl).isoformat()}

    def authenticate(self, token: str | None, *, handin: bool = False) -> Device:
        """The device a token belongs to: unexpired, and not revoked, or (with `handin`, for
        push and photo upload) revoked with its one hand-in allowed and still open."""
        if not token:
            raise AuthError("no_token", "This request needs a device token.")
        now = self.clock()
        with self.session() as s:
            dev = s.execute(
                select(schema.devices).where(schema.devices.c.token_hash == _hash(token))
            ).first()
            if dev is None:
                raise AuthError("bad_token", "The server does not know this token.")
            if dev.token_expires_at < now:
                raise AuthError("token_expired", "The token has expired; renew it.")
            in_handin = False
            if dev.revoked_at is not None:
                if not (handin and _handin_open(dev)):
                    raise _revoked()
                in_handin = True
                if dev.handin_started_at is None:
                    started = s.execute(
                        update(schema.devices)
                        .where(
                            schema.devices.c.id == dev.id,
                            schema.devices.c.handin_started_at.is_(None),
                        )
                        .values(handin_started_at=now)
                        .returning(schema.devices.c.id)
                    ).first()
                    if started is not None:
                        until = dev.token_expires_at.isoformat()
                        _device_event(s, dev, "device_handin_started", now, until=until)
            st = self.station(s, dev.station_id)
            return Device(
                dev.id,
                dev.station_id,
                st.district_en,
                dev.role,
                dev.revoked_at is not None,
                int(dev.last_seq),
                in_handin,
            )

    def revoke(self, device_id: str, *, allow_handin: bool = False) -> None:
        """Refuse the device from now on (`muskan-server device revoke [--allow-handin]`).

        The rule (issue 15): a revoked device has no access. Every device route checks the
        token's expiry first, then revocation, and a revoked device gets 403
        `device_revoked`, the renewal of its token included (the laptop wipes its case data
        on that answer). The one exception is the hand-in `allow_handin` permits:

        - It covers push and photo upload only (push, /v1/blobs, /v1/blobs/missing, the
          upload status): never pull, rows, photo download, the officer roster or status.
        - It needs a valid credential: an unexpired access token, or ONE renewal made before
          the hand-in has started, with an unexpired refresh token. A laptop whose token
          and refresh token have expired (offline for 400 days, say) gets nothing.
        - It happens once: it starts at the first request (or the renewal) after the
          revocation and lasts while the token it started with is valid (at most the access
          TTL, an hour); no renewal is granted once it has started. The laptop ends it
          early by reporting its wipe (`wiped`). Its pushes apply with the same checks as
          any device's, with the normal receipts; the answer's `revoked` tells the laptop
          to wipe once its queue is delivered.
        - Each step is a server_officer_events row (device_revoked, device_handin_started,
          device_wiped), and `list_devices` gives the state (`device_state`).

        Revoking again changes nothing, except the hand-in permission while the hand-in
        has not started."""
        now = self.clock()
        with self.session() as s:
            dev = s.execute(
                select(schema.devices).where(schema.devices.c.id == device_id).with_for_update()
            ).first()
            if dev is None:
                raise NotFoundError(
                    f"No device {device_id!r} on this server (see `muskan-server device list`)."
                )
            values: dict[str, Any] = {}
            if dev.revoked_at is None:
                values["revoked_at"] = now
            if dev.handin_started_at is None and dev.wiped_at is None:
                values["handin_allowed"] = allow_handin
            if values:
                s.execute(
                    update(schema.devices).where(schema.devices.c.id == device_id).values(**values)
                )
                allowed = bool(values.get("handin_allowed", dev.handin_allowed))
                _device_event(s, dev, "device_revoked", now, ADMIN, handin_allowed=allowed)

    def wiped(self, device_id: str, refresh_token: str) -> None:
        """A revoked laptop reports that it removed its case data (its refresh token is the
        proof, expired or not: it may have been offline for a year). Recorded once; ends a
        hand-in. Gives the laptop nothing."""
        now = self.clock()
        with self.session() as s:
            dev = _by_refresh_token(s, device_id, refresh_token)
            if dev.revoked_at is None:
                raise AuthError("not_revoked", "This laptop's access is not revoked.")
            if dev.wiped_at is not None:
                return
            values: dict[str, Any] = {"wiped_at": now}
            if dev.handin_started_at is not None:
                values["handed_in_at"] = now
            s.execute(
                update(schema.devices).where(schema.devices.c.id == device_id).values(**values)
            )
            _device_event(s, dev, "device_wiped", now, last_seq=int(dev.last_seq))

    def list_devices(self) -> list[dict[str, Any]]:
        now = self.clock()
        with self.session() as s:
            return [
                {
                    "id": r.id,
                    "station_id": r.station_id,
                    "label": r.label,
                    "role": r.role,
                    "revoked": r.revoked_at is not None,
                    "state": device_state(r, now),
                    "revoked_at": _iso(r.revoked_at),
                    "handin_started_at": _iso(r.handin_started_at),
                    "wiped_at": _iso(r.wiped_at),
                    "last_seq": int(r.last_seq),
                }
                for r in s.execute(select(schema.devices).order_by(schema.devices.c.created_at))
            ]

    # -- blobs ---------------------------------------------------------------------------------
    def blob_path(self, sha: str) -> Path:
        """Where a server before 2026-11-29 kept a photo file (photos now live in the
        database, table `server_blob_data`)."""
        return self.blob_dir / sha[:2] / sha

    def put_blobs(
        self,
        items: Sequence[tuple[str, bytes]],
        station_id: str | None = None,
        device_id: str | None = None,
    ) -> list[str]:
        """Photos (already re-hashed) and their records, in one transaction: when this
        returns, every photo is durable and may be acknowledged. One commit makes a whole
        batch durable (a file per photo cost a create, an fsync and a rename each, and the
        waits of a busy server's other threads). With `station_id`, each photo is also
        credited to that station (and device) as its sender, whether or not another station
        sent the same bytes before (`server_blob_uploaders`). Returns the photos this call
        added."""
        todo = dict(items)
        if not todo:
            return []
        from sqlalchemy.exc import IntegrityError

        from .apply import among, insert_many

        for attempt in range(3):
            try:
                with self.session() as s:
                    q = select(schema.blobs.c.sha256).where(among(s, schema.blobs.c.sha256, todo))
                    fresh = sorted(todo.keys() - set(s.scalars(q)))
                    now = self.clock()
                    files = [{"sha256": x, "data": todo[x]} for x in fresh]
                    insert_many(s, schema.blob_data, files)
                    records = [{"sha256": x, "size": len(todo[x]), "stored_at": now} for x in fresh]
                    insert_many(s, schema.blobs, records)
                    if station_id is not None:
                        credit = sorted(todo.keys() - self.station_blobs(station_id, todo, s))
                        insert_many(
                            s,
                            schema.blob_uploaders,
                            [
                                {"sha256": x, "station_id": station_id, "device_id": device_id,
                                 "uploaded_at": now}
                                for x in credit
                            ],
                        )  # fmt: skip
                return fresh
            except IntegrityError:  # another laptop sent one of them at the same moment
                if attempt == 2:
                    raise
        return []

    def read_blob(self, sha: str) -> bytes | None:
        """A stored photo's bytes, or None if the server does not have it."""
        with self.session() as s:
            data = s.scalar(select(schema.blob_data.c.data).where(schema.blob_data.c.sha256 == sha))
        if data is not None:
            return bytes(data)
        old = self.blob_path(sha)
        if old.is_file() and self.has_blobs([sha]):
            return old.read_bytes()
        return None

    def has_blobs(self, shas: Iterable[str], s: Session | None = None) -> set[str]:
        """Those of `shas` the server holds (in `s`, the caller's transaction, if given: on
        SQLite a second session would wait for the first one's write lock)."""
        shas = list(shas)
        if not shas:
            return set()
        from .apply import among

        with self._in(s) as s2:
            q = select(schema.blobs.c.sha256).where(among(s2, schema.blobs.c.sha256, shas))
            return set(s2.scalars(q))

    def station_blobs(
        self, station_id: str, shas: Iterable[str], s: Session | None = None
    ) -> set[str]:
        """Those of `shas` a device of this station sent the bytes of."""
        shas = list(shas)
        if not shas:
            return set()
        from .apply import among

        up = schema.blob_uploaders
        with self._in(s) as s2:
            q = select(up.c.sha256).where(
                up.c.station_id == station_id, among(s2, up.c.sha256, shas)
            )
            return set(s2.scalars(q))

    @contextmanager
    def _in(self, s: Session | None) -> Iterator[Session]:
        if s is not None:
            yield s
        else:
            with self.session() as own:
                yield own
