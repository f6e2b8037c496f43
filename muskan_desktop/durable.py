"""Writing files so that a crash, a kill or a power cut leaves either the old file or the
new one, never half of one: write beside, fsync, rename, fsync the folder."""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """Make a folder's new or renamed entries durable."""
    if os.name == "nt":  # Windows cannot open a folder; NTFS journals the rename itself
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_dir(folder: Path) -> None:
    """Create `folder` (and missing parents), making each new entry durable in its parent."""
    if folder.is_dir():
        return
    ensure_dir(folder.parent)
    with suppress(FileExistsError):
        folder.mkdir()
    fsync_dir(folder.parent)


def atomic_write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(target.parent)
