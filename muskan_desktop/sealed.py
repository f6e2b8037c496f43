"""The backup archive's sealed stream: 1 MiB chunks, each AES-256-GCM under a key derived from
the backup passphrase (argon2id). Each chunk's associated data carries its number and whether it
is the last, so a reordered, cut-short or edited archive is refused."""

from __future__ import annotations

import hashlib
import io
import secrets
import struct
from collections.abc import Iterator
from typing import IO, Any

from .errors import MuskanError

CHUNK = 1 << 20


class BackupError(MuskanError):
    exit_code = 4


# -- the stream ------------------------------------------------------------------------
def _aead(key: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


class SealedWriter(io.RawIOBase):
    def __init__(self, fh: IO[bytes], key: bytes, header: bytes) -> None:
        self.fh, self.aead, self.header = fh, _aead(key), header
        self.buf = bytearray()
        self.n = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.buf += bytes(data)
        while len(self.buf) > CHUNK:
            self._emit(bytes(self.buf[:CHUNK]), last=False)
            del self.buf[:CHUNK]
        return len(data)

    def finish(self) -> None:
        self._emit(bytes(self.buf), last=True)
        self.buf.clear()

    def _emit(self, plain: bytes, *, last: bool) -> None:
        nonce = secrets.token_bytes(12)
        aad = self.header + struct.pack(">Q?", self.n, last)
        sealed = self.aead.encrypt(nonce, plain, aad)
        self.fh.write(struct.pack(">I", len(sealed)) + nonce + sealed)
        self.n += 1


def open_chunks(fh: IO[bytes], key: bytes, header: bytes) -> Iterator[bytes]:
    from cryptography.exceptions import InvalidTag

    aead, n = _aead(key), 0
    while True:
        head = fh.read(4)
        if len(head) < 4:
            raise BackupError("The backup is cut short (its last part is missing).")
        (size,) = struct.unpack(">I", head)
        nonce, sealed = fh.read(12), fh.read(size)
        if len(sealed) != size:
            raise BackupError("The backup is cut short (its last part is missing).")
        for last in (False, True):
            try:
                plain = aead.decrypt(nonce, sealed, header + struct.pack(">Q?", n, last))
                break
            except InvalidTag:
                continue
        else:
            raise BackupError(f"The backup is damaged (part {n + 1} fails its check).")
        yield plain
        n += 1
        if last:
            if fh.read(1):
                raise BackupError("The backup has data after its end; it was changed.")
            return


class ChunkReader(io.RawIOBase):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks, self.buf = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self.buf:
            try:
                self.buf = next(self.chunks)
            except StopIteration:
                return 0
        n = min(len(b), len(self.buf))
        b[:n] = self.buf[:n]
        self.buf = self.buf[n:]
        return n


def derive(passphrase: str, params: dict[str, Any]) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    if not passphrase:
        raise BackupError("A backup passphrase is needed.")
    salt = bytes.fromhex(params["salt"])
    return hash_secret_raw(
        passphrase.encode(), salt, params["t"], params["m"], params["p"], 32, Type.ID
    )


def check_value(key: bytes) -> str:
    """Tells a wrong passphrase from a damaged archive (a one-way value of the derived key)."""
    return hashlib.sha256(b"muskan-backup-check" + key).hexdigest()[:32]
