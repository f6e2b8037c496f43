"""The face index's cache files: every stored descriptor, ready to load in a fraction of a second.

Reading a million descriptors out of the (SQLCipher) register takes seconds: every page is
decrypted and every row crosses into Python. The same rows kept in a file of their own load
with one read and one AES-GCM pass straight into the index's matrix (no copy of the 512 MB);
the file is read ahead on a thread (reading releases the GIL) while the chunk before is
decrypted.

The files hold biometric data, so they are encrypted as the register is: AES-256-GCM under a
key derived (HKDF) from the register's database key, which never leaves keystore.py's hands
in clear. A register without keys (from before encryption) gets plain files with a CRC per
chunk, as plain as its database.

Layout: a *base* file `index/faces-<model>.idx` and *delta* files `<base>.d<from>` that each
add the rows after seq `from` (a start that found new rows in the table writes one; it never
rewrites the base). Every file: MAGIC, a JSON header (model, the base's id, seq range, the
table's row count at seq <= high), then chunks of rows, each `nonce | ciphertext | tag`
(or `plain | crc32`) with the header and the chunk's number as associated data, so chunks
cannot be moved, swapped between files or cut off unnoticed. A chunk's plaintext is the
vectors (float32), then their squared norms (float32, as the index computes them), the seqs
(int64) and the kinds (int8). Files are written to a temporary
name and renamed: a reader sees a whole file or none; anything that does not check out is
ignored and made again from the register.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import queue
import struct
import tempfile
import threading
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from .faces import VECTOR_DIM

log = logging.getLogger(__name__)

MAGIC = b"MSKFIDX\x02"
VERSION = 2
CHUNK_ROWS = 16_384  # 8.6 MB a chunk: streams at full speed; two buffers of it are read ahead
TAIL_BYTES = 4 + 8 + 1  # norm, seq, kind
ROW_BYTES = VECTOR_DIM * 4 + TAIL_BYTES
NONCE = 12
TAG = 16
_HKDF_INFO = b"muskan-desktop face index cache v2"


class CacheError(Exception):
    """A cache file that cannot be used (damaged, foreign, wrong key): made again."""


@dataclass(frozen=True)
class Header:
    model: str
    base: str  # the base file's random id; deltas name the base they extend
    start: int  # rows with seq > start ... (0 for a base)
    high: int  # ... up to high are in this file
    table_rows: int  # rows of face_embeddings (any model) with seq <= high, when written
    rows: int
    encrypted: bool
    version: int = VERSION

    def encode(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode()


def cache_path(home: Path, model: str) -> Path:
    return Path(home) / "index" / f"faces-{model}.idx"


def delta_path(base: Path, start: int) -> Path:
    return base.with_name(f"{base.name}.d{start}")


def legacy_paths(home: Path, model: str) -> list[Path]:
    """Files of the first cache format: the matrix in clear. Removed wherever found."""
    return [Path(home) / "index" / f"faces-{model}.f32"]


def cache_key(db: Any) -> bytes | None:
    """The cache key of a register (None for a register without keys)."""
    keys = getattr(db, "keys", None)
    secret = getattr(keys, "db", None)
    if not secret:
        return None
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(hashes.SHA256(), 32, salt=None, info=_HKDF_INFO).derive(bytes(secret))


def new_base_id() -> str:
    return uuid.uuid4().hex


# -- writing ------------------------------------------------------------------------------------
def write_file(
    path: Path,
    header: Header,
    vectors: np.ndarray,
    norms: np.ndarray,
    seqs: np.ndarray,
    kinds: np.ndarray,
    key: bytes | None,
    *,
    durable: bool = True,
) -> None:
    """Write rows to `path` (temp file, then rename). The arrays are only read: the caller
    may go on appending to the index meanwhile (rows below `header.rows` never change)."""
    if (key is not None) != header.encrypted:
        raise ValueError("header.encrypted must say whether a key is given")
    n = header.rows
    head = header.encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + struct.pack("<I", len(head)) + head)
            for i, lo in enumerate(range(0, n, CHUNK_ROWS)):
                hi = min(n, lo + CHUNK_ROWS)
                parts = (
                    _bytes(vectors[lo:hi], "<f4"),
                    _bytes(norms[lo:hi], "<f4"),
                    _bytes(seqs[lo:hi], "<i8"),
                    _bytes(kinds[lo:hi], "i1"),
                )
                _write_chunk(fh, parts, _aad(head, i), key)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _bytes(a: np.ndarray, dtype: str) -> memoryview:
    """The array's bytes (no copy when already in that layout), as one flat byte buffer."""
    return np.ascontiguousarray(a, dtype=dtype).reshape(-1).view(np.uint8).data


def _aad(head: bytes, chunk: int) -> bytes:
    return head + struct.pack("<I", chunk)


def _write_chunk(
    fh: BinaryIO, parts: tuple[memoryview, ...], aad: bytes, key: bytes | None
) -> None:
    if key is None:
        crc = 0
        for p in parts:
            fh.write(p)
            crc = zlib.crc32(p, crc)
        fh.write(struct.pack("<I", crc))
        return
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    nonce = os.urandom(NONCE)
    enc = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad)
    fh.write(nonce)
    for p in parts:
        fh.write(enc.update(p))
    fh.write(enc.finalize())
    fh.write(enc.tag)


# -- reading ------------------------------------------------------------------------------------
def read_header(fh: BinaryIO) -> tuple[Header, bytes]:
    magic = fh.read(len(MAGIC) + 4)
    if len(magic) != len(MAGIC) + 4 or magic[: len(MAGIC)] != MAGIC:
        raise CacheError("not a face index cache file")
    (size,) = struct.unpack("<I", magic[len(MAGIC) :])
    if size > 4096:
        raise CacheError("header too large")
    head = fh.read(size)
    try:
        header = Header(**json.loads(head))
    except (ValueError, TypeError) as exc:
        raise CacheError(f"header unreadable ({exc})") from None
    if header.version != VERSION:
        raise CacheError("another cache version")
    return header, head


def read_rows(
    fh: io.BufferedReader,
    header: Header,
    head: bytes,
    key: bytes | None,
    vectors: np.ndarray,
    norms: np.ndarray,
    seqs: np.ndarray,
    kinds: np.ndarray,
) -> None:
    """Decrypt (or check) the file's rows into the given arrays (`header.rows` long; the
    vector array's buffer must run at least 16 bytes further: the index keeps spare rows).
    Raises CacheError if anything does not check out; the arrays then hold garbage."""
    if header.encrypted != (key is not None):
        raise CacheError(
            "encrypted with a key this register does not have"
            if key is None
            else "a plain cache in an encrypted register"
        )
    n = header.rows
    room = vectors.reshape(-1).view(np.uint8).data  # the matrix's bytes, written in place
    extra = NONCE + TAG if key is not None else 4
    sizes = [(min(n, lo + CHUNK_ROWS) - lo) * ROW_BYTES + extra for lo in range(0, n, CHUNK_ROWS)]
    tail = bytearray(min(n, CHUNK_ROWS) * TAIL_BYTES + 16)
    for i, record in enumerate(_read_ahead(fh, sizes)):
        lo = i * CHUNK_ROWS
        m = min(n, lo + CHUNK_ROWS) - lo
        vbytes = m * VECTOR_DIM * 4
        start = lo * VECTOR_DIM * 4
        if key is None:
            body = record[: m * ROW_BYTES]
            (crc,) = struct.unpack("<I", record[m * ROW_BYTES :])
            if zlib.crc32(body) != crc:
                raise CacheError("a chunk does not match its checksum")
            room[start : start + vbytes] = body[:vbytes]
            rest = bytes(body[vbytes:])
        else:
            rest = _decrypt_into(key, record, _aad(head, i), room, start, vbytes, tail)
        norms[lo : lo + m] = np.frombuffer(rest, dtype="<f4", count=m)
        seqs[lo : lo + m] = np.frombuffer(rest, dtype="<i8", count=m, offset=m * 4)
        kinds[lo : lo + m] = np.frombuffer(rest, dtype=np.int8, count=m, offset=m * 12)
    if fh.read(1):
        raise CacheError("more data than the header says")


def _read_ahead(fh: io.BufferedReader, sizes: list[int]) -> Iterator[memoryview]:
    """The chunk records, read on a thread into two buffers taking turns: the next chunk is
    read while the caller decrypts this one (each view is valid until the next is asked)."""
    if not sizes:
        return
    free: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
    full: queue.SimpleQueue[tuple[bytearray, int] | BaseException] = queue.SimpleQueue()
    for _ in range(2):
        free.put(bytearray(max(sizes)))
    stop = threading.Event()

    def read() -> None:
        try:
            for size in sizes:
                buf = free.get()
                if stop.is_set():
                    return
                full.put((buf, fh.readinto(memoryview(buf)[:size])))
        except BaseException as exc:  # handed to the caller
            full.put(exc)

    reader = threading.Thread(target=read, name="muskan-index-read", daemon=True)
    reader.start()
    try:
        for size in sizes:
            item = full.get()
            if isinstance(item, BaseException):
                raise CacheError(f"unreadable ({item})")
            buf, got = item
            if got != size:
                raise CacheError("cut short")
            yield memoryview(buf)[:size]
            free.put(buf)
    finally:
        stop.set()
        free.put(bytearray(0))  # wakes the reader if it waits for a buffer
        reader.join()


def _decrypt_into(
    key: bytes,
    record: memoryview,
    aad: bytes,
    room: memoryview,
    start: int,
    vbytes: int,
    tail: bytearray,
) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    nonce, body, tag = record[:NONCE], record[NONCE:-TAG], record[-TAG:]
    dec = Cipher(algorithms.AES(key), modes.GCM(bytes(nonce), bytes(tag))).decryptor()
    dec.authenticate_additional_data(aad)
    # the vectors straight into the matrix (GCM is a stream: out = in, plus a block of room)
    dec.update_into(body[:vbytes], room[start : start + vbytes + 15])
    rest_len = len(body) - vbytes
    out = memoryview(tail)[: rest_len + 15]
    dec.update_into(body[vbytes:], out)
    try:
        dec.finalize()
    except InvalidTag:
        raise CacheError("a chunk does not decrypt (damaged, or another key)") from None
    return bytes(out[:rest_len])


def remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def deltas_of(base: Path) -> list[Path]:
    return sorted(base.parent.glob(f"{base.name}.d*"))


def remove_stale_temp(path: Path, older_than: float = 600.0) -> None:
    """Temporary files of writes that never finished (a program killed mid-write: up to the
    size of the cache each); a write in progress touches its file far more often."""
    import time

    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - tmp.stat().st_mtime > older_than:
                tmp.unlink()
