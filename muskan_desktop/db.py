"""The one place that opens the register: engine, sessions, pragmas and migrations.

"Saved" means on disk: WAL with synchronous=FULL. Writes take the write lock up front
(BEGIN IMMEDIATE) so two programs on one register wait for each other instead of failing
half-way. An encrypted engine (SQLCipher) or the sync outbox plug in here and in the services.
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

from .errors import StorageError
from .paths import DB_FILENAME, migrations_dir

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
# The newest migration in db/versions (a test keeps the two equal). A register already at
# this revision opens without loading Alembic at all: a faster start for the window.
SCHEMA_HEAD = "0009"
# How long a command waits for another program's write (a 100,000-row import holds the
# lock ~6 s). Tests shorten it with MUSKAN_BUSY_TIMEOUT_MS.
BUSY_TIMEOUT_MS = int(os.environ.get("MUSKAN_BUSY_TIMEOUT_MS", "10000"))


class NoRegisterError(StorageError):
    pass


def storage_error(exc: BaseException, path: Path) -> StorageError | None:
    """Turn an SQLite failure into a message a person can act on (None: not an environment
    problem, so a bug)."""
    text = str(getattr(exc, "orig", exc)).lower()
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
    if "disk is full" in text or "disk full" in text or "no space" in text:
        return StorageError(
            f"The disk holding {path} is full; nothing was saved. Free some space and try again."
        )
    if "unable to open" in text or "disk i/o" in text:
        return StorageError(f"The register {path} cannot be opened or written: {exc}")
    return None


class Database:
    """An open register: an engine, a session factory for reads and one for writes."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.home = path.parent
        self.engine = engine
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(
            engine.execution_options(muskan_write=True), expire_on_commit=False
        )

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, home: Path, *, create: bool = True) -> Database:
        """Open (and if allowed create) the register in `home`, migrating it to this version."""
        path = home / DB_FILENAME
        exists = path.exists() and path.stat().st_size > 0
        if not exists and not create:
            raise NoRegisterError(
                f"There is no case register in {home}. Start Muskan there once, or add "
                "cases with `muskan cases add`, `muskan cases import` or `muskan demo`."
            )
        current = None
        if exists:
            _check_file(path)
            current = _check_schema(path)
        else:
            try:
                home.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"Cannot create the data folder {home}: {exc.strerror}") from exc
        engine = make_engine(path)
        db = cls(path, engine)
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
        src = sqlite3.connect(self.path)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return target


def alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def _check_file(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except PermissionError as exc:
        raise StorageError(f"The register {path} cannot be read: permission denied.") from exc
    if header != SQLITE_HEADER:
        raise storage_error(Exception("file is not a database"), path) or StorageError(str(path))
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise storage_error(Exception("readonly"), path) or StorageError(str(path))


def _check_schema(path: Path) -> str | None:
    """Before anything writes to it (WAL mode, migrations): is this file ours, and not newer?
    Returns its schema revision."""
    try:
        # Without a -wal beside it, read the file as it is (immutable: no lock files, no
        # -shm), so a foreign file stays byte-identical. With a -wal (ours, perhaps after a
        # crash mid-checkpoint), the main file alone may be stale: read through the WAL.
        wal = path.with_name(path.name + "-wal")
        mode = "ro" if wal.exists() and wal.stat().st_size else "ro&immutable=1"
        con = sqlite3.connect(f"file:{path}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
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
    except sqlite3.DatabaseError as exc:
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


def make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
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
