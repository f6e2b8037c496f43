"""Rows on the wire: which tables sync, in what order, and how a row becomes JSON and back.

Both ends use this, so the laptop and the server agree on types (dates as ISO text, vectors
as base64) without a second schema.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, cast

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, LargeBinary, Table
from sqlalchemy.types import JSON

from muskan_desktop.models import (
    Case,
    FaceEmbedding,
    LifecycleEvent,
    MatchCandidate,
    MatchVerdict,
    Photo,
    RiskAssessment,
    Station,
    TracingEntry,
)

# Synced tables, parents first: a page or a push applied in this order never breaks a
# foreign key.
ENTITIES: dict[str, Any] = {
    "stations": Station,
    "cases": Case,
    "photos": Photo,
    "lifecycle_events": LifecycleEvent,
    "tracing_entries": TracingEntry,
    "risk_assessments": RiskAssessment,
    "face_embeddings": FaceEmbedding,
    "match_candidates": MatchCandidate,
    "match_verdicts": MatchVerdict,
}
ORDER = {name: i for i, name in enumerate(ENTITIES)}
MODEL_ENTITY = {model: name for name, model in ENTITIES.items()}

# Columns that only mean something on one machine and never travel.
LOCAL_ONLY = {"face_embeddings": {"seq"}}
# Case columns the server keeps itself (never merged field by field).
CASE_BOOKKEEPING = frozenset(
    {"id", "kind", "station_id", "district", "created_at", "created_by", "version"}
)
CASE_META = frozenset({"updated_at", "updated_by"})
# Append-only tables: a row is inserted once and never changed (concurrent inserts union).
APPEND_ONLY = frozenset(
    {"photos", "lifecycle_events", "tracing_entries", "risk_assessments", "match_verdicts"}
)
# What every station may see of a case outside its district: enough to rank a face match
# and to ask the owning station, nothing that names or locates the child or the family.
INDEX_FIELDS = (
    "id",
    "kind",
    "status",
    "station_id",
    "district",
    "reported_on",
    "sex",
    "date_of_birth",
    "age_years",
    "age_is_estimate",
    "last_seen_on",
    "found_on",
    "located_state",
    "created_at",
    "updated_at",
    "version",
)
STUB_NAME = "sync:index"  # created_by/updated_by of a match-index stub on a laptop


def table(entity: str) -> Table:
    return cast(Table, ENTITIES[entity].__table__)


def columns(entity: str) -> list[str]:
    skip = LOCAL_ONLY.get(entity, set())
    return [c.key for c in table(entity).columns if c.key not in skip]


def to_wire(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def row_to_wire(entity: str, row: Mapping[str, Any] | Any) -> dict[str, Any]:
    get = row.get if isinstance(row, Mapping) else (lambda k: getattr(row, k))
    return {k: to_wire(get(k)) for k in columns(entity)}


class BadValue(ValueError):
    """A value on the wire that does not fit its column."""


def _text(key: str, length: int | None) -> Callable[[Any], Any]:
    def conv(value: Any) -> Any:
        if not isinstance(value, str):
            raise BadValue(f"{key} must be text")
        if length is not None and len(value) > length:
            raise BadValue(f"{key} is longer than {length} characters")
        if "\x00" in value:
            raise BadValue(f"{key} holds a NUL character")
        return value

    return conv


def _integer(key: str) -> Callable[[Any], Any]:
    def conv(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadValue(f"{key} must be a whole number")
        if abs(value) > 2**31:
            raise BadValue(f"{key} is out of range")
        return value

    return conv


def _float(key: str) -> Callable[[Any], Any]:
    def conv(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BadValue(f"{key} must be a number")
        return float(value)

    return conv


def _boolean(key: str) -> Callable[[Any], Any]:
    def conv(value: Any) -> Any:
        if not isinstance(value, bool):
            raise BadValue(f"{key} must be true or false")
        return value

    return conv


def _converter(key: str, t: Any) -> Callable[[Any], Any]:
    if isinstance(t, DateTime):
        return lambda v: dt.datetime.fromisoformat(str(v)).replace(tzinfo=None)
    if isinstance(t, Date):
        return lambda v: dt.date.fromisoformat(str(v))
    if isinstance(t, LargeBinary):
        return lambda v: base64.b64decode(str(v), validate=True)
    if isinstance(t, Boolean):
        return _boolean(key)
    if isinstance(t, Integer):
        return _integer(key)
    if isinstance(t, Float):
        return _float(key)
    if isinstance(t, JSON):
        return lambda v: v
    return _text(key, getattr(t, "length", None))


@cache
def _converters(entity: str) -> dict[str, tuple[Callable[[Any], Any], bool]]:
    skip = LOCAL_ONLY.get(entity, set())
    return {
        c.key: (_converter(c.key, c.type), bool(c.nullable or c.primary_key))
        for c in table(entity).columns
        if c.key not in skip
    }


@cache
def _required(entity: str) -> tuple[str, ...]:
    skip = LOCAL_ONLY.get(entity, set())
    return tuple(
        c.key
        for c in table(entity).columns
        if c.key not in skip and not c.nullable and c.default is None and not c.primary_key
    )


def from_wire(entity: str, key: str, value: Any) -> Any:
    return _convert(_converters(entity), entity, key, value)


def _convert(
    convs: dict[str, tuple[Callable[[Any], Any], bool]], entity: str, key: str, value: Any
) -> Any:
    conv = convs.get(key)
    if conv is None:
        raise BadValue(f"{entity} has no field {key!r}")
    if value is None:
        if not conv[1]:
            raise BadValue(f"{key} may not be empty")
        return None
    try:
        return conv[0](value)
    except BadValue:
        raise
    except (TypeError, ValueError) as exc:
        raise BadValue(f"{key}: {exc}") from None


def row_from_wire(entity: str, data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise BadValue("a row must be an object")
    convs = _converters(entity)  # (looked up once a row: a server applies thousands)
    out = {k: _convert(convs, entity, k, v) for k, v in data.items()}
    for k in _required(entity):
        if k not in out:
            raise BadValue(f"{entity}: {k} is missing")
    if not out.get("id"):
        raise BadValue(f"{entity}: id is missing")
    return out
