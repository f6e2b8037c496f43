"""What the register is filtered by: plain data, importable without the database layer
(the window builds one on every keystroke before SQLAlchemy has even loaded)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class CaseFilter:
    kind: str | None = None
    status: list[str] = field(default_factory=list)
    district: str | None = None
    station_id: str | None = None
    station_code: str | None = None  # the pick-list code (places.py), for the window
    sex: str | None = None
    age_band: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    name: str | None = None
    any_token: bool = False  # duplicate check: all tokens; typed search: all tokens too
    order_by: str = "reported_on"
    descending: bool = True
    limit: int | None = None
    offset: int = 0
