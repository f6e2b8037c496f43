"""Exact nearest neighbours over every stored face descriptor, held in memory.

All descriptors of one model sit in one float32 matrix X (n x 128) with their squared norms.
A query q is one matrix-vector product: |q - x|^2 = |q|^2 - 2 q.x + |x|^2 for every row at
once (OpenBLAS sgemv: memory-bound, 512 MB read per query for a million rows). The top k are
then picked without sorting a million numbers: the k-th smallest of the per-block minima
bounds the k-th smallest score, so only the few rows under it are looked at. The candidates
are re-scored exactly (float64 differences) before they are returned, so the answer is the
exact top k: the same rows and distances as a float64 brute force (and faiss's IndexFlatL2).

Why the candidates surely hold the exact top k (`score_error`): the float32 score of row x is
s(x) = fl(fl(|x|^2) - 2 fl(q.x)), and with u = 2^-24 and g = 128u/(1 - 128u) (the bound on
any float32 sum of 128 products, in any order, with or without FMA)
    |s(x) - (|x|^2 - 2 q.x)| <= e = c (M + |q|)^2,   c = g + 2u + 2^-30,
where M is the largest |x| held (|x|^2 and 2|q.x| are each at most (M + |q|)^2; the 2^-30
covers the second-order terms and the float64 re-scoring, whose error is below 2^-45 of it).
If t is the k-th smallest s, the k rows under it have exact scores <= t + e, so every row of
the exact top k has s <= t + 2e: all rows with s <= t + 2e are re-scored, and ties in the
exact distance are broken by seq. For dlib descriptors (|x| about 1.4) 2e is about 1.2e-4 in
squared distance, so a query re-scores about k rows; near-duplicates within that margin are all
re-scored, however many. (The index kept k + 8 rows before: 40 duplicates nudged by a float32
ulp or two could push a row of the exact top k out; tests/test_match_index_exact.py.)

Memory: `nbytes` = capacity x (128 x 4 + 4 + 8 + 1) bytes (vectors, norms, seqs, kinds), the
capacity at most 1.5x the rows held (or the rows of the cache plus 1/64): 525 MB for a
million rows held exactly.

Why not fewer bytes a row (float16 or int8 codes scanned, then the exact float32 re-rank):
measured on this project's target (one thread, numpy + OpenBLAS), numpy has no fast kernel for
either: converting an int8 block to float32 in cache costs as much as the float32 scan saves
(a million int8 rows: ~34 ms against ~32 ms for the float32 sgemv on the same loaded box), and
float16 conversion is ten times slower; numpy's integer matmul is not vectorised (~55 ms).
A compiled int8 kernel does pay: faiss's scalar quantizer (8-bit
codes) with the same kind of bound and an exact re-rank measured 0.38x IndexFlatL2 (issue 16).

The matrix is built from the table's blobs (np.frombuffer, never re-encoding a photo) and kept
in encrypted cache files beside the register (match_cache.py), so a million descriptors load
in a fraction of a second. The files are checked against the table at every load with two
cheap counts (seqs are never reused, so rows added or removed show in them): rows added
since are read from the table and written as a small delta file; rows removed are dropped
from the matrix by seq, and the files are then rewritten whole on a background thread. New
rows are appended by `refresh`, which reads only rows with a higher `seq` than the index holds.
"""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import match_cache as mc
from .db import Database
from .faces import MODEL, VECTOR_DIM

log = logging.getLogger(__name__)

KIND_CODES = {"missing": 1, "found": 2}
KIND_NAMES = {v: k for k, v in KIND_CODES.items()}
BLOCK = 1024  # rows per block for the top-k bound
_ROW_BYTES = VECTOR_DIM * 4
MAX_DELTAS = 32  # delta files before the cache is rewritten as one base
_U = 2.0**-24  # float32 unit roundoff
_GAMMA = VECTOR_DIM * _U / (1 - VECTOR_DIM * _U)  # any float32 sum of 128 products
SCORE_ERROR = _GAMMA + 2 * _U + 2.0**-30  # c in the module docstring


def score_error(max_norm: float, query_norm: float) -> float:
    """The most a float32 score |x|^2 - 2 q.x of `search` can be off from the exact value,
    for rows of norm <= max_norm and a query of norm query_norm (see the module docstring)."""
    return SCORE_ERROR * (max_norm + query_norm) ** 2


@dataclass(frozen=True)
class Hit:
    seq: int  # face_embeddings.seq
    kind: str  # the case's kind: missing or found
    distance: float


class EmbeddingIndex:
    """Descriptors of one model: rows `seq` (int64), `kinds` (int8), matrix (float32)."""

    _by_db: weakref.WeakKeyDictionary[Database, dict[str, EmbeddingIndex]] = (
        weakref.WeakKeyDictionary()
    )
    _registry_lock = threading.Lock()

    def __init__(self, model: str = MODEL, capacity: int = 1024) -> None:
        self.model = model
        self._vectors = np.zeros((max(capacity, 1), VECTOR_DIM), dtype=np.float32)
        self._norms = np.zeros(max(capacity, 1), dtype=np.float32)
        self._seqs = np.zeros(max(capacity, 1), dtype=np.int64)
        self._kinds = np.zeros(max(capacity, 1), dtype=np.int8)
        self._n = 0
        self._max_norm2 = 0.0  # the largest squared norm held (float32 as stored)
        self.high_seq = 0  # the highest face_embeddings.seq held
        self.cached_n = 0  # rows the cache files hold
        self.lock = threading.RLock()
        self.writer: threading.Thread | None = None  # a background rewrite of the cache

    # -- building ------------------------------------------------------------------------
    @classmethod
    def for_db(cls, db: Database, model: str = MODEL) -> EmbeddingIndex:
        """The register's index for `model`, loaded (from the cache or the table) on first use."""
        with cls._registry_lock:
            per_db = cls._by_db.setdefault(db, {})
            idx = per_db.get(model)
            if idx is None:
                idx = per_db[model] = cls.load(db, model)
            return idx

    @classmethod
    def forget(cls, db: Database) -> None:
        with cls._registry_lock:
            cls._by_db.pop(db, None)

    @classmethod
    def load(cls, db: Database, model: str = MODEL, *, use_cache: bool = True) -> EmbeddingIndex:
        """From the cache files (brought up to date with the table), else from the table."""
        if not use_cache:
            idx = cls(model)
            idx.refresh(db)
            return idx
        return _CacheLoad(db, model).run(cls)

    def refresh(self, db: Database) -> int:
        """Append the table's rows newer than the index holds; returns how many."""
        with self.lock, db.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT e.seq, c.kind, e.vector FROM face_embeddings e "
                "JOIN cases c ON c.id = e.case_id WHERE e.model = ? AND e.seq > ? ORDER BY e.seq",
                (self.model, self.high_seq),
            ).fetchall()
            if not rows:
                return 0
            seqs = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            kinds = np.fromiter((KIND_CODES[r[1]] for r in rows), dtype=np.int8, count=len(rows))
            blob = b"".join(r[2] for r in rows)
            if len(blob) != len(rows) * _ROW_BYTES:
                raise ValueError("a stored face descriptor does not have 128 float32 numbers")
            matrix = np.frombuffer(blob, dtype="<f4").reshape(len(rows), VECTOR_DIM)
            self.add(seqs, kinds, matrix)
            return len(rows)

    def add(self, seqs: np.ndarray, kinds: np.ndarray, vectors: np.ndarray) -> None:
        """Append rows (their seqs must be higher than any held)."""
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, VECTOR_DIM)
        m = len(vectors)
        with self.lock:
            self._reserve(self._n + m)
            end = self._n + m
            self._vectors[self._n : end] = vectors
            self._norms[self._n : end] = np.einsum("ij,ij->i", vectors, vectors)
            self._seqs[self._n : end] = seqs
            self._kinds[self._n : end] = kinds
            self._n = end
            if m:
                self.high_seq = max(self.high_seq, int(np.max(seqs)))
                self._max_norm2 = max(self._max_norm2, float(self._norms[end - m : end].max()))

    def _reserve(self, n: int) -> None:
        cap = len(self._seqs)
        if n <= cap:
            return
        new = max(n, cap + cap // 2, 1024)
        self._vectors = _grow(self._vectors, new)
        self._norms = _grow(self._norms, new)
        self._seqs = _grow(self._seqs, new)
        self._kinds = _grow(self._kinds, new)

    def __len__(self) -> int:
        return self._n

    def _slots(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The free rows after the held ones (where a cache file's rows are read into)."""
        n = self._n
        return self._vectors[n:], self._norms[n:], self._seqs[n:], self._kinds[n:]

    @property
    def max_norm(self) -> float:
        """An upper bound on the norm of every row held (the stored float32 squared norms are
        within g of the exact ones)."""
        return float(np.sqrt(self._max_norm2 * (1 + 2 * _GAMMA)))

    def _counted(self) -> None:
        """Recount what depends on the rows held (after rows were written in place)."""
        n = self._n
        self._max_norm2 = float(self._norms[:n].max()) if n else 0.0

    @property
    def nbytes(self) -> int:
        arrays = (self._vectors, self._norms, self._seqs, self._kinds)
        return sum(a.nbytes for a in arrays)

    # -- searching -----------------------------------------------------------------------
    def search(self, query: np.ndarray, k: int = 10, kind: str | None = None) -> list[Hit]:
        """The k nearest rows (of one case kind, or of both), nearest first, exact distances
        (float64, ties by seq): the same as a float64 brute force over the rows held."""
        q = np.asarray(query, dtype=np.float32).reshape(VECTOR_DIM)
        q64 = q.astype(np.float64)
        with self.lock:
            n = self._n
            if n == 0 or k <= 0:
                return []
            x = self._vectors[:n]
            d = self._scores(q, kind)
            margin = 2 * score_error(self.max_norm, float(np.sqrt(q64 @ q64)))
            top = _within(d, min(n, k), margin)
            exact = np.sqrt(((x[top].astype(np.float64) - q64) ** 2).sum(axis=1))
            order = np.lexsort((self._seqs[top], exact))[:k]
            top, exact = top[order], exact[order]
            return [
                Hit(int(self._seqs[i]), KIND_NAMES[int(self._kinds[i])], float(e))
                for i, e in zip(top, exact, strict=True)
            ]

    def _scores(self, q: np.ndarray, kind: str | None = None) -> np.ndarray:
        """float32 |x|^2 - 2 q.x of every row (inf for rows of the other kind); each within
        `score_error` of the exact value. |q|^2 is left out: it is the same for every row."""
        n = self._n
        # one sgemv over the whole matrix; -2q is exact, so fl(x.(-2q)) = -2 fl(x.q)
        d = self._vectors[:n] @ (q * np.float32(-2.0))
        d += self._norms[:n]
        if kind is not None:
            d[self._kinds[:n] != KIND_CODES[kind]] = np.inf
        return d

    # -- the cache files -----------------------------------------------------------------
    def save_cache(self, db: Database, *, background: bool = False) -> None:
        """Write the whole index as the register's cache (a new base; old deltas go).
        A failure only costs speed: the next start reads the table instead."""
        key = mc.cache_key(db)
        with self.lock:
            n, arrays = self._n, (self._vectors, self._norms, self._seqs, self._kinds)
            high = self.high_seq
        path = mc.cache_path(db.home, self.model)
        header = mc.Header(
            self.model, mc.new_base_id(), 0, high, _table_rows(db, high), n, key is not None
        )

        def write() -> None:  # touches only the arrays and the file, not the register
            try:
                mc.remove_stale_temp(path)
                mc.write_file(path, header, *arrays, key)
                for old in mc.deltas_of(path):
                    mc.remove_quietly(old)
                self.cached_n = n
            except (OSError, ValueError) as exc:
                log.warning("face index cache not written (%s); the table is read next time", exc)

        if background:
            # not a daemon: a command that ends meanwhile waits for the file to be whole
            self.writer = threading.Thread(target=write, name="muskan-index-cache")
            self.writer.start()
        else:
            write()

    def _keep(self, mask: np.ndarray) -> None:
        """Keep only the rows where `mask` is true (new arrays: a background writer may
        still be reading the old ones)."""
        with self.lock:
            n = self._n
            keep = np.flatnonzero(mask[:n])
            m = len(keep)
            cap = max(m + 1, 1024)
            vectors = np.zeros((cap, VECTOR_DIM), dtype=np.float32)
            vectors[:m] = self._vectors[keep]
            norms = np.zeros(cap, dtype=np.float32)
            norms[:m] = self._norms[keep]
            seqs = np.zeros(cap, dtype=np.int64)
            seqs[:m] = self._seqs[keep]
            kinds = np.zeros(cap, dtype=np.int8)
            kinds[:m] = self._kinds[keep]
            self._vectors, self._norms, self._seqs, self._kinds = vectors, norms, seqs, kinds
            self._n = m
            self._counted()


class _CacheLoad:
    """One start: read the cache files, check them against the table, bring them up to date."""

    def __init__(self, db: Database, model: str) -> None:
        self.db = db
        self.model = model
        self.key = mc.cache_key(db)
        self.path = mc.cache_path(db.home, model)
        self.counts: _Counts | None = None  # the table's counts, taken while the files are read

    def run(self, cls: type[EmbeddingIndex]) -> EmbeddingIndex:
        for old in mc.legacy_paths(self.db.home, self.model):  # descriptors in clear: gone
            if old.exists():
                mc.remove_quietly(old)
        read = self._read(cls)
        if read is None:
            idx = cls(self.model)
            idx.refresh(self.db)
            if len(idx):
                idx.save_cache(self.db, background=True)
            return idx
        idx, base, deltas, table_rows = read
        assert self.counts is not None
        total, newer = self.counts.result()
        if total - newer != table_rows:  # rows removed since the cache was written
            log.info("face index cache: rows were removed from the table; dropping them")
            idx._keep(np.isin(idx._seqs[: len(idx)], _table_seqs(self.db, idx.high_seq)))
            idx.refresh(self.db)
            idx.save_cache(self.db, background=True)
            return idx
        start = idx.high_seq
        added = idx.refresh(self.db)
        if added and deltas + 1 >= MAX_DELTAS:
            idx.save_cache(self.db, background=True)
        elif added:
            self._write_delta(idx, base, start, table_rows + newer)
        return idx

    def _read(self, cls: type[EmbeddingIndex]) -> tuple[EmbeddingIndex, str, int, int] | None:
        """The base and its chain of deltas, or None if there is no usable base."""
        try:
            with self.path.open("rb") as fh:
                header, head = mc.read_header(fh)
                if header.model != self.model or header.start != 0:
                    raise mc.CacheError("not this model's base file")
                chain = self._chain(header)
                rows = header.rows + sum(h.rows for h, _ in chain)
                high = chain[-1][0].high if chain else header.high
                self.counts = _Counts(self.db, high)  # SQLite runs without the GIL
                idx = cls(self.model, capacity=rows + max(1024, rows // 64))
                mc.read_rows(fh, header, head, self.key, *idx._slots())
                idx._n = header.rows
            for h, path in chain:
                with path.open("rb") as fh:
                    h2, head2 = mc.read_header(fh)
                    if h2 != h:
                        raise mc.CacheError("a delta file changed while read")
                    mc.read_rows(fh, h2, head2, self.key, *idx._slots())
                    idx._n += h2.rows
        except FileNotFoundError:
            return None
        except (OSError, mc.CacheError, ValueError) as exc:
            log.warning("face index cache unusable (%s); reading the table instead", exc)
            return None
        last = chain[-1][0] if chain else header
        n = idx._n
        idx._counted()
        idx.high_seq = last.high
        idx.cached_n = n
        if n and int(idx._seqs[:n].max()) > last.high:
            log.warning("face index cache: rows beyond its range; reading the table instead")
            return None
        return idx, header.base, len(chain), last.table_rows

    def _chain(self, base: mc.Header) -> list[tuple[mc.Header, Path]]:
        """Deltas extending `base`, in order (seq ranges that join up)."""
        chain: list[tuple[mc.Header, Path]] = []
        high = base.high
        while True:
            path = mc.delta_path(self.path, high)
            try:
                with path.open("rb") as fh:
                    h, _ = mc.read_header(fh)
            except FileNotFoundError:
                return chain
            except (OSError, mc.CacheError):
                mc.remove_quietly(path)
                return chain
            if h.base != base.base or h.start != high or h.model != self.model:
                mc.remove_quietly(path)  # of an older base
                return chain
            chain.append((h, path))
            high = h.high

    def _write_delta(self, idx: EmbeddingIndex, base: str, start: int, table_rows: int) -> None:
        with idx.lock:
            lo, n, high = idx.cached_n, idx._n, idx.high_seq
            arrays = (idx._vectors[lo:n], idx._norms[lo:n], idx._seqs[lo:n], idx._kinds[lo:n])
        header = mc.Header(self.model, base, start, high, table_rows, n - lo, self.key is not None)
        try:
            mc.write_file(mc.delta_path(self.path, start), header, *arrays, self.key)
            idx.cached_n = n
        except OSError as exc:
            log.warning("face index cache delta not written (%s)", exc)


class _Counts(threading.Thread):
    """`_table_counts` on a thread of its own."""

    def __init__(self, db: Database, high: int) -> None:
        super().__init__(name="muskan-index-check", daemon=True)
        self.db, self.high = db, high
        self.value: tuple[int, int] | None = None
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.value = _table_counts(self.db, self.high)
        except BaseException as exc:  # raised in the loading thread
            self.error = exc

    def result(self) -> tuple[int, int]:
        self.join()
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value


def cache_path(home: Path, model: str = MODEL) -> Path:
    return mc.cache_path(home, model)


def _table_counts(db: Database, high: int) -> tuple[int, int]:
    """(rows in the table, rows with seq > high): the first from the smallest index, the
    second from the rowid range, both without reading the 512-byte vectors."""
    with db.engine.connect() as conn:
        total = conn.exec_driver_sql("SELECT count(*) FROM face_embeddings").scalar()
        newer = conn.exec_driver_sql(
            "SELECT count(*) FROM face_embeddings WHERE seq > ?", (high,)
        ).scalar()
    return int(total or 0), int(newer or 0)


def _table_rows(db: Database, high: int) -> int:
    total, newer = _table_counts(db, high)
    return total - newer


def _table_seqs(db: Database, high: int) -> np.ndarray:
    """Every seq <= high still in the table (from an index: the rows are not read)."""
    with db.engine.connect() as conn:
        try:
            rows = conn.exec_driver_sql(
                "SELECT seq FROM face_embeddings INDEXED BY ix_face_embeddings_case_id "
                "WHERE seq <= ?",
                (high,),
            ).fetchall()
        except Exception:  # the index renamed: the table's own order then
            rows = conn.exec_driver_sql(
                "SELECT seq FROM face_embeddings WHERE seq <= ?", (high,)
            ).fetchall()
    return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))


def _grow(a: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((n, *a.shape[1:]), dtype=a.dtype)
    out[: len(a)] = a
    return out


def _within(d: np.ndarray, k: int, margin: float) -> np.ndarray:
    """Indices of every finite value of d within `margin` of the k-th smallest (1 <= k <= len),
    without a full partition: k values from k different blocks are all <= the k-th smallest
    block minimum t0, so the k smallest overall are all <= t0 and only rows under it are
    partitioned to find the k-th smallest t."""
    n = len(d)
    full = n - n % BLOCK
    if n <= max(4 * k, 4 * BLOCK) or full // BLOCK < k:
        under = None
        t = float(np.partition(d, k - 1)[k - 1])
    else:
        mins = d[:full].reshape(-1, BLOCK).min(axis=1)
        if full < n:
            mins = np.append(mins, d[full:].min())
        t0 = float(np.partition(mins, k - 1)[k - 1])
        under = np.flatnonzero(d <= t0)
        t = float(np.partition(d[under], k - 1)[k - 1])
    if not np.isfinite(t):  # fewer than k finite values (a kind filter): all of them
        return np.flatnonzero(np.isfinite(d))
    limit = np.float32(t + margin)  # to float32, rounded up: d is compared in float32
    if float(limit) < t + margin:
        limit = np.nextafter(limit, np.float32(np.inf))
    if under is not None and float(limit) <= t0:
        return under[d[under] <= limit]
    return np.flatnonzero(d <= limit)
