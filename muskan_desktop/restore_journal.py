"""Crash safety for `backup restore`, and the clean-up of what a killed backup or restore left.

A restore swaps two folders with two renames: the data folder aside, then the checked staging
folder into its place. A kill or a power cut between the two would leave no register at all
(the data sitting in the side folders), so before the first rename a journal beside the data
folder names the three. The next start (any `muskan` command, the window) reads it and
finishes the swap or rolls it back, and says which.

Staging files carry the id of the process that writes them (`.<folder>.restore-<pid>`,
`backups/muskan-for-archive-<pid>-*.db`, `.<archive>.muskan-backup-<pid>.tmp`); once that
process is gone they are removed at the next start or backup command.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from .durable import atomic_write, fsync_dir
from .errors import StorageError
from .paths import DB_FILENAME

log = logging.getLogger(__name__)


def journal_path(home: Path) -> Path:
    return home.parent / f".{home.name}.restore-journal.json"


def staging_path(home: Path) -> Path:
    return home.parent / f".{home.name}.restore-{os.getpid()}"


def snapshot_label() -> str:
    """The label of the register's copy made for an archive (db.backup_to)."""
    return f"for-archive-{os.getpid()}"


def archive_tmp(out: Path) -> Path:
    return out.with_name(f".{out.name}.muskan-backup-{os.getpid()}.tmp")


def pid_alive(pid: int) -> bool:
    """Is process `pid` still running? (This process counts as running.)"""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(kernel32.GetLastError() == 5)  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- the journal ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Journal:
    pid: int
    src: str  # the archive's name, for the message
    staging: str  # folder names beside the data folder
    aside: str
    drop_aside: bool  # the folder replaced held an empty register of another id
    old_register: str | None

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=1).encode()


def write_journal(home: Path, journal: Journal) -> None:
    atomic_write(journal_path(home), journal.to_json())  # fsynced, and its folder too


def _read_journal(home: Path) -> Journal | None:
    p = journal_path(home)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        return Journal(
            int(data["pid"]),
            str(data["src"]),
            _plain_name(data["staging"]),
            _plain_name(data["aside"]),
            bool(data["drop_aside"]),
            data.get("old_register"),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StorageError(
            f"A restore into {home} was interrupted, and its journal {p} cannot be read "
            f"({exc}). Look beside {home} for the folders *.before-restore-* (the register "
            f"before the restore) and .{home.name}.restore-* (the restored one): rename the one "
            f"to keep to {home.name}, then delete {p.name}."
        ) from exc


def _plain_name(value: object) -> str:
    name = str(value)
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise ValueError(f"not a folder name: {name!r}")
    return name


def _has_register(folder: Path) -> bool:
    db = folder / DB_FILENAME
    return db.is_file() and db.stat().st_size > 0


def finish_swap(home: Path, journal: Journal) -> None:
    """After the two renames: forget the cached keys, drop the replaced empty register
    (never one holding photos), then the journal."""
    from . import keystore

    parent = home.parent
    keystore.forget(home)
    keystore.forget(parent / journal.staging)
    aside = parent / journal.aside
    if journal.drop_aside and aside.is_dir() and not _holds_photos(aside):
        if journal.old_register:
            drop_keyring_entry(journal.old_register)
        shutil.rmtree(aside, ignore_errors=True)
    journal_path(home).unlink(missing_ok=True)
    fsync_dir(parent)


def drop_keyring_entry(register_id: str) -> None:
    """Forget the keyring entry of a register that no longer exists."""
    from . import keystore

    try:
        import keyring

        keyring.delete_password(keystore.SERVICE, f"register-{register_id}")
    except Exception as exc:  # no keyring, or no such entry: nothing to forget
        log.info("no keyring entry to remove: %s", type(exc).__name__)


def _holds_photos(folder: Path) -> bool:
    photos = folder / "photos"
    return photos.is_dir() and any(p.is_file() for p in photos.rglob("*"))


def recover(home: Path) -> list[str]:
    """Finish or roll back a restore into `home` that was interrupted (a kill, a power cut,
    an error half-way). Returns what was done, for the person to read ([] if nothing)."""
    home = Path(home)
    journal = _read_journal(home)
    if journal is None:
        return []
    if journal.pid != os.getpid() and pid_alive(journal.pid):
        raise StorageError(
            f"A restore into {home} is running now (process {journal.pid}). Wait for it to "
            "finish, then try again."
        )
    parent = home.parent
    staging, aside = parent / journal.staging, parent / journal.aside
    try:
        return _recover(home, journal, staging, aside)
    except OSError as exc:
        raise StorageError(
            f"A restore into {home} was interrupted, and finishing it failed: "
            f"{exc.strerror or exc}. Free the folder (close other programs using it) and try "
            "again."
        ) from exc


def _recover(home: Path, journal: Journal, staging: Path, aside: Path) -> list[str]:
    parent = home.parent
    if staging.is_dir() and not aside.exists() and _has_register(home):
        # killed before the first rename: nothing had changed yet
        shutil.rmtree(staging, ignore_errors=True)
        journal_path(home).unlink(missing_ok=True)
        fsync_dir(parent)
        return [_rolled_back(home, journal)]
    if staging.is_dir() and aside.is_dir() and not _has_register(home):
        # killed between the two renames: the checked staging folder goes into place
        if home.exists():  # e.g. the window made logs/ in the empty place before opening
            _merge_logs(home, staging)
            shutil.rmtree(home)
        os.replace(staging, home)
        fsync_dir(parent)
        finish_swap(home, journal)
        return [_finished(home, journal, aside)]
    if not staging.exists() and _has_register(home):
        finish_swap(home, journal)  # killed after the swap, before the clean-up
        return [_finished(home, journal, aside)]
    if not staging.exists() and aside.is_dir():
        # the restored folder is gone: the one it was to replace goes back
        if home.exists():
            _merge_logs(home, aside)
            shutil.rmtree(home)
        os.replace(aside, home)
        journal_path(home).unlink(missing_ok=True)
        fsync_dir(parent)
        return [_rolled_back(home, journal)]
    raise StorageError(
        f"A restore into {home} was interrupted, and the folders it names are not as it left "
        f"them ({staging.name}: {'there' if staging.exists() else 'missing'}; {aside.name}: "
        f"{'there' if aside.exists() else 'missing'}). Rename the folder to keep to "
        f"{home.name}, then delete {journal_path(home).name}."
    )


def _merge_logs(src: Path, dst: Path) -> None:
    """Append the log lines written in `src` meanwhile to `dst`'s logs (nothing is lost)."""
    logs = src / "logs"
    for p in sorted(logs.glob("*")) if logs.is_dir() else []:
        if p.is_file():
            (dst / "logs").mkdir(parents=True, exist_ok=True)
            with (dst / "logs" / p.name).open("ab") as out:
                out.write(p.read_bytes())


def _finished(home: Path, journal: Journal, aside: Path) -> str:
    msg = (
        f"An interrupted restore of {journal.src} into {home} was finished: the register now "
        "holds the backup's cases."
    )
    if aside.exists():
        msg += f" The folder it replaced is kept as {aside}."
    return msg


def _rolled_back(home: Path, journal: Journal) -> str:
    return (
        f"An interrupted restore of {journal.src} into {home} was rolled back: the register "
        "is as it was before the restore. Run `muskan backup restore` again to replace it."
    )


# -- staging files of processes that are gone -------------------------------------------------
_STAGING = re.compile(r"\.(?P<home>.+)\.restore-(?P<pid>\d+)")
_SNAPSHOT = re.compile(r"muskan-for-archive-(?P<pid>\d+)-\d{8}-\d{6}\.db")
_ARCHIVE_TMP = re.compile(r"\..+\.muskan-backup-(?P<pid>\d+)\.tmp")


def clean_stale(home: Path) -> list[str]:
    """Remove the staging folders and register copies of killed backups and restores of
    `home`. Returns a note for the person when something was removed."""
    home = Path(home)
    gone: list[Path] = []
    parent = home.parent
    for p in parent.glob(f".{_glob_escape(home.name)}.restore-*") if parent.is_dir() else []:
        m = _STAGING.fullmatch(p.name)
        if m and m["home"] == home.name and p.is_dir() and not pid_alive(int(m["pid"])):
            gone.append(p)
    backups = home / "backups"
    for p in backups.glob("muskan-for-archive-*.db") if backups.is_dir() else []:
        m = _SNAPSHOT.fullmatch(p.name)
        if m and not pid_alive(int(m["pid"])):
            gone.append(p)
    return _remove(gone)


def clean_stale_archives(folder: Path) -> list[str]:
    """Remove half-written archives of killed `backup create` runs in `folder`."""
    gone = [
        p
        for p in (Path(folder).glob(".*.muskan-backup-*.tmp") if Path(folder).is_dir() else [])
        if (m := _ARCHIVE_TMP.fullmatch(p.name)) and not pid_alive(int(m["pid"]))
    ]
    return _remove(gone)


def _remove(paths: list[Path]) -> list[str]:
    if not paths:
        return []
    size = 0
    for p in paths:
        with suppress(OSError):
            if p.is_dir():
                size += sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
                shutil.rmtree(p)
            else:
                size += p.stat().st_size
                p.unlink()
        log.info("removed a leftover of an interrupted backup or restore: %s", p.name)
    names = ", ".join(str(p) for p in paths)
    return [
        f"Removed what an interrupted backup or restore left behind ({size / 1e6:.1f} MB): {names}."
    ]


def _glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)
