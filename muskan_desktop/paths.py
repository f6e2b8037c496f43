"""Where things live: the data folder and the files shipped with the app."""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

APP_NAME = "MuskanDesktop"
DB_FILENAME = "muskan.db"


def data_home(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: --home, else MUSKAN_HOME, else the per-user data folder."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get("MUSKAN_HOME")
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


@cache
def install_root() -> Path:
    """The folder holding `resources/` and `db/`: the source tree, a frozen bundle or a wheel."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    source = Path(__file__).resolve().parent.parent
    if (source / "db" / "env.py").exists():
        return source
    return Path(__file__).resolve().parent / "_bundled"


def resource(*parts: str) -> Path:
    return install_root().joinpath("resources", *parts)


def migrations_dir() -> Path:
    return install_root() / "db"
