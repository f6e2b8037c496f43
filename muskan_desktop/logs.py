"""Log files: technical events only. Never names, phone numbers or photos (JJ Act, POCSO)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path


def log_file(home: Path) -> Path:
    return home / "logs" / "muskan.log"


def setup_file_logging(home: Path, level: int = logging.INFO) -> Path:
    path = log_file(home)
    root = logging.getLogger()
    if any(getattr(h, "muskan_home", None) == home for h in root.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        # a read-only or full data folder: the command still runs and says what is wrong
        # with the register itself; only the technical log is missing
        return path
    handler.muskan_home = home  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
