"""The face index's cache files: encrypted, kept in step with the table, never trusted blind."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import numpy as np
import pytest

from muskan_desktop import match_cache as mc
from muskan_desktop.cases import CaseService
from muskan_desktop.context import Context
from muskan_desktop.faces import MODEL
from muskan_desktop.match_index import EmbeddingIndex, cache_path
from muskan_desktop.models import FaceEmbedding

RNG = np.random.default_rng(11)


def add_rows(ctx: Context, n: int, kind: str = "found") -> tuple[str, np.ndarray]:
    """n descriptors (random numbers: the index does not care where they came from) of one
    new case, stored as the matching service stores them."""
    fields = {"kind": kind, "sex": "F", "age_years": 9, "name_latin": "Test Child"}
    fields |= {"last_seen_on": "2026-03-01"} if kind == "missing" else {"found_on": "2026-10-20"}
    case_id = CaseService(ctx).create(fields).id
    vectors = RNG.standard_normal((n, 128)).astype(np.float32)
    with ctx.db.write() as s:
        for i, v in enumerate(vectors):
            s.add(
                FaceEmbedding(
                    photo_sha256=f"{case_id[:8]}{i:056x}",
                    case_id=case_id,
                    model=MODEL,
                    model_version="test",
                    box={},
                    quality={},
                    vector=v.astype("<f4").tobytes(),
                    created_at=dt.datetime(2026, 11, 1),
                )
            )
    return case_id, vectors


def held(idx: EmbeddingIndex) -> np.ndarray:
    order = np.argsort(idx._seqs[: len(idx)])
    return idx._vectors[: len(idx)][order]


def finish(idx: EmbeddingIndex) -> None:
    if idx.writer is not None:
        idx.writer.join()


def test_the_cache_is_encrypted_and_loads_the_same_rows(ctx):
    _, a = add_rows(ctx, 300)
    _, b = add_rows(ctx, 200, kind="missing")
    finish(EmbeddingIndex.load(ctx.db))  # no cache yet: read from the table, cache written
    path = cache_path(ctx.home)
    raw = path.read_bytes()
    assert len(raw) > 500 * 512
    for v in (a[0], a[-1], b[17]):  # no descriptor, nor a piece of one, is in the file
        assert v.tobytes()[:16] not in raw
    assert mc.read_header(path.open("rb"))[0].encrypted
    idx = EmbeddingIndex.load(ctx.db)
    assert idx.cached_n == 500 and np.array_equal(held(idx), np.concatenate([a, b]))
    assert [h.kind for h in idx.search(b[17], 1)] == ["missing"]
    assert idx.search(b[17], 1)[0].distance == pytest.approx(0.0, abs=1e-3)


def test_rows_added_later_go_into_a_delta_file_and_the_base_stays(ctx):
    _, a = add_rows(ctx, 50)
    finish(EmbeddingIndex.load(ctx.db))
    path = cache_path(ctx.home)
    base = path.read_bytes()
    _, b = add_rows(ctx, 7)
    idx = EmbeddingIndex.load(ctx.db)  # the 7 from the table, then written as a delta
    assert len(idx) == 57 and idx.cached_n == 57
    assert path.read_bytes() == base and len(mc.deltas_of(path)) == 1
    _, c = add_rows(ctx, 3)
    idx = EmbeddingIndex.load(ctx.db)
    assert len(mc.deltas_of(path)) == 2 and path.read_bytes() == base
    assert np.array_equal(held(idx), np.concatenate([a, b, c]))
    again = EmbeddingIndex.load(ctx.db)  # nothing new: nothing written
    assert len(mc.deltas_of(path)) == 2 and np.array_equal(held(again), held(idx))


def test_removed_rows_are_dropped_and_the_cache_rewritten(ctx):
    gone, _ = add_rows(ctx, 40)
    _, kept = add_rows(ctx, 30)
    finish(EmbeddingIndex.load(ctx.db))
    _, late = add_rows(ctx, 5)
    EmbeddingIndex.load(ctx.db)  # a delta
    with ctx.db.write() as s:
        s.query(FaceEmbedding).filter(FaceEmbedding.case_id == gone).delete()
    idx = EmbeddingIndex.load(ctx.db)
    assert np.array_equal(held(idx), np.concatenate([kept, late]))
    finish(idx)  # rewritten whole, in the background
    path = cache_path(ctx.home)
    assert mc.deltas_of(path) == [] and mc.read_header(path.open("rb"))[0].rows == 35
    assert np.array_equal(held(EmbeddingIndex.load(ctx.db)), np.concatenate([kept, late]))


def test_a_damaged_or_foreign_cache_is_not_used(ctx, tmp_path):
    _, a = add_rows(ctx, 20)
    finish(EmbeddingIndex.load(ctx.db))
    path = cache_path(ctx.home)
    raw = bytearray(path.read_bytes())
    raw[-40] ^= 1  # one bit of a descriptor changed
    path.write_bytes(bytes(raw))
    idx = EmbeddingIndex.load(ctx.db)
    assert np.array_equal(held(idx), a)  # from the table instead
    finish(idx)
    # a cache written under another register's key does not decrypt here
    header, _ = mc.read_header(path.open("rb"))
    other = tmp_path / "other.idx"
    norms, seqs, kinds = (a * a).sum(axis=1), np.arange(1, 21), np.full(20, 2, np.int8)
    mc.write_file(other, header, a, norms, seqs, kinds, b"k" * 32)
    path.write_bytes(other.read_bytes())
    assert np.array_equal(held(EmbeddingIndex.load(ctx.db)), a)
    # and a plain cache planted in an encrypted register is refused, not read
    plain = mc.Header(MODEL, "x", 0, header.high, header.table_rows, 20, False)
    mc.write_file(other, plain, a * 0, norms * 0, seqs, kinds, None)
    path.write_bytes(other.read_bytes())
    assert np.array_equal(held(EmbeddingIndex.load(ctx.db)), a)


def test_the_clear_cache_of_the_first_format_is_removed(ctx):
    add_rows(ctx, 5)
    legacy = mc.legacy_paths(ctx.home, MODEL)[0]
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_bytes(b"descriptors in clear")
    finish(EmbeddingIndex.load(ctx.db))
    assert not legacy.exists() and cache_path(ctx.home).is_file()


def test_plain_files_for_a_register_without_keys(tmp_path: Path):
    """A register from before encryption: its cache is as plain as its database, but checked."""
    x = RNG.standard_normal((70_000, 128)).astype(np.float32)  # two chunks
    seqs, kinds = np.arange(1, 70_001), (np.arange(70_000) % 2 + 1).astype(np.int8)
    path = tmp_path / "c.idx"
    header = mc.Header(MODEL, "b", 0, 70_000, 70_000, 70_000, False)
    norms = np.einsum("ij,ij->i", x, x)
    mc.write_file(path, header, x, norms, seqs, kinds, None)
    out = np.zeros((70_001, 128), np.float32)
    n2, s2, k2 = np.zeros(70_000, np.float32), np.zeros(70_000, np.int64), np.zeros(70_000, np.int8)
    with path.open("rb") as fh:
        h, head = mc.read_header(fh)
        mc.read_rows(fh, h, head, None, out, n2, s2, k2)
    assert np.array_equal(out[:70_000], x) and np.array_equal(s2, seqs)
    assert np.array_equal(k2, kinds) and np.array_equal(n2, norms)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 4
    path.write_bytes(bytes(raw))
    with path.open("rb") as fh, pytest.raises(mc.CacheError):
        h, head = mc.read_header(fh)
        mc.read_rows(fh, h, head, None, out, n2, s2, k2)


def test_a_write_killed_half_way_leaves_no_lasting_temp_file(ctx):
    add_rows(ctx, 5)
    path = cache_path(ctx.home)
    path.parent.mkdir(parents=True, exist_ok=True)
    old, fresh = path.parent / f".{path.name}.abc.tmp", path.parent / f".{path.name}.xyz.tmp"
    for p in (old, fresh):
        p.write_bytes(b"half a cache")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    EmbeddingIndex.load(ctx.db, use_cache=False).save_cache(ctx.db)
    assert not old.exists() and fresh.exists()  # another program may be writing that one
