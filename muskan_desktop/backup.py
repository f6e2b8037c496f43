"""Backup of the data folder as one encrypted archive, and a restore that checks before it
replaces anything.

The archive is a tar stream (a consistent copy of the register, the photo and thumbnail
files, and last a manifest with every member's SHA-256 and the register's keys) cut into
1 MiB chunks, each sealed with AES-256-GCM under a key derived from the backup passphrase
(argon2id). Each chunk's associated data carries its number and whether it is the last, so
a reordered, cut-short or edited archive is refused. Nothing in clear touches the disk: the
register and photos inside are still encrypted with the register's own keys.

Restore unpacks into a staging folder beside the data folder, checks every member against the
manifest, opens the register with the restored keys (integrity check, audit chain, every
photo decrypted and hash-checked) and only then swaps the folders; the folder it replaces is
kept beside it as <name>.before-restore-<time>.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import secrets
import shutil
import struct
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from . import audit, keystore
from .context import Context
from .errors import MuskanError
from .keystore import RegisterKeys
from .paths import DB_FILENAME
from .roles import Action, require

MAGIC = b"MUSKAN-BACKUP-1\n"
CHUNK = 1 << 20
MANIFEST = "MANIFEST.json"
FOLDERS = ("photos", "thumbs")


class BackupError(MuskanError):
    exit_code = 4


@dataclass(frozen=True)
class BackupInfo:
    files: int
    bytes: int
    cases: int = 0


# -- the sealed stream ------------------------------------------------------------------------
def _aead(key: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


class _SealedWriter(io.RawIOBase):
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


def _open_chunks(fh: IO[bytes], key: bytes, header: bytes) -> Iterator[bytes]:
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


class _ChunkReader(io.RawIOBase):
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


def _derive(passphrase: str, params: dict[str, Any]) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    if not passphrase:
        raise BackupError("A backup passphrase is needed.")
    salt = bytes.fromhex(params["salt"])
    return hash_secret_raw(
        passphrase.encode(), salt, params["t"], params["m"], params["p"], 32, Type.ID
    )


def _check_value(key: bytes) -> str:
    """Tells a wrong passphrase from a damaged archive (a one-way value of the derived key)."""
    return hashlib.sha256(b"muskan-backup-check" + key).hexdigest()[:32]


# -- create -----------------------------------------------------------------------------------
def create_backup(ctx: Context, out: Path, passphrase: str) -> BackupInfo:
    """Write the encrypted archive of ctx's data folder to `out` (atomically)."""
    require(ctx.role, Action.EXPORT)
    keys = ctx.db.keys
    if keys is None:
        raise BackupError("This register is not encrypted; open it once to encrypt it first.")
    if len(passphrase) < 8:
        raise BackupError("Use a backup passphrase of at least 8 characters.")
    out = Path(out)
    params = {"kdf": "argon2id", **keystore.KDF, "salt": secrets.token_hex(16)}
    params["register"] = keys.register_id
    key = _derive(passphrase, params)
    params["check"] = _check_value(key)
    header = json.dumps(params, sort_keys=True).encode() + b"\n"
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
    files, total = 0, 0
    snapshot = ctx.db.backup_to(ctx.home / "backups", label="for-archive")
    try:
        with tmp.open("wb") as fh:
            fh.write(MAGIC + header)
            w = _SealedWriter(fh, key, header)
            members: dict[str, str] = {}
            with tarfile.open(fileobj=w, mode="w|") as tar:  # type: ignore[call-overload]
                entries = [(snapshot, DB_FILENAME)]
                for folder in FOLDERS:
                    base = ctx.home / folder
                    for p in sorted(base.glob("*/*")) if base.is_dir() else []:
                        if p.is_file() and not p.name.startswith("."):
                            entries.append((p, f"{folder}/{p.parent.name}/{p.name}"))
                for path, name in entries:
                    data = path.read_bytes()
                    members[name] = hashlib.sha256(data).hexdigest()
                    _add(tar, name, data)
                    files += 1
                    total += len(data)
                with ctx.db.write() as s:
                    audit.record(s, ctx, "backup_create", None, None, file=out.name, files=files)
                manifest = {
                    "version": 1,
                    "created": dt.datetime.now(dt.UTC).isoformat(),
                    "register": keys.register_id,
                    "keys": json.loads(keys.to_json()),
                    "members": members,
                }
                _add(tar, MANIFEST, json.dumps(manifest).encode())
            w.finish()
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        snapshot.unlink(missing_ok=True)
    return BackupInfo(files, total)


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


# -- restore ----------------------------------------------------------------------------------
def restore_backup(ctx: Context, src: Path, passphrase: str, *, force: bool = False) -> BackupInfo:
    """Check the archive completely, then replace ctx's data folder with it. `ctx` is closed
    (its register is the one replaced); open the folder again afterwards."""
    from sqlalchemy import func, select

    from .models import Case

    require(ctx.role, Action.DELETE)
    home = ctx.home
    with ctx.db.read() as s:
        cases = s.scalar(select(func.count()).select_from(Case)) or 0
    if cases and not force:
        raise BackupError(
            f"The register in {home} holds {cases} cases; restoring replaces them. "
            "Run again with --force to replace it (the old folder is kept beside it)."
        )
    staging = home.parent / f".{home.name}.restore-{secrets.token_hex(4)}"
    try:
        info, keys = _unpack(Path(src), passphrase, staging)
        n_cases = _check_staged(staging, keys)
        old_id = ctx.db.keys.register_id if ctx.db.keys else None
        ctx.db.close()
        keystore.store_keys(staging, keys)
        for keep in ("logs",):  # the log of this machine stays with it
            if (home / keep).is_dir():
                shutil.copytree(home / keep, staging / keep, dirs_exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = home.parent / f"{home.name}.before-restore-{stamp}"
        os.replace(home, aside)
        os.replace(staging, home)
        keystore.forget(home)
        keystore.forget(staging)
        if old_id and old_id != keys.register_id and cases == 0:
            _drop_keyring_entry(old_id)  # the empty register just replaced
            shutil.rmtree(aside, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    from .context import open_context

    again = open_context(home, login=False)
    try:
        again.actor, again.role = ctx.actor, ctx.role
        with again.db.write() as s:
            audit.record(s, again, "backup_restore", None, None, file=Path(src).name)
    finally:
        again.db.close()
    return BackupInfo(info.files, info.bytes, n_cases)


def _unpack(src: Path, passphrase: str, staging: Path) -> tuple[BackupInfo, RegisterKeys]:
    try:
        fh = src.open("rb")
    except OSError as exc:
        raise BackupError(f"The backup {src} cannot be read: {exc.strerror}") from exc
    with fh:
        if fh.read(len(MAGIC)) != MAGIC:
            raise BackupError(f"{src.name} is not a Muskan backup; nothing was changed.")
        header = fh.readline(4096)
        try:
            params = json.loads(header)
        except ValueError:
            raise BackupError(f"{src.name} is damaged (its header is unreadable).") from None
        key = _derive(passphrase, params)
        if params.get("check") != _check_value(key):
            raise BackupError("Wrong passphrase for this backup; nothing was changed.")
        reader = io.BufferedReader(_ChunkReader(_open_chunks(fh, key, header)), CHUNK)
        staging.mkdir(parents=True)
        hashes: dict[str, str] = {}
        manifest: dict[str, Any] | None = None
        files, total = 0, 0
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
                for m in tar:
                    f = tar.extractfile(m) if m.isfile() else None
                    if f is None:
                        raise BackupError(f"The backup holds an unexpected entry {m.name!r}.")
                    data = f.read()
                    if m.name == MANIFEST:
                        manifest = json.loads(data)
                        continue
                    target = _safe_target(staging, m.name)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
                    hashes[m.name] = hashlib.sha256(data).hexdigest()
                    files += 1
                    total += len(data)
        except tarfile.TarError as exc:
            raise BackupError(f"The backup is damaged: {exc}") from exc
    if manifest is None or manifest.get("members") != hashes:
        raise BackupError("The backup's contents do not match its manifest; nothing was changed.")
    k = manifest["keys"]
    keys = RegisterKeys.from_json(manifest["register"], json.dumps(k))
    return BackupInfo(files, total), keys


def _safe_target(staging: Path, name: str) -> Path:
    parts = Path(name).parts
    ok = name == DB_FILENAME or (len(parts) == 3 and parts[0] in FOLDERS)
    if not ok or any(p in ("..", "") or p.startswith("/") for p in parts):
        raise BackupError(f"The backup holds an unexpected file {name!r}; nothing was changed.")
    return staging.joinpath(*parts)


def _check_staged(staging: Path, keys: RegisterKeys) -> int:
    """The restored register opens with its keys, is intact, its audit chain holds and
    every photo decrypts to its hash. Returns the number of cases."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from .db import connect_raw, make_engine
    from .models import Photo
    from .photos import PhotoStore

    con = connect_raw(staging / DB_FILENAME, keys)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        cases = con.execute("SELECT count(*) FROM cases").fetchone()[0]
    except Exception as exc:
        raise BackupError(f"The register in the backup cannot be opened: {exc}") from exc
    finally:
        con.close()
    if not ok:
        raise BackupError("The register in the backup fails its integrity check.")
    engine = make_engine(staging / DB_FILENAME, keys)
    try:
        with Session(engine) as s:
            broken = audit.verify(s)
            shas = set(s.scalars(select(Photo.sha256)))
    finally:
        engine.dispose()
    if broken is not None:
        raise BackupError(f"The audit trail in the backup is broken at row {broken}.")
    store = PhotoStore(staging, keys.photo)
    for sha in sorted(shas):
        try:
            store.read(sha)
        except MuskanError as exc:
            raise BackupError(f"A photo in the backup does not check out: {exc.message}") from exc
    return int(cases)


def _drop_keyring_entry(register_id: str) -> None:
    try:
        import keyring

        keyring.delete_password(keystore.SERVICE, f"register-{register_id}")
    except Exception:
        pass
