"""Photos only to those allowed (issue 15, item 4) and the SQLite server taking photos (item
5), on the real server app with real enrolled laptops, on SQLite and on PostgreSQL.

A Surguja laptop (its own credential, a client it may have changed) against a Jashpur
child's photo: it cannot download it, cannot attach it to one of its own cases, and never
reads its hash in what it pulls; a match between the two districts still works."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, text

from muskan_desktop import matching, places
from muskan_desktop.faces import FaceEncoding
from muskan_desktop.ids import new_id, station_id
from muskan_desktop.match_alerts import AlertService
from muskan_desktop.matching import MatchService
from muskan_desktop.models import FaceEmbedding, MatchCandidate, Photo
from muskan_desktop.photos import PhotoService, PhotoStore
from muskan_desktop.server import schema
from muskan_desktop.server.store import ServerStore
from muskan_desktop.sync import client as client_mod
from muskan_desktop.sync.tables import outbox

from .conftest import shared_dir
from .pg import pg_cluster_fixture  # noqa: F401
from .sync_world import World, server_url, world_fixture  # noqa: F401

_real_encode = matching.encode_face
_ENCODED: dict[Any, FaceEncoding] = {}


@pytest.fixture(autouse=True)
def _encode_once(monkeypatch):
    """dlib reads each test photo once per session, not once per test and database."""

    def cached(image: Any, **kw: Any) -> FaceEncoding:
        key = (hashlib.sha1(image.tobytes()).hexdigest(), image.size, kw.get("face"))
        if key not in _ENCODED:
            _ENCODED[key] = _real_encode(image, **kw)
        return _ENCODED[key]

    monkeypatch.setattr(matching, "encode_face", cached)


def face(name: str) -> Path:
    return shared_dir() / "data" / "faces" / name


def station(code: str) -> places.StationInfo:
    return next(s for s in places.stations() if s.code == code)


JASHPUR, JASHPUR_KUNKURI = station("JASHPUR-JASHPUR"), station("JASHPUR-KUNKURI")
SURGUJA, SURGUJA_LUNDRA = station("SURGUJA-AMBIKAPUR"), station("SURGUJA-LUNDRA")


def missing_child(lap: Any) -> str:
    fields = {
        "kind": "missing",
        "name_latin": "Ramesh Minj",
        "sex": "M",
        "age_years": 12,
        "last_seen_on": "2026-03-01",
        "investigating_officer": "SI Kujur",
    }
    return str(lap.cases().create(fields).id)


def found_child(lap: Any) -> str:
    fields = {
        "kind": "found",
        "name_latin": "Unknown boy",
        "sex": "M",
        "age_years": 12,
        "found_on": "2026-10-20",
        "found_place": "Ambikapur bus stand",
        "cci_name": "Balgrih Ambikapur",
    }
    return str(lap.cases().create(fields).id)


def photo_of(lap: Any, case_id: str, name: str) -> str:
    """A photo with its face descriptor, as the window adds it; its SHA-256."""
    return str(MatchService(lap.ctx).add_photo(case_id, face(name)).sha256)


def raw(lap: Any, method: str, path: str, **kw: Any) -> Any:
    """A hand-written request with the laptop's own credential (what an attacker holding
    the laptop can send)."""
    cred = lap.client()._cred_now()
    headers = {"Authorization": f"Bearer {cred.token}", **client_mod._headers()}
    with lap.http() as http:
        return http.request(method, path, headers=headers, **kw)


def pulled_bytes(lap: Any) -> bytes:
    """Everything the laptop can pull, from the start of the feed, as the server sent it."""
    body, after = b"", 0
    while True:
        r = raw(lap, "GET", "/v1/pull", params={"after": after, "limit": 2000})
        assert r.status_code == 200
        body += r.content
        page = r.json()
        if not page["more"]:
            return body
        after = page["cursor"]


def receipts(lap: Any, entity: str) -> list[dict[str, Any]]:
    with lap.ctx.db.read() as s:
        q = select(outbox.c.receipt).where(outbox.c.entity == entity).order_by(outbox.c.seq)
        return list(s.scalars(q))


def shas_on(lap: Any) -> set[str]:
    """Every photo hash the laptop's register holds, wherever it is written."""
    with lap.ctx.db.read() as s:
        out = set(s.scalars(select(Photo.sha256)))
        out |= set(s.scalars(select(FaceEmbedding.photo_sha256)))
        for m, f in s.execute(
            select(MatchCandidate.missing_photo_sha, MatchCandidate.found_photo_sha)
        ):
            out |= {m, f}
    return out


def plant_photo_row(lap: Any, case_id: str, sha: str) -> None:
    """A laptop whose register was edited by hand: a photos row on its own case naming a
    photo it read the hash of somewhere."""
    with lap.ctx.db.write() as s:
        s.add(
            Photo(
                id=new_id(),
                case_id=case_id,
                sha256=sha,
                mime="image/jpeg",
                width=100,
                height=100,
                taken_on=None,
                added_at=dt.datetime(2026, 11, 1, 12, 0),
                added_by=lap.actor,
            )
        )


def test_a_surguja_laptop_cannot_get_a_jashpur_childs_photo(world, monkeypatch):
    j = world.laptop("jashpur", JASHPUR)
    evil = world.laptop("surguja", SURGUJA)
    other = world.laptop("surguja2", SURGUJA)  # another laptop of the same station
    near = world.laptop("lundra", SURGUJA_LUNDRA)  # and one of another Surguja station
    child = missing_child(j)
    secret = photo_of(j, child, "obama.jpg")
    j.sync()
    for lap in (evil, other, near):
        lap.sync()

    # (c) the match index reaches Surguja without the photo's hash, in any response
    with evil.ctx.db.read() as s:
        (stub_face,) = s.scalars(select(FaceEmbedding).where(FaceEmbedding.case_id == child))
    assert stub_face.photo_sha256 != secret and len(stub_face.photo_sha256) == 64
    assert secret.encode() not in pulled_bytes(evil)
    r = raw(evil, "POST", "/v1/rows", json={"entity": "face_embeddings", "ids": [stub_face.id]})
    assert r.status_code == 200 and r.json()["rows"]
    assert secret.encode() not in r.content
    assert secret not in shas_on(evil)

    # (b) a tampered client (it sends no photo: it has none) attaches the Jashpur photo to
    # one of its own cases: refused with a receipt, never applied, never spread
    own = missing_child(evil)
    evil.sync()
    plant_photo_row(evil, own, secret)
    monkeypatch.setattr(client_mod.SyncClient, "_upload_shas", lambda *_a, **_k: set())
    res = evil.sync()
    monkeypatch.undo()
    (planted,) = receipts(evil, "photos")
    assert planted["status"] == "rejected"
    assert planted["reason"] == "the photo was not uploaded from this station"
    assert res.rejected == 1
    with world.store.session() as s:
        assert s.scalars(select(Photo.case_id).where(Photo.sha256 == secret)).all() == [child]
    for lap in (other, near):
        lap.sync()
        assert secret not in shas_on(lap)
        assert PhotoStore(lap.ctx.home).path(secret) is None

    # (a) no Surguja laptop can download it by its hash; Jashpur's own laptops can
    for lap in (evil, other, near):
        r = raw(lap, "GET", f"/v1/blobs/{secret}")
        assert r.status_code == 404 and r.json()["error"] == "no_blob"
    assert PhotoStore(evil.ctx.home).path(secret) is None
    mine = raw(j, "GET", f"/v1/blobs/{secret}")
    assert mine.status_code == 200 and hashlib.sha256(mine.content).hexdigest() == secret
    kunkuri = world.laptop("kunkuri", JASHPUR_KUNKURI)  # the child's district sees it in full
    assert raw(kunkuri, "GET", f"/v1/blobs/{secret}").status_code == 200

    # even a row planted on the server itself (as a server before this check accepted it)
    # opens nothing: the photo was not sent by the Surguja station
    with world.store.session() as s:
        s.execute(
            insert(Photo.__table__).values(
                id=new_id(), case_id=own, sha256=secret, mime="image/jpeg", width=1,
                height=1, added_at=world.now, added_by="planted",
            )
        )  # fmt: skip
    for lap in (evil, other, near):
        assert raw(lap, "GET", f"/v1/blobs/{secret}").status_code == 404


def test_the_same_photo_at_two_stations_and_twice_at_one(world):
    j = world.laptop("jashpur", JASHPUR)
    j2 = world.laptop("jashpur2", JASHPUR)  # a second laptop of the same station
    s = world.laptop("surguja", SURGUJA)
    near = world.laptop("lundra", SURGUJA_LUNDRA)
    child = missing_child(j)
    sha = photo_of(j, child, "obama.jpg")
    assert j.sync().photos_up == 1
    j2.sync()

    # the same station attaches the same photo to another report of the child: its bytes
    # are the station's already, nothing is sent again, and the row is taken
    report = missing_child(j2)
    assert PhotoService(j2.ctx).add(report, face("obama.jpg")).sha256 == sha
    res = j2.sync()
    assert res.photos_up == 0 and res.rejected == 0
    assert receipts(j2, "photos")[-1]["status"] == "applied"

    # the same photo given to a Surguja station too: that station sends its own copy (the
    # server asks it, though it holds the bytes), so its row is taken and its district
    # gets it
    here = found_child(s)
    assert PhotoService(s.ctx).add(here, face("obama.jpg")).sha256 == sha
    res = s.sync()
    assert res.photos_up == 1 and res.rejected == 0
    assert receipts(s, "photos")[-1]["status"] == "applied"
    res = near.sync()
    assert res.photos_down == 1
    assert PhotoStore(near.ctx.home).path(sha) is not None
    with world.store.session() as s2:
        up = schema.blob_uploaders
        got = s2.execute(select(up.c.station_id).where(up.c.sha256 == sha)).scalars().all()
    assert sorted(got) == sorted([station_id(JASHPUR.code), station_id(SURGUJA.code)])


def test_a_match_across_districts_syncs_to_both_stations(world):
    j = world.laptop("jashpur", JASHPUR)
    s = world.laptop("surguja", SURGUJA)
    lost = missing_child(j)
    lost_sha = photo_of(j, lost, "obama.jpg")
    j.sync()
    s.sync()  # the Jashpur child reaches Surguja as a match-index stub with its face
    found = found_child(s)
    res = MatchService(s.ctx).add_photo(found, face("obama2.jpg"), taken_on="2026-10-21")
    found_sha = res.sha256
    assert [a["case_id"] for a in res.alerts] == [lost]  # matched offline, on the laptop
    with s.ctx.db.read() as db:
        cand = db.scalars(select(MatchCandidate)).one()
    assert cand.missing_photo_sha != lost_sha and cand.found_photo_sha == found_sha
    s.sync()
    assert [r["status"] for r in receipts(s, "match_candidates")] == ["applied"]
    with world.store.session() as db:  # the server keeps the real photos of the match
        on_server = db.get(MatchCandidate, cand.id)
        assert (on_server.missing_photo_sha, on_server.found_photo_sha) == (lost_sha, found_sha)
    j.sync()
    with j.ctx.db.read() as db:  # Jashpur gets the match: its own photo by its hash,
        theirs = db.get(MatchCandidate, cand.id)  # Surguja's by the name its index uses
        (emb,) = db.scalars(select(FaceEmbedding).where(FaceEmbedding.case_id == found))
    assert theirs is not None and theirs.missing_photo_sha == lost_sha
    assert theirs.found_photo_sha == emb.photo_sha256 != found_sha
    inbox = AlertService(j.ctx).inbox(status="open")
    assert [a["alert_id"] for a in inbox] == [cand.id]
    res = s.sync()  # the match came back to Surguja unchanged: nothing new to send or store
    assert res.pushed == 0 and s.client().pending() == 0
    with s.ctx.db.read() as db:
        again = db.get(MatchCandidate, cand.id)
        assert (again.missing_photo_sha, again.found_photo_sha) == (
            cand.missing_photo_sha,
            found_sha,
        )
    assert lost_sha.encode() not in pulled_bytes(s)
    assert found_sha.encode() not in pulled_bytes(j)


def test_the_sqlite_server_takes_a_push_with_a_photo(world):
    """The default server (SQLite) answered every push with a photo 503 after 30 s: its
    blob check opened a second session that waited for the push's own."""
    lap = world.laptop("jashpur", JASHPUR)
    child = missing_child(lap)
    sha = PhotoService(lap.ctx).add(child, face("biden.jpg")).sha256
    out: dict[str, Any] = {}

    def sync() -> None:
        try:
            out["res"] = lap.client(retries=1).sync_once()
        except Exception as exc:  # (reported below, with the test's own message)
            out["error"] = exc

    t = threading.Thread(target=sync, daemon=True)
    t.start()
    t.join(25)
    assert not t.is_alive(), "the push with a photo did not finish in 25 s"
    assert "error" not in out, out.get("error")
    assert out["res"].photos_up == 1 and out["res"].rejected == 0
    assert [r["status"] for r in receipts(lap, "photos")] == ["applied"]
    assert lap.client().pending() == 0
    with world.store.session() as s:
        assert s.scalar(select(Photo.sha256).where(Photo.case_id == child)) == sha


@pytest.fixture(name="server_db", params=("sqlite", "postgres"))
def server_db_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return server_url(request, tmp_path)


def test_an_older_server_database_upgrades_and_keeps_the_planted_row_closed(tmp_path, server_db):
    """A server database from before the uploader records: on start each photo is
    credited to the station whose row reached the server first; a row planted later (as
    the old server let a laptop do) gives its station nothing."""
    w = World(tmp_path, server_db)
    try:
        j = w.laptop("jashpur", JASHPUR)
        evil = w.laptop("surguja", SURGUJA)
        child = missing_child(j)
        secret = PhotoService(j.ctx).add(child, face("biden.jpg")).sha256
        j.sync()
        own = missing_child(evil)
        evil.sync()
        from muskan_desktop.server.apply import touch_feed

        with w.store.session() as s:  # the old server: the planted row applied and fed
            pid = new_id()
            s.execute(
                insert(Photo.__table__).values(
                    id=pid, case_id=own, sha256=secret, mime="image/jpeg", width=1, height=1,
                    added_at=w.now, added_by="planted",
                )
            )  # fmt: skip
            touch_feed(s, [("photos", pid, False, station_id(SURGUJA.code), "Surguja", None, None)])
            orphan = hashlib.sha256(b"a photo no row names yet").hexdigest()
            s.execute(insert(schema.blobs).values(sha256=orphan, size=24, stored_at=w.now))
            # ... and none of the new records
            s.execute(delete(schema.blob_uploaders))
            s.execute(delete(schema.secrets_table))
        w.store.close()
        w.store = ServerStore(tmp_path / "server", server_db, clock=lambda: w.now)
        from muskan_desktop.server.app import create_app
        from tests.sync_helpers import AppTransport

        w.base.tc.__exit__(None, None, None)
        w.base = AppTransport(create_app(w.store))
        for lap in (j, evil):
            lap.transport.inner = w.base
        with w.store.session() as s:
            up = schema.blob_uploaders
            got = s.execute(select(up.c.sha256, up.c.station_id)).all()
            assert s.execute(text("SELECT count(*) FROM server_secrets")).scalar() == 2
        assert got == [(secret, station_id(JASHPUR.code))]
        assert raw(evil, "GET", f"/v1/blobs/{secret}").status_code == 404
        assert raw(j, "GET", f"/v1/blobs/{secret}").status_code == 200
        r = raw(j, "POST", "/v1/blobs/missing", json={"shas": [secret, orphan]})
        assert r.json()["missing"] == [orphan]  # its laptop is asked for it again
        res = evil.sync()  # the planted row is still its station's to see, the photo is not
        assert res.photos_down == 0 and PhotoStore(evil.ctx.home).path(secret) is None
    finally:
        w.close()
