"""SYNC.md's scenarios, one test each, against the real server app on real PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from muskan_desktop.models import Case, LifecycleEvent, Photo, TracingEntry
from muskan_desktop.photos import PhotoService
from muskan_desktop.server import schema
from muskan_desktop.sync.client import NotEnrolled, Offline, Refused, TooOld
from muskan_desktop.sync.tables import conflicts, outbox

from .conftest import shared_dir
from .pg import pg_cluster_fixture  # noqa: F401
from .sync_helpers import station_codes
from .sync_world import (
    check_invariants,
    world_fixture,  # noqa: F401
)


def missing(lap, name="Ravi", **kw):
    return lap.cases().create(
        {"kind": "missing", "name_latin": name, "sex": "M", "age_years": 9, **kw}
    )


def settle(world, rounds=2):
    for _ in range(rounds):
        for lap in world.laptops:
            lap.transport.plan = lambda _r, _n: "ok"
            lap.sync()


def test_two_stations_edit_different_fields_offline_both_kept(world):
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    a2 = world.laptop("a2", a_info)
    case = missing(a)
    settle(world)
    a.cases().update(case.id, {"clothing": "blue shirt"})
    a2.cases().update(case.id, {"hair": "short, black"})
    settle(world)
    for lap in (a, a2):
        with lap.ctx.db.read() as s:
            c = s.get(Case, case.id)
            assert (c.clothing, c.hair) == ("blue shirt", "short, black")
            assert s.execute(select(conflicts)).all() == []
    check_invariants(world)


def test_same_field_on_20_laptops_keeps_every_losing_value(world):
    a_info, b_info = station_codes(2)
    laps = [world.laptop(f"l{i}", a_info) for i in range(20)]
    other = world.laptop("b", b_info)  # same district: sees the conflicts too
    case = missing(laps[0])
    settle(world, 1)
    for i, lap in enumerate(laps):
        lap.cases().update(case.id, {"clothing": f"shirt {i}"})
    settle(world)
    values = {f"shirt {i}" for i in range(20)}
    for lap in (*laps, other):
        with lap.ctx.db.read() as s:
            final = s.get(Case, case.id).clothing
            rows = s.execute(select(conflicts)).all()
        assert final == "shirt 19"  # the later arrival wins
        assert len(rows) == 19
        assert {r.lost for r in rows} | {final} == values  # nothing lost
    check_invariants(world)


def test_racing_status_never_moves_back(world):
    a_info, _ = station_codes(2)
    a, a2 = world.laptop("a", a_info), world.laptop("a2", a_info)
    case = missing(a)
    settle(world)
    today = a.today.isoformat()
    a.cases().transition(case.id, "recover", {"recovered_on": today})
    a.cases().transition(
        case.id,
        "restore",
        {"restored_on": today, "restored_to": "mother", "restored_relation": "mother"},
    )
    a2.cases().transition(
        case.id, "trace", {"located_state": "Bihar", "located_place": "Patna", "located_on": today}
    )
    a.sync()
    res = a2.sync()
    assert res.conflicts == 1
    settle(world)
    for lap in (a, a2):
        with lap.ctx.db.read() as s:
            assert s.get(Case, case.id).status == "restored"
            (row,) = s.execute(select(conflicts)).all()
            assert (row.field, row.kept, row.lost) == ("status", "restored", "traced")
            # both lifecycle steps are kept: history is append-only
            assert s.scalar(select(func.count()).select_from(LifecycleEvent)) == 3
    check_invariants(world)


def test_upload_cut_after_k_of_n_then_resumed_exactly_once(world, monkeypatch):
    from muskan_desktop.sync import client as client_mod

    monkeypatch.setattr(client_mod, "BATCH", 10)
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    cases = [missing(a, f"Child {i}") for i in range(35)]
    pushes = []

    def plan(r, n):
        if r.url.path == "/v1/push":
            pushes.append(n)
            return "drop" if len(pushes) >= 3 else "ok"
        return "ok"

    a.transport.plan = plan
    with pytest.raises(Offline):
        a.client(retries=2).sync_once()
    with a.ctx.db.read() as s:
        done = s.scalar(select(func.count()).select_from(outbox).where(outbox.c.state != "pending"))
    assert 0 < done < len(cases) + 1
    settle(world)
    with world.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 35
    check_invariants(world)


def test_lost_response_then_client_crash_applies_once(world):
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    case = missing(a)
    a.cases().add_tracing_entry(case.id, "called the school")
    a.transport.plan = lambda r, n: "lose" if r.url.path == "/v1/push" else "ok"
    with pytest.raises(Offline):
        a.client(retries=1).sync_once()
    a.reopen()  # the laptop crashed; the outbox is still there
    with a.ctx.db.read() as s:
        assert (
            s.scalar(select(func.count()).select_from(outbox).where(outbox.c.state == "pending"))
            >= 2
        )
    with world.store.session() as s:  # the server did apply it
        assert s.scalar(select(func.count()).select_from(TracingEntry)) == 1
    settle(world)
    with world.store.session() as s:
        assert s.scalar(select(func.count()).select_from(TracingEntry)) == 1
    check_invariants(world)


def test_duplicate_and_out_of_order_delivery(world):
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    for i in range(5):
        missing(a, f"C{i}")
    with a.ctx.db.read() as s:
        entries = s.execute(select(outbox).order_by(outbox.c.seq)).mappings().all()
    from muskan_desktop.sync.client import _entry

    wire = [_entry(e, 0, set()) for e in entries]
    cl = a.client()
    # out of order: the last ones first -> refused past the gap, nothing applied
    body = cl._json(cl._send("POST", "/v1/push", json={"entries": wire[3:]}))
    assert body["expected"] == 1 and body["receipts"] == []
    # duplicated and shuffled: each applies once, a duplicate gets the same receipt back
    body = cl._json(cl._send("POST", "/v1/push", json={"entries": wire[:3] + wire[:3] + wire[3:]}))
    assert body["last_seq"] == len(wire)
    again = cl._json(cl._send("POST", "/v1/push", json={"entries": wire}))
    assert [r["status"] for r in again["receipts"]] == [r["status"] for r in body["receipts"]]
    with world.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 5
    settle(world)
    check_invariants(world)


def test_invalid_change_at_the_front_is_rejected_visibly_and_the_rest_flows(world):
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    first = missing(a, "First")
    settle(world)
    a.cases().update(first.id, {"clothing": "x"})
    with a.ctx.db.write() as s:  # an entry no server can accept, at the front of the queue
        s.connection().execute(
            update(outbox)
            .where(outbox.c.state == "pending", outbox.c.entity == "cases")
            .values(data={"sex": "Q"})
        )
    for i in range(300):
        a.cases().add_tracing_entry(first.id, f"step {i}")
    res = a.sync()
    assert res.rejected == 1 and res.applied == 300 + 301  # and the 301 audit events
    with a.ctx.db.read() as s:
        (bad,) = s.execute(select(outbox).where(outbox.c.state == "rejected")).mappings().all()
    assert "sex" in bad["receipt"]["reason"]
    settle(world)
    check_invariants(world)


def test_5xx_storm_then_recovery_without_new_edits(world):
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    for i in range(3):
        missing(a, f"C{i}")
    a.transport.plan = lambda r, n: "503"
    for _ in range(3):
        with pytest.raises(Offline):
            a.client(retries=3).sync_once()
    assert a.client().pending() > 0
    a.transport.plan = lambda r, n: "ok"
    a.sync()  # the timer's next round; nobody edited anything
    assert a.client().pending() == 0
    settle(world)
    check_invariants(world)


def test_token_expiring_while_offline_renews_without_resending_twice(world):
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    missing(a)
    a.sync()
    world.now += dt.timedelta(days=20)  # offline for weeks: the access token has expired
    case = missing(a, "Later")
    a.cases().add_tracing_entry(case.id, "visited the bus stand")
    res = a.sync()
    assert res.applied == 2 + 2  # the case, its tracing entry and their audit events
    assert ("POST", "/v1/token", "ok") in a.transport.log  # renewed once, quietly
    with world.store.session() as s:
        assert s.scalar(select(func.count()).select_from(TracingEntry)) == 1
    check_invariants(world)


def test_revoked_while_offline_hands_in_work_then_wipes(world):
    a_info, b_info = station_codes(2)
    a = world.laptop("a", a_info)
    case = missing(a)
    a.sync()
    a.cases().update(case.id, {"clothing": "yellow kurta"})
    dev = a.client().device
    world.store.revoke(dev, allow_handin=True)
    with pytest.raises(Refused, match="revoked"):
        a.sync()
    with world.store.session() as s:
        assert s.get(Case, case.id).clothing == "yellow kurta"  # nothing lost
    with a.ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0  # wiped
    with pytest.raises(NotEnrolled):  # an empty register took its place
        a.sync()


def test_old_schema_client_is_told_and_keeps_its_outbox(world, monkeypatch):
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    missing(a)
    from muskan_desktop.sync import client as client_mod

    monkeypatch.setattr(client_mod, "SCHEMA_HEAD", "0005")
    queued = a.client().pending()
    with pytest.raises(TooOld, match="upgrade"):
        a.sync()
    assert a.client().pending() == queued > 0
    monkeypatch.setattr(client_mod, "SCHEMA_HEAD", "0009")
    a.sync()
    assert a.client().pending() == 0


def _photo_case(lap):
    case = missing(lap)
    photo = PhotoService(lap.ctx).add(case.id, shared_dir() / "data" / "faces" / "obama.jpg")
    return case, photo


def test_corrupted_blob_on_the_laptop_is_rejected_visibly(world):
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    case, photo = _photo_case(a)
    path = PhotoService(a.ctx).store.path(photo.sha256)
    path.write_bytes(path.read_bytes()[:-100] + b"x" * 100)
    res = a.sync()
    assert res.rejected == 1
    with a.ctx.db.read() as s:
        (bad,) = s.execute(select(outbox).where(outbox.c.state == "rejected")).mappings().all()
    assert "damaged" in bad["receipt"]["reason"]


def test_server_rehashes_uploads(world):
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    cl = a.client()
    sha = "ab" * 32
    with pytest.raises(Exception, match="do not match"):
        cl._send("PUT", f"/v1/blobs/{sha}", params={"offset": 0, "total": 5}, content=b"hello")
    assert not world.store.has_blobs([sha])


def test_interrupted_photo_upload_resumes_where_it_stopped(world, monkeypatch):
    from muskan_desktop.sync import client as client_mod

    monkeypatch.setattr(client_mod, "CHUNK", 20_000)
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    case, photo = _photo_case(a)
    puts = []

    def plan(r, n):
        if r.method == "PUT":
            puts.append(int(r.url.params["offset"]))
            return "drop" if len(puts) == 3 else "ok"
        return "ok"

    a.transport.plan = plan
    with pytest.raises(Offline):
        a.client(retries=1).sync_once()
    a.reopen()  # restart after the cut
    a.sync()
    assert puts[3] == puts[2] > 0  # resumed at the chunk that was cut, not from 0
    settle(world)
    check_invariants(world)
    with world.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Photo)) == 1


def test_jurisdiction_other_district_sees_only_the_index_and_cannot_write(world):
    infos = station_codes(3)
    a = world.laptop("a", infos[0])
    c = world.laptop("c", infos[2])  # another district
    assert infos[0].district != infos[2].district
    case = missing(a, "Secret Name", guardian_phone="9876543210")
    settle(world)
    with c.ctx.db.read() as s:
        stub = s.get(Case, case.id)
        assert stub.name_latin is None and stub.guardian_phone is None
        assert (stub.sex, stub.age_years) == ("M", 9)
    with c.ctx.db.write() as s:  # (a tampered laptop: the service would refuse first)
        s.get(Case, case.id).clothing = "forged"
    res = c.sync()
    assert res.rejected == 1
    with world.store.session() as s:
        assert s.get(Case, case.id).clothing is None
    with c.ctx.db.read() as s:
        bad = s.execute(select(outbox).where(outbox.c.state == "rejected")).mappings().one()
    assert "jurisdiction" in bad["receipt"]["reason"]


def test_feed_numbers_follow_commit_order(world):
    """Two server transactions committing out of order while a reader polls."""
    import threading

    from muskan_desktop.server.apply import touch_feed

    store = world.store
    s1 = store._sessions()
    s1.begin()
    touch_feed(s1, [("cases", "x1", True, None, None, None, None)])  # holds the counter
    done = threading.Event()

    def second():
        with store.session() as s2:
            touch_feed(s2, [("cases", "x2", True, None, None, None, None)])
        done.set()

    t = threading.Thread(target=second)
    t.start()
    assert not done.wait(0.5)  # the second waits for the first: it cannot commit first
    if store.is_postgres:  # (on SQLite every session is a writer: a reader waits too)
        with store.session() as r:
            assert r.scalars(select(schema.feed.c.row_id)).all() == []
    s1.commit()
    s1.close()
    t.join(10)
    with store.session() as r:
        got = r.execute(
            select(schema.feed.c.row_id, schema.feed.c.seq).order_by(schema.feed.c.seq)
        ).all()
    assert [x for x, _ in got] == ["x1", "x2"]


def test_clock_skew_does_not_order_or_refuse(world):
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info, today=dt.date(2026, 12, 1))
    a2 = world.laptop("a2", a_info, today=dt.date(2026, 10, 2))
    case = missing(a2)
    settle(world)
    a2.cases().update(case.id, {"clothing": "from the slow clock"})  # edits later, clock behind
    a2.sync()
    a.sync()
    with a.ctx.db.read() as s:
        assert s.get(Case, case.id).clothing == "from the slow clock"
    check_invariants(world)


def test_nothing_is_accepted_without_a_valid_token(world):
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    http = a.http()
    h = {"X-Muskan-Schema": "0009"}
    for method, path, kw in [
        ("POST", "/v1/push", {"json": {"entries": []}}),
        ("GET", "/v1/pull", {}),
        ("POST", "/v1/blobs/missing", {"json": {"shas": []}}),
    ]:
        r = http.request(method, path, headers=h | {"Authorization": "Bearer nope"}, **kw)
        assert r.status_code == 401
        r = http.request(method, path, headers=h, **kw)
        assert r.status_code == 401


def test_concurrent_photo_inserts_union(world):
    a_info, _ = station_codes(2)
    a, a2 = world.laptop("a", a_info), world.laptop("a2", a_info)
    case = missing(a)
    settle(world)
    faces = shared_dir() / "data" / "faces"
    PhotoService(a.ctx).add(case.id, faces / "obama.jpg")
    PhotoService(a2.ctx).add(case.id, faces / "obama.jpg")  # the same photo, twice
    PhotoService(a2.ctx).add(case.id, faces / "biden.jpg")
    settle(world)
    with world.store.session() as s:
        shas = sorted(s.scalars(select(Photo.sha256).where(Photo.case_id == case.id)))
    assert len(shas) == 2  # both photos, the shared one once
    for lap in (a, a2):
        with lap.ctx.db.read() as s:
            assert sorted(s.scalars(select(Photo.sha256))) == shas
        for sha in shas:  # and the files came down too
            assert PhotoService(lap.ctx).store.path(sha) is not None


def test_a_change_and_its_outbox_entry_commit_or_vanish_together(world):
    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    case = missing(a)
    with a.ctx.db.read() as s:
        before = s.scalar(select(func.count()).select_from(outbox))

    class Crash(Exception):
        pass

    with pytest.raises(Crash), a.ctx.db.write() as s:  # dies after the flush, before commit
        s.get(Case, case.id).clothing = "half-written"
        s.flush()
        assert s.scalar(select(func.count()).select_from(outbox)) == before + 1
        raise Crash()
    with a.ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(outbox)) == before
        assert s.get(Case, case.id).clothing is None


def test_a_batch_that_fails_as_a_whole_is_redone_entry_by_entry(world, monkeypatch):
    """The fast path writes a batch's rows together; if PostgreSQL refuses the lot, the
    batch is redone with one savepoint per entry, and every entry still gets its receipt."""
    from muskan_desktop.server.apply import Applier

    a_info, _ = station_codes(2)
    a = world.laptop("a", a_info)
    case = missing(a)
    a.sync()
    entries = []
    for i in range(30):
        entries.append(a.cases().add_tracing_entry(case.id, f"step {i}"))
    with a.ctx.db.write() as s:  # the 10th entry reuses an id the server already has
        rows_ = (
            s.execute(
                select(outbox)
                .where(outbox.c.state == "pending", outbox.c.entity == "tracing_entries")
                .order_by(outbox.c.seq)
            )
            .mappings()
            .all()
        )
        dup = dict(rows_[9]["data"], id=rows_[0]["data"]["id"])
        s.connection().execute(
            update(outbox).where(outbox.c.seq == rows_[9]["seq"]).values(data=dup, row_id=dup["id"])
        )
    real = Applier._exists
    monkeypatch.setattr(
        Applier, "_exists", lambda self, e, r: False if self.fast else real(self, e, r)
    )
    res = a.sync()  # no 500, no wedged queue
    assert res.applied == 30 + 30 and res.rejected == 0  # (and the 30 audit events)
    with a.ctx.db.read() as s:
        receipt = s.execute(select(outbox.c.receipt).where(outbox.c.seq == rows_[9]["seq"]))
        assert receipt.scalar_one()["note"] == "already on the server"  # found the careful way
    with world.store.session() as s:
        assert s.scalar(select(func.count()).select_from(TracingEntry)) == 29


def test_reopening_a_closed_case_is_the_one_way_back(world):
    a_info, _ = station_codes(2)
    a, a2 = world.laptop("a", a_info), world.laptop("a2", a_info)
    case = missing(a)
    settle(world)
    a.cases().transition(case.id, "close", {"closed_reason": "duplicate_report"})
    a.sync()
    a2.sync()
    a2.cases().transition(case.id, "reopen", {"note": "not a duplicate after all"})
    res = a2.sync()
    assert res.conflicts == 0
    a.sync()
    for lap in (a, a2):
        with lap.ctx.db.read() as s:
            assert s.get(Case, case.id).status == "missing"
    check_invariants(world)
