"""Draining a laptop's outbox against the central server over loopback, on PostgreSQL.

    uv run python -m benchmarks.sync [--cases 3000] [--edits 3000] [--tracing 3500]
                                     [--photos 500] [--runs 5]

Each run: a fresh PostgreSQL database and a real `uvicorn` server process; a laptop enrolled
with it queues 10,000 changes (new cases, edits of them, tracing-log entries, 500 photos
with their files) while offline, then one `sync` round drains the queue. Anchors, each into
a fresh database in the same run: the same rows written straight into PostgreSQL with
psycopg in ONE transaction, (a) by executemany, (b) by COPY (the inserts; the edits by one
UPDATE ... FROM unnest, as the server itself writes them). The anchors write the rows only,
not the photo files the drain also uploads. Ratio = anchor time / drain time (goal: at least
0.25 against executemany).

PostgreSQL runs with its durability settings ON, as a real server would: this benchmark
starts its own cluster with fsync, synchronous_commit and full_page_writes on (PostgreSQL's
defaults), not the test suite's fast cluster (tests/pg.py turns all three off), and prints
what the server reports for them. Needs Debian's postgresql.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import keyring
from PIL import Image
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from muskan_desktop import places  # noqa: E402
from muskan_desktop.cases import CaseService  # noqa: E402
from muskan_desktop.context import open_context  # noqa: E402
from muskan_desktop.ids import new_id  # noqa: E402
from muskan_desktop.models import Case, TracingEntry  # noqa: E402
from muskan_desktop.photos import PhotoService  # noqa: E402
from muskan_desktop.server.store import ServerStore  # noqa: E402
from muskan_desktop.sync import rows  # noqa: E402
from muskan_desktop.sync.client import RoundResult, SyncClient  # noqa: E402
from muskan_desktop.sync.enroll import enroll  # noqa: E402
from muskan_desktop.sync.tables import outbox  # noqa: E402
from tests.pg import PgCluster, _bin  # noqa: E402

from .common import machine_load  # noqa: E402

DURABLE = ("fsync", "synchronous_commit", "full_page_writes")


class DurablePgCluster(PgCluster):
    """A throwaway cluster with PostgreSQL's durability defaults (tests/pg.py's `PgCluster`
    turns them off for speed): every commit is flushed to the disk before it returns."""

    def start(self) -> None:
        opts = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=on -c synchronous_commit=on -c full_page_writes=on "
            "-c max_connections=200"
        )
        self._run(
            _bin("pg_ctl"),
            *("-D", str(self.data), "-o", opts, "-l", str(self.dir / "log.txt"), "-w", "start"),
        )

    def settings(self) -> dict[str, str]:
        import psycopg

        with psycopg.connect(self.url().replace("+psycopg", "")) as c:
            return {k: str(c.execute(f"SHOW {k}").fetchone()[0]) for k in DURABLE}  # type: ignore[index]


from tests.sync_helpers import MemoryKeyring  # noqa: E402


def _photo(i: int) -> bytes:
    rng = random.Random(i)
    img = Image.new("RGB", (96, 96), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    for _ in range(40):
        x, y = rng.randrange(96), rng.randrange(96)
        img.putpixel((x, y), (rng.randrange(256), 0, 0))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def queue_changes(ctx: Any, n_cases: int, n_edits: int, n_tracing: int, n_photos: int) -> None:
    """The officer's offline work: it all lands in the outbox, transaction by transaction."""
    now = dt.datetime(2026, 11, 1, 10, 0)
    svc = CaseService(ctx)
    with ctx.db.write() as s:
        st = svc.own_station(s)
        assert st is not None
        new = [
            {
                "id": new_id(),
                "kind": "missing",
                "status": "missing",
                "station_id": st.id,
                "district": st.district_en,
                "reported_on": dt.date(2026, 10, 1),
                "name_latin": f"Child {i}",
                "sex": "MF"[i % 2],
                "age_years": 3 + i % 14,
                "created_at": now,
                "created_by": "SI Bench",
                "updated_at": now,
                "updated_by": "SI Bench",
                "version": 1,
            }
            for i in range(n_cases)
        ]
        svc.bulk_insert(s, new)
    ids = [r["id"] for r in new]
    with ctx.db.write() as s:
        for i, case in enumerate(s.scalars(select(Case).where(Case.id.in_(ids[:n_edits])))):
            case.clothing = f"clothes {i}"
            case.version += 1
        for i in range(n_tracing):
            s.add(
                TracingEntry(
                    id=new_id(),
                    case_id=ids[i % len(ids)],
                    done_on=dt.date(2026, 10, 5),
                    action=f"visited place {i}",
                    by="SI Bench",
                    created_at=now,
                )
            )
    photos = PhotoService(ctx)
    for i in range(n_photos):
        photos.add(ids[i % len(ids)], _photo(i))


def audit_row(d: dict[str, Any]) -> dict[str, Any]:
    """An audit event as the server stores it (the anchor writes it without checks)."""
    from psycopg.types.json import Json

    return {
        "id": d["id"],
        "station_id": "bench-station",
        "device_id": "bench-device",
        "register_device": d["device"],
        "local_seq": d["seq"],
        "at": dt.datetime.fromisoformat(d["at"]),
        "actor": d["actor"],
        "action": d["action"],
        "entity": d["entity"],
        "entity_id": d["entity_id"],
        "details": Json(d["details"]),
        "prev_hash": d["prev_hash"],
        "hash": d["hash"],
        "received_at": dt.datetime(2026, 11, 1),
        "chain_break": None,
    }


def direct_write(url: str, wire: list[tuple[str, str, dict[str, Any]]], how: str) -> float:
    """An anchor: the same rows straight into PostgreSQL, one transaction, by `how`:
    "executemany" (a statement per row) or "copy" (COPY per table; the edits by one
    UPDATE ... FROM unnest, as the server writes them)."""
    import psycopg
    from psycopg.types.json import Json

    from muskan_desktop.server.schema import create
    from muskan_desktop.server.store import make_server_engine

    engine = make_server_engine(url)
    create(engine)
    engine.dispose()
    inserts: dict[str, list[dict[str, Any]]] = {}
    updates: list[dict[str, Any]] = []
    for entity, op, data in wire:
        if entity == "audit_events":  # the laptop's trail, kept in the server's own table
            inserts.setdefault(entity, []).append(audit_row(data))
        elif op == "insert":
            inserts.setdefault(entity, []).append(rows.row_from_wire(entity, data))
        else:
            updates.append({"clothing": data["clothing"], "id": data["_id"]})
    t = time.perf_counter()
    with psycopg.connect(url.replace("+psycopg", "")) as conn, conn.cursor() as cur:
        for entity in [*rows.ENTITIES, "audit_events"]:
            batch = inserts.get(entity)
            if not batch:
                continue
            cols = list(batch[0])
            table = "server_audit_events" if entity == "audit_events" else entity
            if how == "copy":
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for r in batch:
                        copy.write_row(
                            [Json(r[c]) if isinstance(r[c], dict | list) else r[c] for c in cols]
                        )
                continue
            sql = (
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
            )
            cur.executemany(sql, [tuple(r[c] for c in cols) for r in batch])
        if how == "copy":
            cur.execute(
                "UPDATE cases AS t SET clothing = u.clothing, version = t.version + 1 "
                "FROM unnest(%s::text[], %s::text[]) AS u(id, clothing) WHERE t.id = u.id",
                ([u["id"] for u in updates], [u["clothing"] for u in updates]),
            )
        else:
            cur.executemany(
                "UPDATE cases SET clothing = %(clothing)s, version = version + 1 WHERE id = %(id)s",
                updates,
            )
        conn.commit()
        took = time.perf_counter() - t
        for entity, batch in inserts.items():  # every row landed, by either way
            table = "server_audit_events" if entity == "audit_events" else entity
            n = cur.execute(f"SELECT count(*) FROM {table}").fetchone()
            assert n is not None and n[0] == len(batch), (how, table, n, len(batch))
    return took


def one_run(
    pg: PgCluster, root: Path, args: argparse.Namespace, i: int
) -> tuple[float, float, float, float, RoundResult]:
    url = pg.create_db()
    home = root / f"server{i}"
    store = ServerStore(home, url)
    info = places.stations()[0]
    store.add_station(info.code)
    code = store.enrollment_code(info.code)
    store.close()
    port = 8600 + i
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [
        sys.executable,
        "-m",
        "muskan_desktop.server.cli",
        "--home",
        str(home),
        "--db",
        url,
        "serve",
        "--port",
        str(port),
    ]
    if args.profile:
        out = str(Path(args.profile) / f"server{i}.prof")
        cmd = [sys.executable, "-m", "benchmarks.sync_profile_server", out, str(home), url]
        cmd.append(str(port))
    srv = subprocess.Popen(
        cmd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(base + "/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        ctx = open_context(root / f"laptop{i}", actor="SI Bench")
        with ctx.db.write() as s:
            CaseService(ctx).set_own_station(s, info)
        enroll(ctx, base, code)
        queue_changes(ctx, args.cases, args.edits, args.tracing, args.photos)
        with ctx.db.read() as s:
            queued = s.execute(
                select(outbox.c.entity, outbox.c.op, outbox.c.row_id, outbox.c.data).where(
                    outbox.c.state == "pending"
                )
            ).all()
        wire = [(e, op, dict(d, _id=rid) if op == "update" else d) for e, op, rid, d in queued]
        client = SyncClient(ctx)
        res = RoundResult()
        prof = cProfile.Profile() if args.profile else None
        t = time.perf_counter()
        if prof is not None:
            prof.enable()
        client.push(res, lambda *_a: None)
        drain = time.perf_counter() - t
        if prof is not None:
            prof.disable()
            prof.dump_stats(str(Path(args.profile) / f"client{i}.prof"))
        assert client.pending() == 0, "the queue did not drain"
        t = time.perf_counter()
        if not args.profile:  # (the profiles are of the drain alone)
            client.pull(res, lambda *_a: None)
        pull = time.perf_counter() - t
        ctx.db.close()
        # the two anchors take turns at going first
        order = ("executemany", "copy") if i % 2 == 0 else ("copy", "executemany")
        took = {how: direct_write(pg.create_db(), wire, how) for how in order}
        direct, copy = took["executemany"], took["copy"]
        print(
            f"run {i + 1}: {len(queued)} changes ({res.photos_up} photos uploaded) drained in "
            f"{drain:.2f} s, pulled back in {pull:.2f} s; direct executemany {direct:.2f} s "
            f"(ratio {direct / drain:.3f}), direct COPY {copy:.2f} s (ratio {copy / drain:.3f})",
            flush=True,
        )
        return drain, pull, direct, copy, res
    finally:
        if args.profile:
            srv.send_signal(signal.SIGINT)  # uvicorn stops cleanly; the profile is written
        else:
            srv.terminate()
        srv.wait(30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=3000)
    ap.add_argument("--edits", type=int, default=3000)
    ap.add_argument("--tracing", type=int, default=3500)
    ap.add_argument("--photos", type=int, default=500)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--profile", help="folder for cProfile output of the client and the server")
    args = ap.parse_args()
    keyring.set_keyring(MemoryKeyring())
    os.environ.setdefault("MUSKAN_PASSPHRASE", "benchmark-only-passphrase")
    machine_load("start")
    pg = DurablePgCluster()
    pg.init()
    try:
        on = pg.settings()
        print(
            "PostgreSQL durability (SHOW): "
            + ", ".join(f"{k}={v}" for k, v in on.items())
            + " -- this benchmark's own cluster, not the test suite's fast one",
            flush=True,
        )
        assert all(v == "on" for v in on.values()), on
        with tempfile.TemporaryDirectory() as tmp:
            runs = [one_run(pg, Path(tmp), args, i) for i in range(args.runs)]
    finally:
        pg.destroy()
    times = {
        name: [float(r[k]) for r in runs]  # type: ignore[arg-type]
        for k, name in enumerate(("drain", "pull", "executemany", "COPY"))
    }
    med = {name: statistics.median(v) for name, v in times.items()}
    drain = med["drain"]
    total = args.cases + args.edits + args.tracing + args.photos
    print(
        f"median of {args.runs}: drain {drain:.2f} s ({total / drain:,.0f} changes/s), "
        f"pull back {med['pull']:.2f} s, direct executemany {med['executemany']:.2f} s, "
        f"direct COPY {med['COPY']:.2f} s"
    )
    for name, goal in (("executemany", " (goal >= 0.25)"), ("COPY", "")):
        own = [a / d for a, d in zip(times[name], times["drain"], strict=True)]
        print(
            f"throughput ratio vs {name}: {med[name] / drain:.3f}{goal}; median of the runs' "
            f"own ratios {statistics.median(own):.3f}"
        )
    machine_load("end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
