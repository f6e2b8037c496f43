"""The cost of encryption at rest: the same work on an encrypted and a plain register, in
the same run, interleaved.

    uv run python -m benchmarks.encryption [--cases 100000] [--photos 100] [--runs 5]

1. Name search over 100,000 demo cases (the Foundation benchmark's queries): a warm session
   (the window's case: pages already decrypted in the cache), and a cold one (open the
   register, then search: the command line's case, every page read is decrypted).
2. Photo intake of 100 photos (check and decode, store the file and its thumbnail, the row
   and its audit entry): AES-GCM for the two files against plain files.
The plain register is grown by the same generator (same seed, same rows, same order of
inserts) without a key, so both files have the same b-tree layout: an export
(sqlcipher_export or VACUUM) would pack every page full and leave the plain side fewer pages
to read than any register grown by use. The plain photo store writes the bytes as the
version before encryption did.
Both sides run on ONE SQLite engine, SQLCipher's (the sqlcipher3 module): the plain register
is opened through sqlcipher3 with no `PRAGMA key`, which SQLCipher reads and writes as an
ordinary SQLite file (checked: the file starts with "SQLite format 3"). The stdlib sqlite3
module links the system's SQLite (3.40 on Debian 12), another engine: comparing against it
would measure the engine swap as well as encryption. Both sides' sqlite_version() and
cipher_version are printed. Runs interleaved, the side going first alternating.
Goal (issue 8): encrypted <= 1.15x the plain time. Wall and CPU time are both shown: on a
busy machine the CPU time of this process is the steadier measure of the work done.
"""

from __future__ import annotations

import argparse
import functools
import io
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlcipher3.dbapi2
from PIL import Image
from sqlalchemy import Engine, create_engine

from muskan_desktop.cases import CaseService
from muskan_desktop.context import Context, open_context
from muskan_desktop.db import Database, make_engine
from muskan_desktop.demo import DemoGenerator
from muskan_desktop.paths import DB_FILENAME
from muskan_desktop.photos import PhotoService, PhotoStore
from muskan_desktop.search import CaseFilter, SearchIndex

from .common import keyring_env, machine_load

QUERIES = ["Sunitha", "सुनीता", "Suneeta Minj", "पूजा तिर्की"]
FACES = Path(__file__).resolve().parents[2] / "shared" / "data" / "faces"


class PlainStore(PhotoStore):
    """The photo store as it was before encryption: the bytes as they are."""

    def seal(self, data: bytes, sha: str, kind: str = "photo") -> bytes:
        return data


def plain_engine(path: Path) -> Engine:
    """The register's engine as `make_engine` builds it without a key (same pragmas, pool
    and transactions), but on sqlcipher3's SQLite instead of the stdlib's."""
    home = sys.modules[make_engine.__module__]  # where make_engine finds create_engine
    original = home.create_engine  # type: ignore[attr-defined]
    home.create_engine = functools.partial(create_engine, module=sqlcipher3.dbapi2)  # type: ignore[attr-defined]
    try:
        return make_engine(path)
    finally:
        home.create_engine = original  # type: ignore[attr-defined]


def engine_for(db: Database) -> Engine:
    return make_engine(db.path, db.keys) if db.keys else plain_engine(db.path)


def engine_versions(db: Database) -> str:
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        version = cur.execute("SELECT sqlite_version()").fetchone()[0]
        cipher = (cur.execute("PRAGMA cipher_version").fetchone() or ["none"])[0]
        module = type(raw.dbapi_connection).__module__
    finally:
        raw.close()
    return f"SQLite {version}, SQLCipher {cipher} (module {module})"


def plain_context(home: Path) -> Context:
    """A register without a key, on the same engine (SQLCipher's SQLite, no key given)."""
    home.mkdir(parents=True)
    db = Database(home / DB_FILENAME, plain_engine(home / DB_FILENAME))
    db.migrate(backup=False)
    return Context(db=db, actor="bench", device="bench")


def photos(n: int) -> list[bytes]:
    """n different JPEGs made from the shared test faces (each a distinct file and hash)."""
    sources = [Image.open(p).convert("RGB") for p in sorted(FACES.glob("*.jpg"))]
    out = []
    for i in range(n):
        img = sources[i % len(sources)]
        w, h = img.size
        k = 0.7 + 0.3 * ((i * 7) % 10) / 10
        crop = img.crop((i % 9, i % 7, w - (i % 5), h - (i % 3))).resize(
            (max(64, int(w * k)), max(64, int(h * k)))
        )
        buf = io.BytesIO()
        crop.save(buf, "JPEG", quality=88)
        out.append(buf.getvalue())
    return out


def measure(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall time and this process's CPU time (steadier on a busy machine)."""
    t, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t, time.process_time() - c


def show(label: str, enc: list[tuple[float, float]], plain: list[tuple[float, float]]) -> None:
    for i, kind in ((0, "wall"), (1, "CPU")):
        me = statistics.median(x[i] for x in enc)
        mp = statistics.median(x[i] for x in plain)
        print(
            f"{label if i == 0 else '':<50} {kind:<4} encrypted {me * 1000:8.1f} ms   "
            f"plain {mp * 1000:8.1f} ms   ratio {me / mp:5.2f}x (goal <= 1.15x)"
        )
        print(f"{'':<55} runs enc:   {', '.join(f'{x[i] * 1000:.1f}' for x in enc)}")
        print(f"{'':<55} runs plain: {', '.join(f'{x[i] * 1000:.1f}' for x in plain)}")


def search_all(db: Database) -> None:
    idx = SearchIndex.for_db(db)
    with db.read() as s:
        for q in QUERIES:
            idx.ids(s, CaseFilter(name=q))
            page = CaseFilter(name=q, limit=100)
            idx.search(s, page)
            idx.count(s, page)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--photos", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="muskan-bench-enc-"))
    keyring_env(work)  # the key in a keyring, as on a desktop (see common.keyring_env)
    machine_load("start")
    try:
        home = work / "enc"
        ctx = open_context(home, actor="bench")
        pctx = plain_context(work / "plain")
        for c in (ctx, pctx):
            t = time.perf_counter()
            DemoGenerator(c, seed=1).generate(args.cases)
            took = time.perf_counter() - t
            kind = "encrypted" if c.db.keys else "plain"
            print(f"{args.cases:,} demo cases generated in {took:.1f} s ({kind})")
        enc, plain = ctx.db, pctx.db
        print(f"encrypted register: {engine_versions(enc)}")
        print(f"plain register:     {engine_versions(plain)}")
        with plain.path.open("rb") as fh:
            assert fh.read(16) == b"SQLite format 3\x00", "the plain register is not plain"
        print(
            "the plain register's file is ordinary SQLite (header checked); the stdlib's own "
            f"SQLite, not used here, is {sqlite3.sqlite_version}"
        )
        for db in (enc, plain):
            # every page in the file, as after a restart (the last connection to close
            # checkpoints): neither side reads part of the register from its -wal
            raw = db.engine.raw_connection()  # outside a transaction
            try:
                busy, _, _ = raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                assert busy == 0, "the register is busy: nothing else should be using it"
            finally:
                raw.close()
            with db.read() as s:  # each process loads the name vocabulary once
                SearchIndex.for_db(db).vocabulary(s)

        warm_e: list[tuple[float, float]] = []
        warm_p: list[tuple[float, float]] = []
        cold_e: list[tuple[float, float]] = []
        cold_p: list[tuple[float, float]] = []
        search_all(enc)
        search_all(plain)

        def warm(db: Database) -> None:  # the four queries three times over
            for _ in range(3):
                search_all(db)

        def cold(db: Database) -> None:
            fresh = Database(db.path, engine_for(db))
            try:
                search_all(fresh)
            finally:
                fresh.close()

        # which side goes first alternates, so neither always follows the other's work
        for r in range(args.runs):
            for db in (enc, plain) if r % 2 == 0 else (plain, enc):
                (warm_e if db is enc else warm_p).append(measure(functools.partial(warm, db)))
        for r in range(args.runs):
            for db in (enc, plain) if r % 2 == 0 else (plain, enc):
                (cold_e if db is enc else cold_p).append(measure(functools.partial(cold, db)))
        n = len(QUERIES)
        show(f"name search x{n} queries x3, warm session", warm_e, warm_p)
        show(f"open + name search x{n}, cold connection", cold_e, cold_p)
        enc.close()
        plain.close()

        data = photos(args.photos)
        in_e: list[tuple[float, float]] = []
        in_p: list[tuple[float, float]] = []
        for r in range(args.runs):
            for encrypted in (True, False) if r % 2 == 0 else (False, True):
                h = work / f"photos-{r}-{int(encrypted)}"
                if encrypted:
                    pctx = open_context(h, actor="bench")
                    store: PhotoStore = PhotoStore(h)
                else:
                    pctx = plain_context(h)
                    store = PlainStore(h)
                case = CaseService(pctx).create({"kind": "found", "sex": "M", "age_years": "9"})
                svc = PhotoService(pctx, store)

                def intake(svc: PhotoService = svc, cid: str = case.id) -> None:
                    for d in data:
                        svc.add(cid, d)

                (in_e if encrypted else in_p).append(measure(intake))
                pctx.db.close()
        show(f"photo intake, {args.photos} photos (file + row + audit)", in_e, in_p)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    machine_load("end")


if __name__ == "__main__":
    main()
