"""Encrypting a data folder written before encryption, in place, so that a crash loses nothing.

The database: checkpoint the WAL into the plain file, `sqlcipher_export` into a new file
beside it, fsync, check it opens with the key and holds the same rows, then one atomic
rename over the plain file. Until the rename the plain register is untouched; after it the
encrypted one is complete. Photos: each file is rewritten encrypted on its own (temp file,
fsync, rename), and a plain one is still readable, so stopping half-way is harmless and the
next open carries on. The keys are stored (keyring or wrapped) before any of this starts.
"""

from __future__ import annotations

import logging
import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from .durable import atomic_write, fsync_dir
from .errors import StorageError
from .keystore import RegisterKeys

log = logging.getLogger(__name__)


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _counts(con: object) -> dict[str, int]:
    cur = con.execute  # type: ignore[attr-defined]
    names = [r[0] for r in cur("SELECT name FROM sqlite_master WHERE type='table'").fetchall()]
    return {n: cur(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def _attach_encrypted(con: Any, target: Path, keys: RegisterKeys) -> None:
    con.execute(f"ATTACH DATABASE ? AS enc KEY {keys.db_pragma}", (str(target),))
    for pragma in keys.cipher_pragmas("enc."):
        con.execute(pragma)


def encrypt_database(path: Path, keys: RegisterKeys) -> None:
    """Replace the plain register at `path` by an encrypted copy (see the module's note)."""
    import sqlcipher3

    tmp = path.with_name(path.name + ".encrypting")
    for leftover in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)  # an earlier attempt that stopped half-way
    log.info("encrypting the register in place")
    try:
        con = sqlcipher3.connect(str(path), isolation_level=None)  # no key: the plain file
        try:
            con.execute("PRAGMA busy_timeout=10000")
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            before = _counts(con)
            _attach_encrypted(con, tmp, keys)
            con.execute("SELECT sqlcipher_export('enc')")
            con.execute("DETACH DATABASE enc")
        finally:
            con.close()
        _fsync_file(tmp)
        from .db import connect_raw

        check = connect_raw(tmp, keys)
        try:
            after = _counts(check)
            ok = check.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            check.close()
        if not ok or after != before:
            raise StorageError(
                f"Encrypting the register {path} did not give an identical copy; the register "
                "was left as it was. Report this with the log file."
            )
        for side in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            # the checkpoint emptied the WAL: a stale one must not be replayed into the copy
            side.unlink(missing_ok=True)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except sqlcipher3.dbapi2.DatabaseError as exc:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise StorageError(f"The register {path} could not be encrypted: {exc}") from exc
    log.info("register encrypted")


def encrypt_photos(home: Path, key: bytes) -> int:
    """Rewrite every plain photo and thumbnail in `home` encrypted, one file at a time
    (atomically); returns how many were rewritten. Safe to stop and run again."""
    import hashlib

    from .photos import MAGIC, PhotoStore

    store = PhotoStore(home, key)
    done = 0
    for folder, kind in ((store.photos, "photo"), (store.thumbs, "thumb")):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*/*")):
            if path.name.startswith(".") or not path.is_file():
                continue  # a temp file of an interrupted write
            with path.open("rb") as fh:
                if fh.read(len(MAGIC)) == MAGIC:
                    continue
            data = path.read_bytes()
            sha = path.name.split(".")[0]
            if kind == "photo" and hashlib.sha256(data).hexdigest() != sha:
                log.warning("a stored photo does not match its hash; left as it is")
                continue
            atomic_write(path, store.seal(data, sha, kind))
            done += 1
    if done:
        log.info("%d photo files encrypted", done)
    return done


def encrypt_old_backups(home: Path, keys: RegisterKeys) -> int:
    """The copies made before upgrades (backups/*.db) were written in clear: encrypt them too."""
    import sqlcipher3

    from .db import SQLITE_HEADER

    folder = home / "backups"
    done = 0
    for path in sorted(folder.glob("*.db")) if folder.is_dir() else []:
        with path.open("rb") as fh:
            if fh.read(16) != SQLITE_HEADER:
                continue
        tmp = path.with_name(path.name + ".encrypting")
        tmp.unlink(missing_ok=True)
        con = sqlcipher3.connect(str(path), isolation_level=None)
        try:
            _attach_encrypted(con, tmp, keys)
            con.execute("SELECT sqlcipher_export('enc')")
            con.execute("DETACH DATABASE enc")
        finally:
            con.close()
        _fsync_file(tmp)
        os.replace(tmp, path)
        fsync_dir(folder)
        done += 1
    return done


def finish_folder(home: Path, keys: RegisterKeys) -> None:
    """Everything besides the database: old backups, then photos (each step resumable)."""
    encrypt_old_backups(home, keys)
    encrypt_photos(home, keys.photo)
