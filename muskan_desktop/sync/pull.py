"""Applying the server's rows on the laptop: a page and the cursor in one SQLite transaction.

Fields with a local edit still in the outbox are not overwritten (the row is re-read once
that edit is delivered); a case outside the station's district arrives as a match-index
stub and never overwrites a full local record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from muskan_desktop.models import Meta, NameKey
from muskan_desktop.names import name_keys

from . import rows
from .outbox import APPLYING
from .tables import conflicts, field_versions, outbox, refetch, remote_cases

CURSOR_KEY = "sync_cursor"
# Counts the times the server asked this laptop to read its feed again from the start
# (after a restore from a backup). A cursor never moves back within one epoch.
EPOCH_KEY = "sync_feed_epoch"
NAME_FIELDS = ("name_latin", "name_deva", "aliases")
CASE_REF = {
    "photos": "case_id",
    "lifecycle_events": "case_id",
    "tracing_entries": "case_id",
    "risk_assessments": "case_id",
    "face_embeddings": "case_id",
}
UNIQUE_KEYS = {
    "photos": ("case_id", "sha256"),
    "face_embeddings": ("photo_sha256", "case_id", "model"),
    "match_candidates": ("missing_photo_sha", "found_photo_sha"),
}


class BadPage(ValueError):
    """The server answered something that is not a page of rows."""


def get_cursor(conn: Connection) -> int:
    v = conn.scalar(select(Meta.value).where(Meta.key == CURSOR_KEY))
    return int(v) if v else 0


def get_epoch(conn: Connection) -> int:
    v = conn.scalar(select(Meta.value).where(Meta.key == EPOCH_KEY))
    return int(v) if v else 0


def restart_feed(db: Any, old_cursor: int) -> bool:
    """The server does not know this laptop's cursor (it was restored from a backup, so its
    numbers run again below it): read the feed from the start. Rows already held are
    upserted again; fields with pending local edits stay protected as in any pull."""
    with db.write() as s:
        conn = s.connection()
        if get_cursor(conn) != old_cursor:
            return False  # another sync already moved the cursor; ask again from there
        set_meta(conn, EPOCH_KEY, str(get_epoch(conn) + 1))
        set_meta(conn, CURSOR_KEY, "0")
    return True


def lost_by_server(db: Any, applied_seq: Any, offset: int) -> int | None:
    """The first local entry the server says it never applied although it answered it
    (restored from a backup): delivery must start again there. None when all is held."""
    if not isinstance(applied_seq, int) or isinstance(applied_seq, bool) or applied_seq < 0:
        return None
    with db.read() as s:
        top = s.scalar(select(func.max(outbox.c.seq)).where(outbox.c.state != "pending"))
    if top is None or int(top) <= applied_seq + offset:
        return None
    return applied_seq + offset + 1


def set_meta(conn: Connection, key: str, value: str) -> None:
    stmt = sqlite_insert(cast(Table, Meta.__table__)).values(key=key, value=value)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def pending_fields(conn: Connection, entity: str, ids: Iterable[str]) -> dict[str, set[str]]:
    """Per row: the fields a pending local entry changes ("*" for a pending insert)."""
    ids = list(ids)
    out: dict[str, set[str]] = {}
    for i in range(0, len(ids), 500):
        q = select(outbox.c.row_id, outbox.c.op, outbox.c.data).where(
            outbox.c.state == "pending",
            outbox.c.entity == entity,
            outbox.c.row_id.in_(ids[i : i + 500]),
        )
        for rid, op, data in conn.execute(q):
            s = out.setdefault(rid, set())
            if op == "insert":
                s.add("*")
            else:
                s.update(k for k in data if k not in rows.CASE_META)
    return out


def apply_page(db: Any, page: Mapping[str, Any], old_cursor: int) -> int:
    """Apply one page and move the cursor with it; returns the new cursor."""
    changes = _items(page.get("changes"))
    deps = _items(page.get("deps"))
    cursor = page.get("cursor")
    if not isinstance(cursor, int) or isinstance(cursor, bool) or cursor < 0:
        raise BadPage("the page has no valid cursor")
    with db.write() as s:
        s.info[APPLYING] = True
        conn = s.connection()
        if get_cursor(conn) != old_cursor:
            return get_cursor(conn)  # another sync moved on meanwhile; re-read from there
        apply_rows(conn, deps + changes)
        set_meta(conn, CURSOR_KEY, str(max(old_cursor, cursor)))  # a cursor never moves back
    return max(old_cursor, cursor)


def _items(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        raise BadPage("the page's rows are not a list of records")
    for x in value:
        ent = x.get("entity")
        if ent not in rows.ENTITIES and ent != "sync_conflicts":
            raise BadPage(f"unknown kind of record {ent!r}")
        if not isinstance(x.get("id"), str):
            raise BadPage("a record without an id")
        if not x.get("deleted") and not isinstance(x.get("row"), dict):
            raise BadPage("a record without its fields")
    return value


def apply_rows(conn: Connection, items: Sequence[Mapping[str, Any]]) -> None:
    ordered = sorted(
        items, key=lambda x: rows.ORDER.get(x["entity"], len(rows.ORDER))
    )  # stable: within an entity, feed order
    by_entity: dict[str, list[Mapping[str, Any]]] = {}
    for it in ordered:
        by_entity.setdefault(it["entity"], []).append(it)
    for entity, group in by_entity.items():
        if entity == "stations":
            _stations(conn, group)
        elif entity == "cases":
            _cases(conn, group)
        elif entity == "sync_conflicts":
            _conflicts(conn, group)
        else:
            _children(conn, entity, group)


def _stations(conn: Connection, group: Sequence[Mapping[str, Any]]) -> None:
    t = rows.table("stations")
    for it in group:
        row = rows.row_from_wire("stations", it["row"])
        known = conn.scalar(select(t.c.id).where((t.c.id == row["id"]) | (t.c.code == row["code"])))
        if known is None:
            conn.execute(insert(t), [row])


def _cases(conn: Connection, group: Sequence[Mapping[str, Any]]) -> None:
    """Insert or update a page's cases with a few statements, touching only what changed."""
    t = rows.table("cases")
    ids = [it["id"] for it in group]
    pending = pending_fields(conn, "cases", ids)
    existing: dict[str, Any] = {
        r["id"]: r for r in conn.execute(select(t).where(t.c.id.in_(ids))).mappings()
    }
    stubs = set(conn.scalars(select(remote_cases.c.case_id).where(remote_cases.c.case_id.in_(ids))))
    inserts: list[dict[str, Any]] = []
    new_stubs: list[dict[str, Any]] = []
    unstub: list[str] = []
    rekey: dict[str, tuple[Any, ...]] = {}
    versions: list[dict[str, Any]] = []
    again: list[dict[str, Any]] = []
    for it in group:
        wire = dict(it["row"])
        scope = wire.pop("_scope", "full")
        vers = wire.pop("_versions", {}) or {}
        row = rows.row_from_wire("cases", wire) if scope == "full" else _stub(wire)
        rid = row["id"]
        local = existing.get(rid)
        if scope == "index" and local is not None and rid not in stubs:
            continue  # never overwrite a full local record with the stub
        skip = pending.get(rid, set()) if scope == "full" else set()
        if local is None:
            inserts.append(row)
            existing[rid] = row
            if scope == "index":
                new_stubs.append({"case_id": rid})
                stubs.add(rid)
            else:
                rekey[rid] = tuple(row.get(f) for f in NAME_FIELDS)
        else:
            values = {} if "*" in skip else {k: v for k, v in row.items() if k not in skip}
            diff = {k: v for k, v in values.items() if local.get(k) != v}
            if diff:
                conn.execute(update(t).where(t.c.id == rid).values(**diff))
                if any(f in diff for f in NAME_FIELDS):
                    merged = {**dict(local), **diff}
                    rekey[rid] = tuple(merged.get(f) for f in NAME_FIELDS)
            if skip:
                again.append({"entity": "cases", "row_id": rid})
            if scope == "full" and rid in stubs:
                unstub.append(rid)
                rekey[rid] = tuple({**dict(local), **values}.get(f) for f in NAME_FIELDS)
        for f, v in vers.items():
            if isinstance(v, int) and not isinstance(v, bool):
                versions.append({"case_id": rid, "field": str(f), "version": v})
    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for r in inserts:
        shapes.setdefault(tuple(sorted(r)), []).append(r)
    for batch in shapes.values():
        conn.execute(insert(t), batch)
    if new_stubs:
        conn.execute(insert(remote_cases), new_stubs)
    if unstub:
        conn.execute(delete(remote_cases).where(remote_cases.c.case_id.in_(unstub)))
    if again:
        conn.execute(sqlite_insert(refetch).on_conflict_do_nothing(), again)
    if rekey:
        nk = cast(Table, NameKey.__table__)
        conn.execute(delete(nk).where(nk.c.case_id.in_(list(rekey))))
        keys = [
            {"case_id": cid, "key": k} for cid, names in rekey.items() for k in name_keys(*names)
        ]
        if keys:
            conn.execute(sqlite_insert(nk).on_conflict_do_nothing(), keys)
    if versions:
        stmt = sqlite_insert(field_versions)
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["case_id", "field"], set_={"version": stmt.excluded.version}
            ),
            versions,
        )


def _stub(wire: Mapping[str, Any]) -> dict[str, Any]:
    data = {k: wire.get(k) for k in rows.INDEX_FIELDS if k in wire}
    row = {k: rows.from_wire("cases", k, v) for k, v in data.items() if v is not None}
    row.setdefault("created_at", dt.datetime(2000, 1, 1))
    row.setdefault("updated_at", row["created_at"])
    row["created_by"] = row["updated_by"] = rows.STUB_NAME
    row.setdefault("reported_on", dt.date(2000, 1, 1))
    row.setdefault("version", 1)
    for k in ("id", "kind", "status", "station_id", "district", "sex"):
        if k not in row:
            raise BadPage(f"a match-index record without {k}")
    return row


def _children(conn: Connection, entity: str, group: Sequence[Mapping[str, Any]]) -> None:
    t = rows.table(entity)
    cases_t = rows.table("cases")
    deleted = [it["id"] for it in group if it.get("deleted")]
    if deleted:
        conn.execute(delete(t).where(t.c.id.in_(deleted)))
    live = [rows.row_from_wire(entity, it["row"]) for it in group if not it.get("deleted")]
    if not live:
        return
    need = set()
    for r in live:
        if entity in CASE_REF:
            need.add(r["case_id"])
        elif entity == "match_candidates":
            need.update((r["missing_case_id"], r["found_case_id"]))
    have = (
        set(conn.scalars(select(cases_t.c.id).where(cases_t.c.id.in_(list(need)))))
        if need
        else set()
    )
    cands: set[str] = set()
    if entity == "match_verdicts":
        ct = rows.table("match_candidates")
        ids = [r["candidate_id"] for r in live]
        cands = set(conn.scalars(select(ct.c.id).where(ct.c.id.in_(ids))))
    for r in live:
        if entity in CASE_REF and r["case_id"] not in have:
            continue
        if entity == "match_candidates" and not {r["missing_case_id"], r["found_case_id"]} <= have:
            continue
        if entity == "match_verdicts" and r["candidate_id"] not in cands:
            continue
        if entity == "match_candidates":
            exists = conn.scalar(select(t.c.id).where(t.c.id == r["id"]))
            if exists:
                conn.execute(update(t).where(t.c.id == r["id"]).values(status=r["status"]))
                continue
        stmt = sqlite_insert(t).values(**r).on_conflict_do_nothing()
        conn.execute(stmt)


def _conflicts(conn: Connection, group: Sequence[Mapping[str, Any]]) -> None:
    for it in group:
        raw = it["row"]
        row = {
            "id": it["id"],
            "case_id": str(raw.get("case_id")),
            "field": str(raw.get("field")),
            "kept": raw.get("kept"),
            "lost": raw.get("lost"),
            "kept_by": raw.get("kept_by"),
            "lost_by": raw.get("lost_by"),
            "at": _dt(raw.get("at")),
            "resolved_at": _dt(raw.get("resolved_at")),
            "resolved_by": raw.get("resolved_by"),
            "resolution": raw.get("resolution"),
        }
        stmt = sqlite_insert(conflicts).values(**row)
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["id"],
                set_={k: row[k] for k in ("resolved_at", "resolved_by", "resolution")},
            )
        )


def _dt(v: Any) -> dt.datetime | None:
    if not v:
        return None
    try:
        return dt.datetime.fromisoformat(str(v)).replace(tzinfo=None)
    except ValueError:
        return None
