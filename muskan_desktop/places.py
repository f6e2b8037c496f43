"""The pick-lists: Surguja range districts and their stations, India's states (both scripts)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .paths import resource


@dataclass(frozen=True)
class PlaceName:
    en: str
    hi: str


@dataclass(frozen=True)
class StationInfo:
    code: str
    name: PlaceName
    subdivision: PlaceName
    district: PlaceName
    range: PlaceName
    state: PlaceName


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource("data", "places.json").read_text("utf-8"))
    return data


def slug(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "-", text.upper()).strip("-")


@cache
def stations() -> tuple[StationInfo, ...]:
    """Stations of the range: one per town in places.json (illustrative, not official).

    Subdivisions group a district's towns three at a time, each named after its first town.
    """
    d = _data()
    state = PlaceName(d["state"]["en"], d["state"]["hi"])
    rng = PlaceName(d["range"]["en"], d["range"]["hi"])
    out = []
    for dist in d["surguja_range_districts"]:
        district = PlaceName(dist["en"], dist["hi"])
        towns = dist["towns"]
        for i, (en, hi) in enumerate(towns):
            sub_en, sub_hi = towns[(i // 3) * 3]
            out.append(
                StationInfo(
                    code=f"{slug(dist['en'])[:12]}-{slug(en)}",
                    name=PlaceName(en, hi),
                    subdivision=PlaceName(sub_en, sub_hi),
                    district=district,
                    range=rng,
                    state=state,
                )
            )
    return tuple(out)


@cache
def districts() -> tuple[PlaceName, ...]:
    return tuple(PlaceName(x["en"], x["hi"]) for x in _data()["surguja_range_districts"])


@cache
def states() -> tuple[PlaceName, ...]:
    return tuple(PlaceName(en, hi) for en, hi in _data()["states_and_union_territories"])


def home_state() -> PlaceName:
    s = _data()["state"]
    return PlaceName(s["en"], s["hi"])


def _match(text: str, options: tuple[PlaceName, ...]) -> PlaceName | None:
    t = text.strip().casefold()
    for p in options:
        if t in (p.en.casefold(), p.hi):
            return p
    return None


def find_district(text: str) -> PlaceName | None:
    return _match(text, districts())


def find_state(text: str) -> PlaceName | None:
    return _match(text, states())


def find_station(name: str, district: str | None = None) -> list[StationInfo]:
    t = name.strip().casefold()
    hits = [
        s
        for s in stations()
        if t in (s.name.en.casefold(), s.name.hi, s.code.casefold())
        and (district is None or find_district(district) == s.district)
    ]
    return hits
