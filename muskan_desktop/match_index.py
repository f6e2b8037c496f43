"""Exact nearest neighbours over every stored face descriptor, held in memory.

All descriptors of one model sit in one float32 matrix X (n x 128) with their squared norms.
A query q is one matrix-vector product: |q - x|^2 = |q|^2 - 2 q.x + |x|^2 for every row at
once (OpenBLAS sgemv, memory-bound: ~30 ms for a million rows on two cores). The top k are
then picked without sorting a million numbers: the k-th smallest of the per-block minima
bounds the k-th smallest distance, so only the few rows under it are sorted. The k nearest
are re-scored exactly (float64 differences) before they are returned, so the answer is the
exact top k — faiss's IndexFlatL2 gives the same rows.

The matrix is built from the table's blobs (np.frombuffer, never re-encoding a photo) and kept
in a cache file beside the register (`index/faces-<model>.f32`, rebuilt when it no longer
matches the table), so a million descriptors load in a fraction of a second. New rows are
appended by `refresh`, which reads only rows with a higher `seq` than the index holds.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .db import Database
from .faces import MODEL, VECTOR_DIM

log = logging.getLogger(__name__)

KIND_CODES = {"missing": 1, "found": 2}
KIND_NAMES = {v: k for k, v in KIND_CODES.items()}
CACHE_VERSION = 1
BLOCK = 1024  # rows per block for the top-k bound
_ROW_BYTES = VECTOR_DIM * 4


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
        self.high_seq = 0  # the highest face_embeddings.seq held
        self.cached_n = 0  # rows the cache file holds
        self.lock = threading.RLock()

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
        """From the cache file if it still matches the table, else from the table's blobs."""
        idx = None
        if use_cache:
            idx = cls._from_cache(db, model)
        if idx is None:
            idx = cls(model)
        added = idx.refresh(db)
        if use_cache and idx._n and (idx.cached_n == 0 or added > max(1000, idx._n // 20)):
            idx.save_cache(cache_path(db.home, model))
        return idx

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

    @property
    def nbytes(self) -> int:
        arrays = (self._vectors, self._norms, self._seqs, self._kinds)
        return sum(a.nbytes for a in arrays)

    # -- searching -----------------------------------------------------------------------
    def search(self, query: np.ndarray, k: int = 10, kind: str | None = None) -> list[Hit]:
        """The k nearest rows (of one case kind, or of both), nearest first, exact distances."""
        q = np.asarray(query, dtype=np.float32).reshape(VECTOR_DIM)
        with self.lock:
            n = self._n
            if n == 0 or k <= 0:
                return []
            x = self._vectors[:n]
            d = x @ q  # one sgemv over the whole matrix
            d *= -2.0
            d += self._norms[:n]  # |x|^2 - 2 q.x: |q|^2 is the same for every row
            if kind is not None:
                d[self._kinds[:n] != KIND_CODES[kind]] = np.inf
            # a few spare rows, so float32 rounding in the expansion cannot swap the k-th
            top = _smallest(d, min(n, k + max(8, k // 4)))
            top = top[np.isfinite(d[top])]
            exact = np.sqrt(((x[top].astype(np.float64) - q.astype(np.float64)) ** 2).sum(axis=1))
            order = np.lexsort((self._seqs[top], exact))[:k]
            top, exact = top[order], exact[order]
            return [
                Hit(int(self._seqs[i]), KIND_NAMES[int(self._kinds[i])], float(e))
                for i, e in zip(top, exact, strict=True)
            ]

    # -- the cache file ------------------------------------------------------------------
    def save_cache(self, path: Path) -> None:
        """Write the matrix (and a small header) atomically; a failure only costs speed."""
        with self.lock:
            n = self._n
            header = {
                "version": CACHE_VERSION,
                "model": self.model,
                "rows": n,
                "high_seq": self.high_seq,
            }
            tmp: Path | None = None
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
                tmp = Path(name)
                with os.fdopen(fd, "wb") as fh:
                    head = json.dumps(header).encode().ljust(256, b" ")
                    fh.write(head)
                    fh.write(self._seqs[:n].astype("<i8").tobytes())
                    fh.write(self._kinds[:n].tobytes())
                    fh.write(np.ascontiguousarray(self._vectors[:n], dtype="<f4").data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, path)
                self.cached_n = n
            except OSError as exc:
                if tmp is not None:
                    with contextlib.suppress(OSError):
                        tmp.unlink()
                log.warning("face index cache not written (%s); it is rebuilt next time", exc)

    @classmethod
    def _from_cache(cls, db: Database, model: str) -> EmbeddingIndex | None:
        path = cache_path(db.home, model)
        try:
            with path.open("rb") as fh:
                header = json.loads(fh.read(256))
                n = int(header["rows"])
                if header.get("version") != CACHE_VERSION or header.get("model") != model:
                    return None
                if not _cache_matches(db, model, n, int(header["high_seq"])):
                    log.info("face index cache is stale; rebuilding it from the register")
                    return None
                idx = cls(model, capacity=n + max(1024, n // 8))
                _read_into(fh, idx._seqs[:n])
                _read_into(fh, idx._kinds[:n])
                _read_into(fh, idx._vectors[:n])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError) as exc:
            log.warning("face index cache unreadable (%s); rebuilding it", exc)
            return None
        x = idx._vectors[:n]
        idx._norms[:n] = np.einsum("ij,ij->i", x, x)
        idx._n = n
        idx.high_seq = int(header["high_seq"])
        idx.cached_n = n
        return idx


def cache_path(home: Path, model: str = MODEL) -> Path:
    return Path(home) / "index" / f"faces-{model}.f32"


def _cache_matches(db: Database, model: str, rows: int, high_seq: int) -> bool:
    """The table still holds exactly the rows the cache holds (none deleted or replaced)."""
    with db.engine.connect() as conn:
        count = conn.exec_driver_sql(
            "SELECT count(*) FROM face_embeddings WHERE model = ? AND seq <= ?",
            (model, high_seq),
        ).scalar()
        top = conn.exec_driver_sql(
            "SELECT max(seq) FROM face_embeddings WHERE model = ? AND seq <= ?",
            (model, high_seq),
        ).scalar()
    return count == rows and (top or 0) == high_seq


def _read_into(fh: Any, arr: np.ndarray) -> None:
    view = arr.reshape(-1).view(np.uint8).data
    got = fh.readinto(view)
    if got != len(view):
        raise ValueError("face index cache is cut short")


def _grow(a: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((n, *a.shape[1:]), dtype=a.dtype)
    out[: len(a)] = a
    return out


def _smallest(d: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k smallest values of d (unordered), without a full partition.

    k values from k different blocks are all <= the k-th smallest block minimum t, so the
    k smallest overall are all <= t: only the rows under t need partitioning.
    """
    n = len(d)
    if n <= max(4 * k, 4 * BLOCK):
        return np.argpartition(d, k - 1)[:k] if k < n else np.arange(n)
    full = n - n % BLOCK
    mins = d[:full].reshape(-1, BLOCK).min(axis=1)
    if full < n:
        mins = np.append(mins, d[full:].min())
    if len(mins) <= k:
        return np.argpartition(d, k - 1)[:k]
    t = np.partition(mins, k - 1)[k - 1]
    cand = np.flatnonzero(d <= t)
    if len(cand) > k:
        cand = cand[np.argpartition(d[cand], k - 1)[:k]]
    return cand
