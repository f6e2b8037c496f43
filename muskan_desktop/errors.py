"""Problems a person can act on. Anything else is a bug and is reported as one."""

from __future__ import annotations

from dataclasses import dataclass


class MuskanError(Exception):
    """A problem the user can fix: bad input, a locked or damaged file, an unknown id."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str  # stable, for translation in the UI
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(MuskanError):
    exit_code = 2

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))

    def for_field(self, field: str) -> list[FieldError]:
        return [e for e in self.errors if e.field == field]


class NotFoundError(MuskanError):
    exit_code = 3


class TransitionError(MuskanError):
    """What the case's present state does not allow; `code` says which, stably:
    "step_not_allowed" (a lifecycle step its status does not take) or "stale_version"
    (an edit started from a version someone else has since changed)."""

    exit_code = 2

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class StorageError(MuskanError):
    """The register cannot be opened or written: missing, read-only, locked, damaged, full."""

    exit_code = 4


class DiskFullError(StorageError):
    """The disk holding the data folder (or an output file) has no room left."""

    def __init__(self, where: object = None) -> None:
        self.drive = drive_of(where) if where is not None else "the disk holding the data folder"
        super().__init__(
            f"The disk is full: nothing was saved. Free space on {self.drive} and try again."
        )


# Below this much free space a vague "disk I/O error" from SQLite (it cannot grow its -wal or
# -shm file) is a full disk too.
LOW_SPACE = 1 << 20


def drive_of(where: object) -> str:
    """The drive (Windows) or mount point (elsewhere) that holds `where`."""
    import os
    from pathlib import Path

    p = Path(str(where)).absolute()
    while not p.exists() and p != p.parent:
        p = p.parent
    if os.name == "nt":
        return p.anchor or str(p)
    while p != p.parent and not os.path.ismount(p):
        p = p.parent
    return str(p)


def low_on_space(where: object) -> bool:
    import shutil
    from pathlib import Path

    p = Path(str(where)).absolute()
    while not p.exists() and p != p.parent:
        p = p.parent
    try:
        return shutil.disk_usage(p).free < LOW_SPACE
    except OSError:
        return False


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or any(e is seen for seen in out):
            continue
        out.append(e)
        orig = getattr(e, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's error
        todo += [orig if isinstance(orig, BaseException) else None, e.__cause__, e.__context__]
    return out


def disk_full_error(exc: BaseException, where: object = None) -> DiskFullError | None:
    """A DiskFullError naming the right drive when a full disk is behind `exc`, else None."""
    if isinstance(exc, DiskFullError):
        return exc
    if not is_disk_full(exc, where):
        return None
    for e in _chain(exc):
        if isinstance(e, DiskFullError):
            return e
        if isinstance(e, OSError) and e.filename:
            return DiskFullError(e.filename)
    return DiskFullError(where)


def is_disk_full(exc: BaseException, where: object = None) -> bool:
    """Is a full disk behind `exc`? (ENOSPC/EDQUOT from the OS; SQLite's "database or disk is
    full"; or SQLite's "disk I/O error" while the disk holding `where` has next to no room.)"""
    import errno

    for e in _chain(exc):
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
            return True
        if isinstance(e, DiskFullError):
            return True
        text = str(e).lower()
        if "disk is full" in text or "no space left" in text:
            return True
        if where is not None and ("disk i/o error" in text or "unable to open" in text):
            if low_on_space(where):
                return True
    return False
