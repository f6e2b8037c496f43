"""The one place that opens the register: engine, sessions, pragmas and migrations.

"Saved" means on disk: WAL with synchronous=FULL. Writes take the write lock up front
(BEGIN IMMEDIATE) so two programs on one register wait for each other instead of failing
half-way. The file is encrypted with SQLCipher under a random raw key from keystore.py (no
key derivation on open); a register written before encryption is encrypted in place on its
first open (security_migrate.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from . import keystore
from .errors import DiskFullError, StorageError, is_disk_full
from .keystore import RegisterKeys
from .paths import DB_FILENAME, migrations_dir

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
# The newest migration in db/versions (a test keeps the two equal). A register already at
# this revision opens without loading Alembic at all: a faster start for the window.
SCHEMA_HEAD = "0010"
# How long a command waits for another program's write (a 100,000-row import holds the
# lock ~6 s). Tests shorten it with MUSKAN_BUSY_TIMEOUT_MS.
BUSY_TIMEOUT_MS = int(os.environ.get("MUSKAN_BUSY_TIMEOUT_MS", "10000"))
# Decrypted pages are kept in SQLite's page cache: a larger one than the 2 MB default keeps
# a search over 100,000 cases from decrypting the same pages again (KiB, negative = size).
CACHE_KIB = 65536


class NoRegisterError(StorageError):
    pass


def storage_error(exc: BaseException, path: Path) -> StorageError | None:
    """Turn an SQLite failure into a message a person can act on (None: not an environment
    problem, so a bug)."""
    orig = getattr(exc, "orig", exc)
    text = str(orig).lower()
    if is_disk_full(exc, path):
        return DiskFullError(path.parent)
    if "locked" in text or "busy" in text:
        return StorageError(
            f"The register {path} is locked by another program (another Muskan window or "
            "command is writing to it). Close it and try again."
        )
    if "readonly" in text or "read-only" in text:
        return StorageError(
            f"The register {path} is read-only. Muskan must be able to write to it "
            "(every view is recorded in the audit trail): check the file's permissions."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StorageError(
            f"The register {path} is damaged or is not a Muskan database. Restore it from "
            "a backup (the backups/ folder beside it keeps a copy made before each upgrade)."
        )
    if "unable to open" in text or "disk i/o" in text:
        return StorageError(f"The register {path} cannot be opened or written: {orig}")
    return None


class EmptyRegisterError(NoRegisterError):
    """muskan.db is there but holds nothing (0 bytes): never start a new register over it,
    which would orphan the photos and keys beside it."""


def empty_register_message(home: Path) -> str:
    photos = home / "photos"
    n = sum(1 for p in photos.rglob("*") if p.is_file()) if photos.is_dir() else 0
    kept = (
        f"The photos ({n} files) are still in {photos}; they come back with the register. "
        if n
        else ""
    )
    return (
        f"There is no case register in {home}: {DB_FILENAME} is there but empty (0 bytes), "
        "so its cases were lost (an interrupted copy, a full disk or a crash while it was "
        f"written). Muskan will not start a new register over it. {kept}Restore the folder "
        "from a backup with `muskan backup restore FILE`; or, to start a new register, move "
        f"the empty {DB_FILENAME} away first."
    )


def missing_keys_message(home: Path) -> str:
    return (
        f"The register's key file {keystore.KEYFILE} is missing from {home}, so the register "
        f"{home / DB_FILENAME} (encrypted with the keys it names) cannot be opened; nothing "
        f"was changed. Put {keystore.KEYFILE} back from a copy of this folder (a copy made "
        "with it, or the folder kept as *.before-restore-*), or restore the folder from a "
        "backup with `muskan backup restore FILE`."
    )


def unopenable_message(home: Path) -> str | None:
    """Why the register in `home` can never be opened as it is (an empty muskan.db, a missing
    keys.json), so that only a restore helps; None when it may open."""
    path = home / DB_FILENAME
    try:
        if not path.is_file():
            return None
        if path.stat().st_size == 0:
            return empty_register_message(home)
        with path.open("rb") as fh:
            plain = fh.read(16) == SQLITE_HEADER
    except OSError:
        return None
    if not plain and not keystore.has_keys(home):
        return missing_keys_message(home)
    return None


class Database:
    """An open register: an engine, a session factory for reads and one for writes."""

    def __init__(self, path: Path, engine: Engine, keys: RegisterKeys | None = None) -> None:
        self.path = path
        self.keys = keys
        self.home = path.parent
        self.engine = engine
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(
            engine.execution_options(muskan_write=True), expire_on_commit=False
        )
        # Who is acting (the Context keeps it current): every write session carries it in
        # `session.info`, so the outbox records the officer and role of each change.
        self.acting: dict[str, Any] = {}

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, home: Path, *, create: bool = True) -> Database:
        """Open (and if allowed create) the register in `home`, migrating it to this version."""
        path = home / DB_FILENAME
        exists = path.exists() and path.stat().st_size > 0
        if path.exists() and not exists:
            raise EmptyRegisterError(empty_register_message(home))
        if not exists and not create:
            raise NoRegisterError(
                f"There is no case register in {home}. Start Muskan there once, or add "
                "cases with `muskan cases add`, `muskan cases import` or `muskan demo`."
            )
        current = None
        if exists:
            if _check_file(path):  # written before encryption: ours and not newer? encrypt it
                _check_schema(path, None)
                from .security_migrate import encrypt_database

                keys = keystore.load_keys(home, create=True)  # stored before the data moves
                encrypt_database(path, keys)
            elif not keystore.has_keys(home):
                raise StorageError(missing_keys_message(home))
            else:
                keys = keystore.load_keys(home, create=False)
            current = _check_schema(path, keys)
        else:
            try:
                home.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"Cannot create the data folder {home}: {exc.strerror}") from exc
            keys = keystore.load_keys(home, create=True)
        engine = make_engine(path, keys)
        db = cls(path, engine, keys)
        if current == SCHEMA_HEAD:
            return db
        try:
            db.migrate(backup=exists)
        except DBAPIError as exc:
            engine.dispose()
            raise storage_error(exc, path) or exc from exc
        except BaseException:
            engine.dispose()
            raise
        return db

    def close(self) -> None:
        self.engine.dispose()

    # -- sessions --------------------------------------------------------------------------
    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._guard(), self._reader() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction that holds the write lock; committed (on disk) when the block ends."""
        with self._guard(), self._writer() as session, session.begin():
            session.info.update(self.acting)
            yield session

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            mapped = storage_error(exc, self.path)
            if mapped is None:
                raise
            raise mapped from exc

    # -- migrations ------------------------------------------------------------------------
    def migrate(self, *, backup: bool) -> None:
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = alembic_config()
        script = ScriptDirectory.from_config(cfg)
        head = script.get_current_head()
        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            has_tables = bool(inspect(conn).get_table_names())
        if current == head:
            return
        if current is not None:
            try:
                script.get_revision(current)
            except Exception as exc:
                raise StorageError(
                    f"The register {self.path} was written by a newer version of Muskan "
                    f"Desktop (schema {current}); this version knows up to {head}. Install "
                    "the newer version; the register was not changed."
                ) from exc
        elif has_tables:
            raise StorageError(f"{self.path} is an SQLite file but not a Muskan register.")
        if backup:
            self.backup_to(self.home / "backups", label=f"before-{head}")
        log.info("migrating register from %s to %s", current, head)
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            if current is not None and has_tables:
                # new indexes need statistics, or the planner may pick them where a scan of
                # the ordered register index is faster (a sex filter: 9 ms, not 70 ms)
                conn.exec_driver_sql("ANALYZE")

    def analyze(self) -> None:
        """Refresh the planner's statistics after a bulk load, so filters pick the right index."""
        with self.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")

    def backup_to(self, folder: Path, *, label: str) -> Path:
        """A consistent copy (SQLite's online backup, WAL included), e.g. before migrating."""
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = folder / f"muskan-{label}-{stamp}.db"
        try:
            src = connect_raw(self.path, self.keys)
            try:
                dst = connect_raw(target, self.keys)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
            finally:
                src.close()
        except Exception as exc:
            if not isinstance(exc, (OSError, *db_errors())):
                raise
            target.unlink(missing_ok=True)  # half a copy is no copy
            raise storage_error(exc, target) or StorageError(
                f"The copy {target} could not be written: {exc}"
            ) from exc
        return target


def alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def connect_raw(path: Path | str, keys: RegisterKeys | None, **kw: Any) -> Any:
    """A DB-API connection outside SQLAlchemy (backups, checks, tests): keyed when `keys`."""
    if keys is None:
        return sqlite3.connect(path, **kw)
    import sqlcipher3

    con = sqlcipher3.connect(str(path), **kw)
    con.execute(f"PRAGMA key = {keys.db_pragma}")
    for pragma in keys.cipher_pragmas():
        con.execute(pragma)
    return con


def db_errors() -> tuple[type[Exception], ...]:
    """sqlite3's and sqlcipher3's DatabaseError (two DB-API modules, two class trees)."""
    import sqlcipher3

    return (sqlite3.DatabaseError, sqlcipher3.dbapi2.DatabaseError)


def _check_file(path: Path) -> bool:
    """Readable and writable? True when it is a plain (not yet encrypted) SQLite file."""
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except PermissionError as exc:
        raise StorageError(f"The register {path} cannot be read: permission denied.") from exc
    if len(header) < 16:
        raise storage_error(Exception("file is not a database"), path) or StorageError(str(path))
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise storage_error(Exception("readonly"), path) or StorageError(str(path))
    return header == SQLITE_HEADER


def _check_schema(path: Path, keys: RegisterKeys | None) -> str | None:
    """Before anything writes to it (WAL mode, migrations): is this file ours, and not newer?
    Returns its schema revision."""
    try:
        # Without a -wal beside it, read the file as it is (immutable: no lock files, no
        # -shm), so a foreign file stays byte-identical. With a -wal (ours, perhaps after a
        # crash mid-checkpoint), the main file alone may be stale: read through the WAL.
        wal = path.with_name(path.name + "-wal")
        mode = "ro" if wal.exists() and wal.stat().st_size else "ro&immutable=1"
        uri = f"file:{path}?mode={mode}"
        con = connect_raw(uri, keys, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            current = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                current = row[0] if row else None
        finally:
            con.close()
    except db_errors() as exc:
        raise storage_error(exc, path) or StorageError(f"{path}: {exc}") from exc
    if tables and "alembic_version" not in tables:
        raise StorageError(
            f"{path} is an SQLite file but not a Muskan register; it was not changed."
        )
    if current is not None and current != SCHEMA_HEAD:
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(alembic_config())
        try:
            script.get_revision(current)
        except Exception as exc:
            raise StorageError(
                f"The register {path} was written by a newer version of Muskan Desktop "
                f"(schema {current}); this version knows up to {script.get_current_head()}. "
                "Install the newer version; the register was not changed."
            ) from exc
    return current


def make_engine(path: Path, keys: RegisterKeys | None = None) -> Engine:
    args = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    # LIFO: the connection used last (its page cache warm and decrypted) serves the next
    # read, instead of rotating through the pool and decrypting the same pages once per
    # connection (the first filters after start: up to 1.9 s -> see benchmarks.ui_startup)
    if keys is None:
        engine = create_engine(f"sqlite:///{path}", connect_args=args, pool_use_lifo=True)
    else:
        from sqlalchemy.engine import URL
        from sqlalchemy.pool import QueuePool

        # the pysqlcipher dialect runs `PRAGMA key` first on every new connection
        url = URL.create("sqlite+pysqlcipher", password=f"x'{keys.db.hex()}'", database=str(path))
        engine = create_engine(url, connect_args=args, poolclass=QueuePool, pool_use_lifo=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in keys.cipher_pragmas() if keys is not None else []:
            cur.execute(pragma)  # after the dialect's `PRAGMA key`, before any page is read
        cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("muskan_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
