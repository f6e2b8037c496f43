"""EmbeddingIndex.search is exact: the top 10 (seqs and distances) of a float64 brute force.

The oracle: every distance in float64 as sqrt(sum((x - q)^2)) over the stored float32 values,
ties by seq. To keep 200 queries over 100,000 rows quick it first narrows the rows with the
float64 expansion |x|^2 - 2 x.q + |q|^2 (off by < 1e-12 here) to those within 1e-6 of the
10th smallest, then computes the difference form for those only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from muskan_desktop.faces import VECTOR_DIM
from muskan_desktop.match_index import (
    KIND_CODES,
    SCORE_ERROR,
    EmbeddingIndex,
    _within,
    score_error,
)

FACES = Path("/work/shared/data/faces")
ROW_BYTES = VECTOR_DIM * 4 + 4 + 8 + 1  # vector, norm, seq, kind: the index's budget a row


def dlib_like(n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-norm 128-d float32 rows, shaped like dlib's descriptors (norm ~1, elements < 0.5)."""
    x = rng.standard_normal((n, VECTOR_DIM))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def build(x: np.ndarray, kinds: np.ndarray | None = None, pieces: int = 3) -> EmbeddingIndex:
    n = len(x)
    kinds = np.ones(n, np.int8) if kinds is None else kinds
    idx = EmbeddingIndex(capacity=10)
    cuts = np.linspace(0, n, pieces + 1).astype(int)
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):  # appended in pieces: the matrix grows
        idx.add(np.arange(lo + 1, hi + 1), kinds[lo:hi], x[lo:hi])
    return idx


def oracle(
    x: np.ndarray, queries: np.ndarray, k: int = 10, allowed: np.ndarray | None = None
) -> list[tuple[list[int], list[float]]]:
    """(seqs, distances) of the float64 brute force for each query (seq = row + 1)."""
    x64 = x.astype(np.float64)
    q64 = queries.astype(np.float64)
    approx = (x64**2).sum(axis=1)[None, :] - 2 * q64 @ x64.T + (q64**2).sum(axis=1)[:, None]
    if allowed is not None:
        approx[:, ~allowed] = np.inf
    out = []
    for q, row in zip(q64, approx, strict=True):
        kth = np.partition(row, k - 1)[k - 1]
        near = np.flatnonzero(row <= kth + 1e-6)
        exact = np.sqrt(((x64[near] - q) ** 2).sum(axis=1))
        order = np.lexsort((near, exact))[:k]
        out.append(((near[order] + 1).tolist(), exact[order].tolist()))
    return out


def assert_exact(idx: EmbeddingIndex, x: np.ndarray, queries: np.ndarray, **kw: object) -> None:
    kind = kw.get("kind")
    allowed = None
    if kind is not None:
        allowed = idx._kinds[: len(idx)] == KIND_CODES[str(kind)]
    for i, (want, q) in enumerate(zip(oracle(x, queries, allowed=allowed), queries, strict=True)):
        hits = idx.search(q, 10, kind=None if kind is None else str(kind))
        got = ([h.seq for h in hits], [h.distance for h in hits])
        assert got == want, f"query {i}: {got} != {want}"


def test_200_queries_over_100000_dlib_like_rows_match_the_float64_brute_force():
    rng = np.random.default_rng(16)
    x = dlib_like(100_000, rng)
    kinds = rng.integers(1, 3, len(x)).astype(np.int8)
    idx = build(x, kinds)
    picked = x[rng.integers(0, len(x), 80)]
    queries = np.concatenate(
        [
            picked[:40],  # stored rows themselves (distance 0 first)
            picked[40:] + rng.normal(0, 0.02, (40, VECTOR_DIM)).astype(np.float32),
            dlib_like(120, rng),  # strangers
        ]
    )
    assert len(queries) == 200
    assert_exact(idx, x, queries)
    assert_exact(idx, x, queries[::10], kind="found")
    assert_exact(idx, x, queries[1::10], kind="missing")


def near_ties(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose float32 scores collide or swap: 40 exact duplicates of v, 40 copies of v
    nudged by one to three float32 ulps in one element, 40 within 1e-7 of v, the same around
    a second point w, and 20,000 strangers; queries at v, w, between them and near them."""
    v, w = dlib_like(2, rng)
    parts = [dlib_like(10_000, rng)]
    for c in (v, w):
        dup = np.repeat(c[None], 40, axis=0)
        nudged = dup.copy()
        for i in range(40):
            j = rng.integers(VECTOR_DIM)
            for _ in range(1 + i % 3):
                nudged[i, j] = np.nextafter(nudged[i, j], np.float32(np.inf * (-1) ** i))
        close = (c + rng.normal(0, 1e-7, (40, VECTOR_DIM))).astype(np.float32)
        parts += [dup, nudged, close]
    parts.append(dlib_like(10_000, rng))
    x = np.concatenate(parts)
    order = rng.permutation(len(x))  # ties scattered over the blocks, seqs unordered
    x = x[order]
    mid = ((v + w) / 2).astype(np.float32)
    queries = np.stack(
        [v, w, mid, -v]
        + [
            (c + rng.normal(0, s, VECTOR_DIM)).astype(np.float32)
            for c in (v, w)
            for s in (1e-7, 1e-6, 1e-4)
        ]
        + [np.nextafter(v, np.float32(1)), (v * np.float32(1.0000001)).astype(np.float32)]
    )
    return x, queries


def test_near_ties_and_duplicates_keep_the_exact_top10():
    rng = np.random.default_rng(160)
    x, queries = near_ties(rng)
    kinds = rng.integers(1, 3, len(x)).astype(np.int8)
    idx = build(x, kinds, pieces=5)
    assert_exact(idx, x, queries)
    assert_exact(idx, x, queries, kind="found")
    # 240 near-ties around v and w: a query at v must rank its exact duplicates first, by seq
    hits = idx.search(queries[0], 10)
    assert all(h.distance == 0.0 for h in hits)
    assert [h.seq for h in hits] == sorted(h.seq for h in hits)


def test_large_and_uneven_norms_stay_exact():
    """Rows far from dlib's (norms 0.01 to 30): the bound scales with the largest norm."""
    rng = np.random.default_rng(161)
    x = dlib_like(30_000, rng) * rng.uniform(0.01, 30, (30_000, 1)).astype(np.float32)
    x = x.astype(np.float32)
    idx = build(x)
    queries = np.concatenate([x[:20], rng.standard_normal((20, VECTOR_DIM)).astype(np.float32)])
    assert_exact(idx, x, queries)


@pytest.fixture(scope="module")
def real_descriptors() -> np.ndarray:
    face_recognition = pytest.importorskip("face_recognition")
    found = []
    for path in sorted(FACES.glob("*.jpg")):
        image = face_recognition.load_image_file(str(path))
        found += face_recognition.face_encodings(image)
    if len(found) < 4:
        pytest.skip("the shared face photos are not there")
    return np.array(found, dtype=np.float32)


def test_real_dlib_descriptors_among_random_ones(real_descriptors):
    rng = np.random.default_rng(162)
    real = real_descriptors
    copies = np.concatenate([real, real, real + rng.normal(0, 1e-6, real.shape)]).astype(np.float32)
    x = np.concatenate([dlib_like(20_000, rng), copies])
    idx = build(x)
    queries = np.concatenate([real, (real + rng.normal(0, 0.01, real.shape)).astype(np.float32)])
    assert_exact(idx, x, queries)
    # dlib's descriptors have norms near 1 (up to ~1.4 here): the bound stays small
    assert 0.9 < idx.max_norm < 2


def test_the_score_bound_holds_for_every_row():
    """|float32 score - exact score| <= score_error for every row, every query; and the
    margin is small enough that a query re-scores about k rows, not thousands."""
    rng = np.random.default_rng(163)
    unit = dlib_like(20_000, rng)
    scaled = (dlib_like(5_000, rng) * rng.uniform(0.1, 8, (5_000, 1))).astype(np.float32)
    for x in (unit, np.concatenate([unit, scaled])):
        idx = build(x)
        x64 = x.astype(np.float64)
        norms64 = (x64**2).sum(axis=1)
        queries = np.concatenate([x[:5], dlib_like(5, rng), 3 * dlib_like(3, rng)])
        for q in queries.astype(np.float32):
            q64 = q.astype(np.float64)
            err = np.abs(idx._scores(q).astype(np.float64) - (norms64 - 2 * x64 @ q64))
            bound = score_error(idx.max_norm, float(np.linalg.norm(q64)))
            assert err.max() <= bound
            assert err.max() > bound / 1000  # the bound is not far off the real error
    unit_idx = build(unit)
    margin = 2 * score_error(unit_idx.max_norm, 1.0)
    assert margin < 1e-4 and SCORE_ERROR < 1e-5
    counts = [len(_within(unit_idx._scores(q), 10, margin)) for q in dlib_like(50, rng)]
    assert max(counts) <= 12  # random unit rows: essentially the 10 themselves


def test_memory_follows_the_budget_formula():
    rng = np.random.default_rng(164)
    n = 50_000
    x = dlib_like(n, rng)
    exact = EmbeddingIndex(capacity=n)
    exact.add(np.arange(1, n + 1), np.ones(n, np.int8), x)
    assert exact.nbytes == n * ROW_BYTES  # 525 bytes a row: 525 MB for 1,000,000
    grown = EmbeddingIndex(capacity=10)
    held = 0
    for m in rng.integers(1, 9_000, 20):
        grown.add(np.arange(held + 1, held + m + 1), np.ones(m, np.int8), dlib_like(m, rng))
        held += m
        assert grown.nbytes <= max(1.5 * held, 1024) * ROW_BYTES
