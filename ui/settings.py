"""Typed settings in one place, with defaults; window geometry is kept apart from preferences."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path


@dataclass
class Preferences:
    language: str = "en"  # "en" or "hi"
    page_size: int = 200


class SettingsStore:
    """settings.json (preferences) and window.json (geometry) in the data folder."""

    def __init__(self, home: Path) -> None:
        self.home = home

    def _read(self, name: str) -> dict[str, object]:
        try:
            data = json.loads((self.home / name).read_text("utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _write(self, name: str, data: dict[str, object]) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        tmp = self.home / f".{name}.tmp"
        tmp.write_text(json.dumps(data, indent=1), "utf-8")
        os.replace(tmp, self.home / name)

    def load(self) -> Preferences:
        raw = self._read("settings.json")
        known = {f.name: raw[f.name] for f in fields(Preferences) if f.name in raw}
        prefs = Preferences(**known)  # type: ignore[arg-type]
        if prefs.language not in ("en", "hi"):
            prefs.language = "en"
        return prefs

    def save(self, prefs: Preferences) -> None:
        self._write("settings.json", asdict(prefs))

    def geometry(self) -> str | None:
        value = self._read("window.json").get("geometry")
        return value if isinstance(value, str) else None

    def save_geometry(self, hex_state: str) -> None:
        self._write("window.json", {"geometry": hex_state})
