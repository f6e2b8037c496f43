"""The laptop's side of a sync round: renew the credential, push the outbox (photos first),
re-read rows a pull had to skip, pull the feed, fetch photo files.

One `SyncClient.sync_once()` is a round; the desktop app runs rounds on a timer (with
jittered backoff after failures) so a queue drains without waiting for the next edit.
Failures the officer can act on are `SyncError`s with the exit code `muskan sync` returns.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import Text, func, select, type_coerce, update

from muskan_desktop.db import SCHEMA_HEAD
from muskan_desktop.errors import MuskanError
from muskan_desktop.models import Meta, Photo

from . import credentials, officer_sync, outbox, pull, rows
from .tables import outbox as outbox_t
from .tables import refetch

log = logging.getLogger(__name__)

SERVER_KEY = "sync_server"
OFFSET_KEY = "sync_seq_offset"
LAST_OK_KEY = "sync_last_ok"
BATCH = 2000
# A push body at most this large (2,000 filled-in cases are about 4 MB); the server's own
# limit is 32 MB by default (server/limits.py), so a batch is never refused for its size.
PUSH_BYTES = 8 * 1024 * 1024
PAGE = 1000
CHUNK = 1024 * 1024
SMALL_BATCH = 8 * 1024 * 1024  # photos up to CHUNK go several to a request
Progress = Callable[[str, int, int], None]


class SyncError(MuskanError):
    exit_code = 10


class Offline(SyncError):
    """The server cannot be reached, or answered with a server error: retry later."""

    exit_code = 10


class Refused(SyncError):
    """The credential was refused or the device revoked."""

    exit_code = 11


class Revoked(Refused):
    """The server revoked this laptop's access: the round stops and the laptop wipes."""


class Wiped(Refused):
    """This laptop's access was revoked and its case data removed (the end of a round)."""


class TooOld(SyncError):
    exit_code = 12


class NotEnrolled(SyncError):
    exit_code = 13


@dataclass
class RoundResult:
    pushed: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    photos_up: int = 0
    photos_down: int = 0
    wiped: bool = False
    notes: list[str] = field(default_factory=list)


def _headers() -> dict[str, str]:
    return {"X-Muskan-Schema": SCHEMA_HEAD}


class SyncClient:
    def __init__(
        self,
        ctx: Any,
        *,
        http: httpx.Client | None = None,
        retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.ctx = ctx
        self.db = ctx.db
        self.server = self._meta(SERVER_KEY)
        self.device = self._meta(outbox.DEVICE_KEY)
        if not self.server or not self.device:
            raise NotEnrolled(
                "This laptop is not enrolled with a server yet: ask the administrator for a "
                "code and run `muskan enroll --server URL --code CODE`."
            )
        self.http = http or httpx.Client(base_url=self.server, timeout=60)
        self.retries = retries
        self.sleep = sleep
        self.rng = rng or random.Random()
        self._cred: credentials.Credential | None = None
        self._cred_lock = threading.RLock()  # (photos go up on a thread of their own)
        self._resend = False

    def _meta(self, k: str) -> str | None:
        with self.db.read() as s:
            value: str | None = s.scalar(select(Meta.value).where(Meta.key == k))
            return value

    # -- transport ----------------------------------------------------------------------------
    def _cred_now(self) -> credentials.Credential:
        with self._cred_lock:
            if self._cred is None:
                assert self.device is not None
                self._cred = credentials.load(self.device, self.db)
                if self._cred is None:
                    raise Refused(
                        "This laptop's server credential is not in the keyring or the "
                        "register; enroll it again with a new code (queued work is kept)."
                    )
            return self._cred

    def _renew(self, refused: str | None) -> None:
        """A new token for the refused one; only once if two threads were refused together
        (the first renewal replaces the refresh token the second would use)."""
        with self._cred_lock:
            cred = self._cred_now()
            if cred.token != refused:
                return  # the other thread renewed it already
            body = self._json(
                self._send(
                    "POST",
                    "/v1/token",
                    json={"device_id": cred.device_id, "refresh_token": cred.refresh_token},
                    auth=False,
                )
            )
            cred.token, cred.expires_at = str(body["token"]), str(body["expires_at"])
            credentials.save(cred, self.db)

    def _send(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> httpx.Response:
        """One request with retries on network faults and 5xx (jittered backoff); a refused
        token is renewed once and the request repeated (the server keeps receipts, so a
        repeated push applies nothing twice)."""
        renewed = False
        attempt = 0
        while True:
            sent = _headers() | (headers or {})
            token = self._cred_now().token if auth else None
            if token is not None:
                sent["Authorization"] = f"Bearer {token}"
            try:
                r = self.http.request(method, path, headers=sent, **kw)
            except httpx.HTTPError as exc:
                err: SyncError = Offline(f"The server {self.server} cannot be reached ({exc}).")
            else:
                if r.status_code < 400:
                    return r
                code = _error_code(r)
                # An expired token is renewed; so is an unknown one (a renewal whose answer
                # was lost left the server with a newer token than the keyring's).
                renewable = code in ("token_expired", "bad_token")
                if code is None and r.status_code < 500:
                    # An answer cut short on the way says nothing about the credential or
                    # the request (it is not a refusal to show): retried like a 5xx.
                    err = Offline(
                        f"The server's answer ({r.status_code}) was cut short; will retry."
                    )
                elif r.status_code == 401 and renewable and auth and not renewed:
                    renewed = True
                    self._renew(token)
                    continue
                elif r.status_code in (401, 403):
                    if code == "device_revoked":
                        raise Revoked("This laptop's access to the server was revoked.")
                    raise Refused(f"The server refused this laptop's credential ({code}).")
                elif r.status_code == 426:
                    raise TooOld(_message(r) or "This version of Muskan is too old for the server.")
                elif r.status_code < 500:
                    raise SyncError(
                        f"The server refused the request: {_message(r) or r.status_code}"
                    )
                else:
                    err = Offline(f"The server had a problem ({r.status_code}); will retry.")
            attempt += 1
            if attempt >= self.retries:
                raise err
            self.sleep(backoff(attempt, self.rng))

    def _json(self, r: httpx.Response) -> dict[str, Any]:
        try:
            body = r.json()
        except ValueError:
            raise Offline("The server answered something that is not JSON; will retry.") from None
        if not isinstance(body, dict):
            raise Offline("The server answered garbage; will retry.")
        return body

    # -- a round ------------------------------------------------------------------------------
    def sync_once(self, progress: Progress | None = None) -> RoundResult:
        """One round. On a revoked laptop (the server says so at any step) the round ends in
        the wipe and `Wiped`: after the one hand-in of its queue if the administrator
        allowed it (the push's answer says `revoked`), else at once."""
        res = RoundResult()
        say = progress or (lambda _stage, _d, _t: None)
        try:
            if self.push(res, say):  # a hand-in: the queue is delivered, now the wipe
                raise Revoked("This laptop's access to the server was revoked.")
            self.refetch(res)
            self.pull(res, say)
            if self._resend:  # the server lost changes it had answered: deliver them again
                self._resend = False
                self.push(res, say)
                self.pull(res, say)
            self.fetch_photos(res, say)
            officer_sync.pull(self)  # the station's officer accounts (offline login anywhere)
        except Revoked:
            lost = self.wipe(res)
            raise Wiped(wiped_message(lost)) from None
        with self.db.write() as s:
            pull.set_meta(s.connection(), LAST_OK_KEY, dt.datetime.now(dt.UTC).isoformat())
        return res

    def pending(self) -> int:
        with self.db.read() as s:
            return outbox.pending_count(s.connection())[0]

    def _offset(self) -> int:
        v = self._meta(OFFSET_KEY)
        return int(v) if v else 0

    def push(self, res: RoundResult, say: Progress) -> bool:
        """Deliver the outbox; True if the server says this device is revoked.

        The laptop's own work overlaps the server's: while one batch travels and is applied,
        the next is read and encoded and the receipts of the one before are stored. The
        requests go from one sending thread, one at a time and in the order a batch-by-batch
        loop would send them; a batch goes only if the one before it came back whole, else
        the loop starts again from the oldest entry still pending.

        The queue's photo files go up on a third thread, in queue order, while the rows
        before them travel; a batch of rows is sent only once every photo it points to is on
        the server (blobs before rows)."""
        offset = self._offset()
        total = self.pending()
        uploads = _PhotosAhead(self, res)
        with (
            ThreadPoolExecutor(1, thread_name_prefix="muskan-push") as sender,
            ThreadPoolExecutor(1, thread_name_prefix="muskan-photos") as photo_thread,
        ):
            photo_thread.submit(uploads.run)
            try:
                return self._push_batches(sender, uploads, offset, total, res, say)
            finally:
                uploads.stop()

    def _push_batches(
        self,
        sender: ThreadPoolExecutor,
        uploads: _PhotosAhead,
        offset: int,
        total: int,
        res: RoundResult,
        say: Progress,
    ) -> bool:
        done = 0
        stalls = 0
        revoked = False
        while True:
            after = 0
            ahead: tuple[Sequence[Any], Future[dict[str, Any] | None]] | None = None
            while True:
                with self.db.read() as s:
                    q = _PENDING.where(outbox_t.c.seq > after).limit(BATCH)
                    batch = s.execute(q).mappings().all()
                sent = None
                if batch:
                    before = (len(ahead[0]), ahead[1]) if ahead else None
                    batch, wire = _fit(batch, offset)
                    job = sender.submit(self._deliver, batch, wire, offset, before, res, uploads)
                    sent = (batch, job)
                    after = int(batch[-1]["seq"])
                if ahead is None:
                    if sent is None:
                        return revoked
                    ahead = sent
                    continue
                (batch, fut), ahead = ahead, sent
                body = fut.result()
                if body is None:  # (only a batch behind a short answer is skipped)
                    raise Offline("The push was cut short; will retry.")
                revoked = bool(body.get("revoked"))
                receipts = body.get("receipts")
                if not isinstance(receipts, list):
                    raise Offline("The server's answer to a push has no receipts; will retry.")
                n = self._store_receipts(receipts, offset, res)
                done += n
                say("push", done, total)
                whole = _whole(body, len(batch))
                if not whole and ahead is not None:
                    ahead[1].result()  # skipped by the sender: nothing was sent
                expected = body.get("expected")
                if isinstance(expected, int) and expected + offset < int(batch[0]["seq"]):
                    # The server has less than we were told (restored from a backup):
                    # send again.
                    self._reopen_from(expected + offset)
                    break
                blocked = body.get("blocked")
                if isinstance(blocked, dict) and isinstance(blocked.get("sha256"), str):
                    self.upload_blobs(batch, res, force={blocked["sha256"]})
                stalls = stalls + 1 if n == 0 else 0
                if stalls >= 3:
                    raise Offline("The server accepted nothing from the outbox; will retry later.")
                if not whole:
                    break

    def _deliver(
        self,
        batch: Sequence[Any],
        wire: bytes,
        offset: int,
        before: tuple[int, Future[dict[str, Any] | None]] | None,
        res: RoundResult,
        uploads: _PhotosAhead,
    ) -> dict[str, Any] | None:
        """(On the sending thread.) Photos first, then the batch; None, sending nothing, if
        the batch before it failed or came back short."""
        if before is not None:
            n, fut = before
            if fut.exception() is not None:
                return None
            prev = fut.result()
            if prev is None or not _whole(prev, n):
                return None
        unavailable = self._photos_for(batch, res, uploads)
        if unavailable:  # their rows go flagged
            wire = _wire(batch, offset, unavailable)
        r = self._send("POST", "/v1/push", content=wire, headers=JSON_BODY)
        return self._json(r)

    def _store_receipts(self, receipts: list[Any], offset: int, res: RoundResult) -> int:
        """Receipts onto their entries (one statement for the lot); returns how many."""
        good = {}
        for rc in receipts:
            if not isinstance(rc, dict) or not isinstance(rc.get("seq"), int):
                continue
            if rc.get("status") in ("applied", "conflict", "rejected", "quarantined"):
                good[rc["seq"] + offset] = rc
        if not good:
            return 0
        with self.db.write() as s:
            conn = s.connection()
            span = outbox_t.c.seq.between(min(good), max(good))
            q = select(outbox_t.c.seq).where(span, outbox_t.c.state == "pending")
            open_ = set(conn.scalars(q)) & good.keys()
            params = [(good[seq]["status"], json.dumps(good[seq]), seq) for seq in sorted(open_)]
            if params:  # (straight to the driver: 2,000 rows of SQLAlchemy bind processing
                # cost more than the update itself)
                conn.exec_driver_sql(
                    "UPDATE sync_outbox SET state = ?, receipt = ?, attempts = attempts + 1 "
                    "WHERE seq = ?",
                    params,
                )
        for seq in open_:
            status = good[seq]["status"]
            res.pushed += 1
            if status == "applied":
                res.applied += 1
            elif status == "conflict":
                res.conflicts += 1
            else:
                res.rejected += 1
        return len(open_)

    def _reopen_from(self, seq: int) -> None:
        with self.db.write() as s:
            s.connection().execute(
                update(outbox_t).where(outbox_t.c.seq >= seq).values(state="pending")
            )

    def upload_blobs(self, batch: Any, res: RoundResult, force: set[str] | None = None) -> set[str]:
        """Photos before the rows that point to them. Returns photos this laptop cannot send
        (file missing or damaged): their rows go with a flag and come back rejected."""
        return self._upload_shas([sha for e in batch if (sha := _photo_sha(e))], res, force)

    def _upload_shas(
        self, wanted: Sequence[str], res: RoundResult, force: set[str] | None = None
    ) -> set[str]:
        """These photo files onto the server, those it lacks (and `force`) only; returns
        those this laptop cannot send."""
        shas = sorted(set(wanted))
        if not shas:
            return set()
        body = self._json(self._send("POST", "/v1/blobs/missing", json={"shas": shas}))
        missing = [x for x in body.get("missing", []) if x in shas] + sorted(force or ())
        bad = set()
        from muskan_desktop.photos import PhotoStore

        store = PhotoStore(self.ctx.home)
        small: list[tuple[str, bytes]] = []
        for sha in dict.fromkeys(missing):
            try:
                data = store.read(sha)
            except MuskanError as exc:
                log.warning("photo %s… cannot be sent: %s", sha[:12], exc.message)
                bad.add(sha)
                continue
            if len(data) > CHUNK:
                self._upload(sha, data)  # large: in chunks, resumable
                self._count_up(res, 1)
                continue
            small.append((sha, data))
            if sum(len(d) for _, d in small) > SMALL_BATCH:
                self._count_up(res, self._upload_many(small))
                small = []
        if small:
            self._count_up(res, self._upload_many(small))
        return bad

    def _count_up(self, res: RoundResult, n: int) -> None:
        with self._cred_lock:
            res.photos_up += n

    def _photos_for(self, batch: Sequence[Any], res: RoundResult, ahead: _PhotosAhead) -> set[str]:
        """(On the sending thread.) When this returns, the photo files `batch` points to are
        on the server; returns those this laptop cannot send."""
        mine = [(int(e["seq"]), sha) for e in batch if (sha := _photo_sha(e))]
        if not mine:
            return set()
        done = ahead.ready(mine[-1][0])
        if done is None or ahead.last is None:  # (the photo thread stopped short of them)
            return self._upload_shas([sha for _, sha in mine], res)
        later = [sha for seq, sha in mine if seq > ahead.last]  # queued after the push began
        return (done & {sha for _, sha in mine}) | self._upload_shas(later, res)

    def _pending_photos(self) -> list[tuple[int, str]]:
        """(seq, sha256) of the photos the outbox holds, in queue order."""
        q = _PENDING.where(outbox_t.c.entity == "photos", outbox_t.c.op == "insert")
        with self.db.read() as s:
            return [(int(e["seq"]), x) for e in s.execute(q).mappings() if (x := _photo_sha(e))]

    def _upload_many(self, items: list[tuple[str, bytes]]) -> int:
        import base64

        body = {"blobs": [{"sha256": s, "data": base64.b64encode(d).decode()} for s, d in items]}
        out = self._json(self._send("POST", "/v1/blobs", json=body))
        return len(out.get("stored") or [])

    def _upload(self, sha: str, data: bytes) -> None:
        """A photo of one chunk goes in one request. A larger one asks first how much of it
        the server already has (an upload cut off earlier) and resumes there."""
        offset = 0
        if len(data) > CHUNK:
            st = self._json(self._send("GET", f"/v1/blobs/{sha}/upload"))
            if st.get("complete"):
                return
            offset = int(st.get("received") or 0)
        while offset < len(data):
            chunk = data[offset : offset + CHUNK]
            r = self._json(
                self._send(
                    "PUT",
                    f"/v1/blobs/{sha}",
                    params={"offset": offset, "total": len(data)},
                    content=chunk,
                )
            )
            if r.get("complete"):
                return
            offset = int(r.get("received") or 0)

    def refetch(self, res: RoundResult) -> None:
        """Rows a pull skipped fields of, once their local edits are delivered."""
        with self.db.read() as s:
            todo = s.execute(select(refetch)).all()
        ready = []
        for entity, rid in todo:
            with self.db.read() as s:
                left = pull.pending_fields(s.connection(), entity, [rid])
            if not left:
                ready.append((entity, rid))
        for entity in {e for e, _ in ready}:
            ids = [r for e, r in ready if e == entity]
            body = self._json(self._send("POST", "/v1/rows", json={"entity": entity, "ids": ids}))
            with self.db.write() as s:
                s.info[outbox.APPLYING] = True
                conn = s.connection()
                pull.apply_rows(conn, pull._items(body.get("deps")) + pull._items(body.get("rows")))
                conn.execute(
                    refetch.delete().where(refetch.c.entity == entity, refetch.c.row_id.in_(ids))
                )

    def pull(self, res: RoundResult, say: Progress) -> None:
        while True:
            with self.db.read() as s:
                cursor = pull.get_cursor(s.connection())
            r = self._send("GET", "/v1/pull", params={"after": cursor, "limit": PAGE})
            page = self._json(r)
            if page.get("reset") is True:
                if pull.restart_feed(self.db, cursor):
                    res.notes.append(
                        "The server was restored from a backup: this laptop reads its changes "
                        "again from the start."
                    )
                continue
            try:
                new = pull.apply_page(self.db, page, cursor)
            except (pull.BadPage, rows.BadValue) as exc:
                raise Offline(f"The server sent a page this laptop cannot read ({exc}).") from None
            res.pulled += len(page.get("changes") or [])
            say("pull", new, int(page.get("server_seq") or new))
            if not page.get("more") or new == cursor:
                lost = pull.lost_by_server(self.db, page.get("applied_seq"), self._offset())
                if lost is not None:
                    self._reopen_from(lost)
                    res.notes.append(
                        "The server was restored from a backup and lost changes this laptop "
                        "had sent: they are being sent again."
                    )
                    self._resend = True
                return

    def fetch_photos(self, res: RoundResult, say: Progress) -> None:
        from muskan_desktop.photos import PhotoStore, load_photo

        store = PhotoStore(self.ctx.home)
        with self.db.read() as s:
            shas = sorted(set(s.scalars(select(Photo.sha256))))
        todo = [x for x in shas if store.path(x) is None]
        for i, sha in enumerate(todo):
            try:
                r = self._send("GET", f"/v1/blobs/{sha}")
            except SyncError as exc:
                if isinstance(exc, Offline | Refused | TooOld):
                    raise
                continue  # not visible to this station, or not uploaded yet
            data = r.content
            if hashlib.sha256(data).hexdigest() != sha:
                continue
            try:
                store.put(load_photo(data))
            except MuskanError:
                continue
            res.photos_down += 1
            say("photos", i + 1, len(todo))

    def wipe(self, res: RoundResult) -> int | None:
        """Remove everything of the register from this revoked laptop; returns how many
        queued changes went with it (never delivered: the administrator allowed no hand-in,
        or it had ended), None if they could not be counted.

        Nothing is applied to the register (its own rules refuse to erase tracing entries
        and the audit trail): it is closed, its keys destroyed first (keystore.destroy) and
        then its files removed, with its photos, thumbnails and backups. The register,
        photos and backups are encrypted with those keys, so whatever of them the disk
        still holds, or a file that could not be removed, can no longer be read (a
        crypto-wipe). An empty register takes its place, and the server is told the wipe
        was done (only a record; a failure to tell it changes nothing here). Each step
        runs whatever the one before met."""
        import shutil

        from muskan_desktop import keystore
        from muskan_desktop.db import Database
        from muskan_desktop.paths import DB_FILENAME

        home = self.db.home
        lost: int | None
        try:
            lost = self.pending()
        except Exception as exc:  # a damaged register is wiped all the same
            log.warning("the queue could not be counted before the wipe: %s", type(exc).__name__)
            lost = None
        try:
            cred: credentials.Credential | None = self._cred_now()
        except Exception:
            cred = None
        self.db.close()
        keystore.destroy(home)
        if self.device:
            try:
                credentials.forget(self.device)  # the keyring's copy (the register's is gone)
            except Exception as exc:
                log.warning("the keyring kept the server credential: %s", type(exc).__name__)
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                (home / f"{DB_FILENAME}{suffix}").unlink(missing_ok=True)
            except OSError as exc:  # (its key is destroyed: unreadable all the same)
                log.warning("%s%s was not removed: %s", DB_FILENAME, suffix, exc.strerror)
        # index/: the face-descriptor cache (biometric data, encrypted with the destroyed key)
        for folder in ("photos", "thumbs", "backups", "index"):
            shutil.rmtree(home / folder, ignore_errors=True)
        res.wiped = True
        try:
            fresh = Database.open(home, create=True)
        except Exception as exc:  # (no keyring and no passphrase for new keys, say)
            log.warning("after the wipe no new register was made: %s", type(exc).__name__)
        else:
            self.ctx.db = self.db = fresh
        if cred is not None:
            try:
                body = {"device_id": cred.device_id, "refresh_token": cred.refresh_token}
                self._send("POST", "/v1/wiped", json=body, auth=False)
            except SyncError as exc:
                log.warning("the server was not told of the wipe: %s", exc.message)
        return lost


def wiped_message(lost: int | None) -> str:
    """What the officer reads after the wipe."""
    text = (
        "The administrator revoked this laptop's access to the server, so the case data on "
        "this laptop (cases, photos, tracing entries, backups) was removed and an empty "
        "register put in its place."
    )
    if lost is None:
        text += " Work made here that had not reached the server was removed with it."
    elif lost:
        text += (
            f" {lost} change(s) made here had not reached the server and were removed with it "
            "(the administrator did not allow a hand-in of unsent work, or it had ended)."
        )
    else:
        text += " All work made here had reached the server."
    return text + " To use this laptop again, ask the administrator for a new enrollment code."


class _PhotosAhead:
    """The photo files of the queue as it stood when a push began, sent in queue order a
    few at a time on a thread of their own. The sending thread asks `ready(seq)` before a
    batch goes: it waits until every photo of an entry up to `seq` is on the server."""

    STEP = 100  # photos per step (each step: one "which are missing?" and their upload)

    def __init__(self, client: SyncClient, res: RoundResult):
        self.client, self.res = client, res
        self.last: int | None = None  # entries after this one bring their own photos
        self.covered = 0  # every photo of an entry up to this seq is on the server
        self.unavailable: set[str] = set()
        self.stopped = False
        self.error: BaseException | None = None
        self.cond = threading.Condition()

    def run(self) -> None:
        try:
            todo = self.client._pending_photos()
            with self.cond:
                self.last = todo[-1][0] if todo else 0
                self.cond.notify_all()
            for i in range(0, len(todo), self.STEP):
                if self.stopped:
                    return
                step = todo[i : i + self.STEP]
                bad = self.client._upload_shas([sha for _, sha in step], self.res)
                with self.cond:
                    self.unavailable |= bad
                    self.covered = step[-1][0]
                    self.cond.notify_all()
        except BaseException as exc:  # the batch that needs the photos fails with it
            self.error = exc
        finally:
            self.stop()

    def stop(self) -> None:
        with self.cond:
            self.stopped = True
            self.cond.notify_all()

    def ready(self, seq: int) -> set[str] | None:
        """Waits for the photos of entries up to `seq`; returns those this laptop cannot
        send, or None if the thread stopped before it reached them. If it stopped on an
        error (the server cannot be reached, say), that error is raised here, as it was on
        the thread."""
        with self.cond:
            self.cond.wait_for(lambda: self.last is not None or self.stopped)
            need = min(seq, self.last) if self.last is not None else None
            if need is not None:
                self.cond.wait_for(lambda: self.covered >= need or self.stopped)
                if self.covered >= need:
                    return set(self.unavailable)
            if self.error is not None:
                raise self.error
            return None


# Pending entries in order, `data` and `base` as the JSON text they are stored as: they go
# into the request as they are (decoding and re-encoding 10,000 of them was a good part of
# a push's time on the laptop).
_PENDING = (
    select(
        *[c for c in outbox_t.c if c.key not in ("data", "base")],
        type_coerce(outbox_t.c.data, Text).label("data"),
        type_coerce(outbox_t.c.base, Text).label("base"),
    )
    .where(outbox_t.c.state == "pending")
    .order_by(outbox_t.c.seq)
)
JSON_BODY = {"Content-Type": "application/json"}


def _wire(batch: Sequence[Any], offset: int, unavailable: set[str]) -> bytes:
    return b'{"entries":[' + b",".join(_entry_json(e, offset, unavailable) for e in batch) + b"]}"


def _fit(batch: Sequence[Any], offset: int) -> tuple[Sequence[Any], bytes]:
    """The longest head of `batch` whose push body stays within PUSH_BYTES (at least one
    entry), and that body: the server refuses a larger body unread (413), and the same
    batch sent again would be refused again and wedge the queue."""
    parts: list[bytes] = []
    size = 0
    for e in batch:
        part = _entry_json(e, offset, set())
        if parts and size + len(part) + 1 > PUSH_BYTES:
            break
        parts.append(part)
        size += len(part) + 1
    return batch[: len(parts)], b'{"entries":[' + b",".join(parts) + b"]}"


def _whole(body: dict[str, Any], n: int) -> bool:
    """The server's answer to a push of `n` entries holds a receipt for each of them."""
    receipts = body.get("receipts")
    if not isinstance(receipts, list) or body.get("blocked") or body.get("expected") is not None:
        return False
    good = ("applied", "conflict", "rejected", "quarantined")
    ok = (r for r in receipts if isinstance(r, dict) and isinstance(r.get("seq"), int))
    return sum(r.get("status") in good for r in ok) >= n


def _photo_sha(e: Any) -> str | None:
    if e["entity"] != "photos" or e["op"] != "insert":
        return None
    data = json.loads(e["data"])
    sha = data.get("sha256") if isinstance(data, dict) else None
    return sha if isinstance(sha, str) else None


def _entry(e: Any, offset: int, unavailable: set[str]) -> dict[str, Any]:
    """One entry of a push request, from a decoded outbox row."""
    out = {
        "seq": int(e["seq"]) - offset,
        "entity": e["entity"],
        "row_id": e["row_id"],
        "op": e["op"],
        "data": e["data"],
        "base": e["base"],
        "actor": e["actor"],
        "role": e["role"],
        "created_at": e["created_at"].isoformat() if e["created_at"] else None,
    }
    if e["entity"] == "photos" and e["data"].get("sha256") in unavailable:
        out["blob"] = "unavailable"
    return out


def _entry_json(e: Any, offset: int, unavailable: set[str]) -> bytes:
    """The same as JSON, from an outbox row read by `_PENDING` (data and base spliced in)."""
    meta = {
        "seq": int(e["seq"]) - offset,
        "entity": e["entity"],
        "row_id": e["row_id"],
        "op": e["op"],
        "actor": e["actor"],
        "role": e["role"],
        "created_at": e["created_at"].isoformat() if e["created_at"] else None,
    }
    if unavailable and _photo_sha(e) in unavailable:
        meta["blob"] = "unavailable"
    head = json.dumps(meta)[:-1]
    return f'{head}, "data": {e["data"]}, "base": {e["base"] or "null"}}}'.encode()


def backoff(attempt: int, rng: random.Random, base: float = 0.5, cap: float = 300.0) -> float:
    """Full-jitter exponential backoff: many laptops coming back online do not stampede."""
    return float(rng.uniform(0, min(cap, base * 2 ** min(attempt, 20))))


def _error_code(r: httpx.Response) -> str | None:
    """The server's error code; None for an answer that is not JSON (cut short)."""
    try:
        body = r.json()
    except ValueError:
        return None
    return str(body.get("error", r.status_code)) if isinstance(body, dict) else str(r.status_code)


def _message(r: httpx.Response) -> str | None:
    try:
        body = r.json()
    except ValueError:
        return None
    return str(body.get("message")) if isinstance(body, dict) and body.get("message") else None


def oldest_pending(db: Any) -> tuple[int, dt.datetime | None]:
    with db.read() as s:
        return outbox.pending_count(s.connection())


def counts(db: Any) -> dict[str, int]:
    with db.read() as s:
        q = select(outbox_t.c.state, func.count()).group_by(outbox_t.c.state)
        return {k: int(v) for k, v in s.execute(q)}
