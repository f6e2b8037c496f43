"""A small world for sync tests: one real server (on SQLite, the default, and on
PostgreSQL), laptops with real SQLite registers, each behind its own (possibly faulty)
network, and the SYNC.md invariants."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from muskan_desktop import places
from muskan_desktop.server import schema
from muskan_desktop.server import scope as scope_mod
from muskan_desktop.server.store import ServerStore
from muskan_desktop.sync import rows
from muskan_desktop.sync.tables import outbox, remote_cases

from .conftest import TODAY
from .sync_helpers import (
    AppTransport,
    FaultyTransport,
    Laptop,
    make_server,
    ok_plan,
    use_memory_keyring,
)

CHILDREN = ("photos", "lifecycle_events", "tracing_entries", "risk_assessments")


class World:
    def __init__(self, root: Path, url: str, **server_kw: Any) -> None:
        self.root = root
        self.now = dt.datetime(2026, 11, 1, 12, 0)
        self.store, self.app = make_server(
            root / "server", url, clock=lambda: self.now, **server_kw
        )
        self.base = AppTransport(self.app)
        self.laptops: list[Laptop] = []

    def laptop(
        self,
        name: str,
        info: places.StationInfo,
        plan: Callable[[httpx.Request, int], str] = ok_plan,
        today: dt.date = TODAY,
    ) -> Laptop:
        self.store.add_station(info.code)
        net = FaultyTransport(self.base, plan)
        lap = Laptop(self.root / name, self.store, info, f"SI {name}", net, today)
        lap.enroll(self.store.enrollment_code(info.code))
        self.laptops.append(lap)
        return lap

    def close(self) -> None:
        for lap in self.laptops:
            lap.close()
        self.store.close()


SERVER_DATABASES = ("sqlite", "postgres")


def server_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh server database of the kind the test is parametrized with ("sqlite": a file in
    tmp_path, as `muskan-server` makes by default; "postgres": a database on the session's
    cluster, `pg_cluster_fixture`)."""
    kind = getattr(request, "param", "postgres")
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    return str(request.getfixturevalue("pg_cluster").create_db())


@pytest.fixture(name="server_db", params=SERVER_DATABASES)
def server_db_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh server database, once on SQLite and once on PostgreSQL."""
    return server_url(request, tmp_path)


@pytest.fixture(name="world", params=SERVER_DATABASES)
def world_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """A `World` on a fresh server database, once on SQLite and once on PostgreSQL (tests
    import it, with `pg_cluster_fixture`). The keyring is put back afterwards: later tests'
    subprocesses share the suite's file keyring."""
    import keyring

    prev = keyring.get_keyring()
    use_memory_keyring()
    w = World(tmp_path, server_url(request, tmp_path))
    yield w
    w.close()
    keyring.set_keyring(prev)


def server_view(store: ServerStore, station_id: str, district: str) -> dict[str, dict[str, Any]]:
    """What a station should hold, as the server has it: wire rows by entity and id (the
    photo hashes of other districts' cases as their pseudonyms: server/scope.py)."""
    out: dict[str, dict[str, Any]] = {e: {} for e in rows.ENTITIES}
    with store.session() as s:
        key = scope_mod.pseudonym_key(s)
        scope = set()
        for r in s.execute(select(rows.table("cases"))).mappings():
            w = rows.row_to_wire("cases", r)
            if w["station_id"] == station_id or w["district"] == district:
                out["cases"][w["id"]] = w
                scope.add(w["id"])
            else:
                out["cases"][w["id"]] = {k: w[k] for k in rows.INDEX_FIELDS}
        for e in CHILDREN:
            for r in s.execute(select(rows.table(e))).mappings():
                if r["case_id"] in scope:
                    out[e][r["id"]] = rows.row_to_wire(e, r)
        for r in s.execute(select(rows.table("face_embeddings"))).mappings():
            w = rows.row_to_wire("face_embeddings", r)
            if w["case_id"] not in scope:
                w["photo_sha256"] = scope_mod.pseudonym(key, w["photo_sha256"])
            out["face_embeddings"][r["id"]] = w
        out["conflicts"] = {
            r.id: (r.case_id, r.field, r.kept, r.lost, r.resolved_at is not None)
            for r in s.execute(select(schema.conflicts))
            if r.case_id in scope
        }
    return out


def laptop_view(lap: Laptop) -> dict[str, dict[str, Any]]:
    from muskan_desktop.sync.tables import conflicts

    out: dict[str, dict[str, Any]] = {e: {} for e in rows.ENTITIES}
    with lap.ctx.db.read() as s:
        stubs = set(s.scalars(select(remote_cases.c.case_id)))
        for r in s.execute(select(rows.table("cases"))).mappings():
            w = rows.row_to_wire("cases", r)
            out["cases"][w["id"]] = {k: w[k] for k in rows.INDEX_FIELDS} if w["id"] in stubs else w
        for e in (*CHILDREN, "face_embeddings"):
            for r in s.execute(select(rows.table(e))).mappings():
                out[e][r["id"]] = rows.row_to_wire(e, r)
        out["conflicts"] = {
            r.id: (r.case_id, r.field, r.kept, r.lost, r.resolved_at is not None)
            for r in s.execute(select(conflicts))
        }
    return out


def check_invariants(world: World) -> None:
    """SYNC.md's invariants, after faults have healed and every laptop synced twice."""
    store = world.store
    with store.session() as s:
        devices = {r.id: r for r in s.execute(select(schema.devices))}
        receipts: dict[str, int] = {}
        for r in s.execute(select(schema.receipts.c.device_id, schema.receipts.c.seq)):
            receipts[r.device_id] = receipts.get(r.device_id, 0) + 1
        feed_seqs = sorted(s.scalars(select(schema.feed.c.seq)))
        top = s.scalar(select(schema.counter.c.value))
    assert len(set(feed_seqs)) == len(feed_seqs), "feed numbers reused"
    assert not feed_seqs or feed_seqs[-1] <= top
    for lap in world.laptops:
        with lap.ctx.db.read() as s:
            entries = s.execute(select(outbox).order_by(outbox.c.seq)).mappings().all()
            device = s.scalar(select(rows.table("stations").c.id).limit(0))  # noqa: F841
            from muskan_desktop.models import Meta

            dev = s.scalar(select(Meta.value).where(Meta.key == "sync_device"))
            offset = int(s.scalar(select(Meta.value).where(Meta.key == "sync_seq_offset")) or 0)
        # 1. no loss: every entry has exactly one receipt; 2. exactly once, no gaps
        assert all(e["state"] != "pending" for e in entries), f"{lap.home.name}: queue not drained"
        assert all(e["receipt"] and e["receipt"]["seq"] == e["seq"] - offset for e in entries)
        mine = [e for e in entries if e["seq"] > offset]
        assert int(devices[dev].last_seq) == len(mine), "server and laptop disagree on count"
        assert receipts.get(dev, 0) == len(mine), "a receipt missing or doubled"
        # 3. convergence and 7. feed completeness
        st = lap.ctx.db
        from muskan_desktop.models import Station

        with st.read() as s:
            sid = s.scalar(select(Station.id).where(Station.code == lap.info.code))
        want = server_view(store, sid, lap.info.district.en)
        have = laptop_view(lap)
        for entity in want:
            if want[entity] != have[entity]:
                missing = set(want[entity]) - set(have[entity])
                extra = set(have[entity]) - set(want[entity])
                diff = [
                    k
                    for k in want[entity]
                    if k in have[entity] and want[entity][k] != have[entity][k]
                ]
                raise AssertionError(
                    f"{lap.home.name}: {entity} differs: missing {len(missing)}, extra "
                    f"{len(extra)}, changed {diff[:3]} "
                    f"{[(want[entity][k], have[entity][k]) for k in diff[:1]]}"
                )
    # 5. blob integrity
    with store.session() as s:  # (read first: on SQLite a second session would wait)
        shas = sorted(set(s.scalars(select(rows.table("photos").c.sha256))))
    for sha in shas:
        data = store.read_blob(sha)
        assert data is not None, f"photo {sha[:12]} is not on the server"
        assert hashlib.sha256(data).hexdigest() == sha


def refused_receipts(lap: Laptop) -> list[tuple[str, str, str]]:
    """The laptop's outbox entries the server refused (rejected or quarantined): entity,
    status and the receipt's reason."""
    with lap.ctx.db.read() as s:
        entries = s.execute(select(outbox.c.entity, outbox.c.receipt)).all()
    return [
        (entity, r["status"], str(r.get("reason")))
        for entity, r in entries
        if r and r.get("status") in ("rejected", "quarantined")
    ]
