"""Photos on their way to the server: sent on a thread of their own beside the rows, yet
never after a row that points to them; kept in the server's database."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import random
import threading

import httpx
from PIL import Image
from sqlalchemy import func, insert, select

from muskan_desktop.models import Case, Photo
from muskan_desktop.photos import PhotoService
from muskan_desktop.server import schema
from muskan_desktop.server.store import ServerStore
from muskan_desktop.sync import client as client_mod

from .pg import pg_cluster_fixture  # noqa: F401
from .sync_helpers import station_codes
from .sync_world import (
    check_invariants,
    world_fixture,  # noqa: F401
)


def _jpeg(i: int) -> bytes:
    rng = random.Random(i)
    img = Image.new("RGB", (64, 64), (rng.randrange(256), rng.randrange(256), 40))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


class Recorder(httpx.BaseTransport):
    """Between the laptop's network and the server: when each request started and ended,
    with the photos it carried (uploads) or pointed to (pushes)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.events: list[tuple[str, str, set[str]]] = []
        self.blocked = 0
        self.lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        path = request.url.path
        shas: set[str] = set()
        if path == "/v1/push":
            for e in json.loads(body)["entries"]:
                if e["entity"] == "photos" and e["op"] == "insert":
                    shas.add(e["data"]["sha256"])
        elif path == "/v1/blobs":
            shas = {b["sha256"] for b in json.loads(body)["blobs"]}
        with self.lock:
            self.events.append(("start", path, shas))
        resp = self.inner.handle_request(request)
        content = resp.read()
        with self.lock:
            self.events.append(("end", path, shas))
            if path == "/v1/push" and json.loads(content).get("blocked"):
                self.blocked += 1
        return resp


def test_photos_go_beside_the_rows_but_never_after_a_row_that_needs_them(world, monkeypatch):
    monkeypatch.setattr(client_mod, "BATCH", 40)  # many batches ...
    monkeypatch.setattr(client_mod._PhotosAhead, "STEP", 7)  # ... and many photo steps
    a = world.laptop("a", station_codes(1)[0])
    rec = Recorder(a.transport)
    a.transport = rec
    photos = PhotoService(a.ctx)
    added = []
    for i in range(30):  # a case, a photo of it, a tracing entry: interleaved in the queue
        case = a.cases().create(
            {"kind": "missing", "name_latin": f"Child {i}", "sex": "F", "age_years": 7}
        )
        added.append(photos.add(case.id, _jpeg(i)).sha256)
        a.cases().add_tracing_entry(case.id, "asked at the bus stand")

    res = a.sync()

    assert res.photos_up == 30
    uploaded: set[str] = set()
    uploads = 0
    for kind, path, shas in rec.events:
        if kind == "end" and path == "/v1/blobs":
            uploaded |= shas
            uploads += len(shas)
        if kind == "start" and path == "/v1/push":
            assert shas <= uploaded, "a row went before its photo was on the server"
    assert uploads == 30  # each photo once
    assert rec.blocked == 0  # the server never had to ask for a photo
    assert sum(1 for k, p, _ in rec.events if k == "start" and p == "/v1/push") >= 4
    for sha in added:
        data = world.store.read_blob(sha)
        assert data is not None and hashlib.sha256(data).hexdigest() == sha
    assert not list(world.store.blob_dir.glob("*/*"))  # in the database, not in files
    check_invariants(world)


class BothAtOnce(httpx.BaseTransport):
    """Holds the first request of each of two threads until both have arrived, so both go
    to the server with the same (expired) token."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.gate = threading.Barrier(2, timeout=20)
        self.seen: set[int] = set()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        me = threading.get_ident()
        if me not in self.seen and len(self.seen) < 2 and request.url.path != "/v1/token":
            self.seen.add(me)
            self.gate.wait()
        return self.inner.handle_request(request)


def test_an_expired_token_is_renewed_once_when_both_threads_are_refused(world, monkeypatch):
    monkeypatch.setattr(client_mod, "BATCH", 40)
    a = world.laptop("a", station_codes(1)[0])
    a.sync()
    world.now += dt.timedelta(days=3)  # the access token has expired
    cases = [a.cases().create({"kind": "found", "sex": "M", "age_years": 6}) for _ in range(40)]
    photos = PhotoService(a.ctx)  # (the first batch has no photos: it goes at once)
    for i, case in enumerate(cases[:12]):
        photos.add(case.id, _jpeg(100 + i))
    log = a.transport.log
    del log[:]
    a.transport = BothAtOnce(a.transport)  # the rows' thread and the photos' thread
    res = a.sync()
    assert res.photos_up == 12
    refused = [x for x in log if x[1] in ("/v1/push", "/v1/blobs/missing")][:2]
    assert {p for _m, p, _a in refused} == {"/v1/push", "/v1/blobs/missing"}
    assert [x for x in log if x[1] == "/v1/token"] == [("POST", "/v1/token", "ok")]
    with world.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Photo)) == 12
    check_invariants(world)


def test_server_photos_live_in_its_database_and_old_photo_files_are_still_read(tmp_path):
    store = ServerStore(tmp_path / "server")  # the default: an SQLite file, no PostgreSQL
    try:
        first = _jpeg(1)
        sha = hashlib.sha256(first).hexdigest()
        assert store.put_blobs([(sha, first)]) == [sha]
        assert store.put_blobs([(sha, first)]) == []  # sent again: nothing new
        assert store.read_blob(sha) == first
        assert store.has_blobs([sha]) == {sha}
        assert not store.blob_dir.exists()

        old = _jpeg(2)  # a photo a server kept as a file before photos moved in
        old_sha = hashlib.sha256(old).hexdigest()
        store.blob_path(old_sha).parent.mkdir(parents=True)
        store.blob_path(old_sha).write_bytes(old)
        assert store.read_blob(old_sha) is None  # a stray file with no record is not served
        with store.session() as s:
            s.execute(
                insert(schema.blobs).values(
                    sha256=old_sha, size=len(old), stored_at=dt.datetime(2026, 10, 1)
                )
            )
        assert store.read_blob(old_sha) == old
        assert store.read_blob("0" * 64) is None
    finally:
        store.close()


def test_a_push_of_many_edits_updates_every_case_and_its_field_versions(world):
    """Edits of 25 cases go in one push: on PostgreSQL one UPDATE for the cases and one for
    their field versions. Every value lands, and each edit a second laptop's offline edit of
    the same field beat is kept as a conflict."""
    a_info = station_codes(1)[0]
    a, a2 = world.laptop("a", a_info), world.laptop("a2", a_info)
    cases = [
        a.cases().create(
            {"kind": "missing", "name_latin": f"Child {i}", "sex": "M", "age_years": 8}
        )
        for i in range(25)
    ]
    a.sync()
    a2.sync()
    for round_ in (1, 2):  # the first edit makes field versions, the second moves them on
        for i, c in enumerate(cases):
            a.cases().update(c.id, {"clothing": f"shirt {round_}.{i}", "hair": f"short {round_}"})
        a.sync()
    for i, c in enumerate(cases):  # meanwhile, offline
        a2.cases().update(c.id, {"clothing": f"kurta {i}"})
    res = a2.sync()
    assert res.conflicts == 25
    fv = schema.field_versions
    losers = schema.conflicts
    with world.store.session() as s:
        for i, c in enumerate(cases):  # the later arrival wins; the edit it beat is kept
            assert s.get(Case, c.id).clothing == f"kurta {i}"
            assert s.get(Case, c.id).hair == "short 2"
        kept = s.execute(select(losers.c.case_id, losers.c.field, losers.c.lost)).all()
        versions = s.execute(
            select(fv.c.field, func.min(fv.c.version), func.max(fv.c.version), func.count())
            .where(fv.c.case_id.in_([c.id for c in cases]))
            .group_by(fv.c.field)
        ).all()
    assert sorted(kept) == sorted((c.id, "clothing", f"shirt 2.{i}") for i, c in enumerate(cases))
    assert {f: (lo, hi, n) for f, lo, hi, n in versions} == {
        "clothing": (4, 4, 25),  # made at 1, two edits from a, then the one from a2
        "hair": (3, 3, 25),
    }
    for lap in (a, a2, a, a2):
        lap.sync()
    check_invariants(world)
