"""Push and pull as transactions: what the web routes call.

A push batch is one transaction: entries apply in order with their receipts, the device's
counter moves, and the feed numbers are taken last. A pull page is read from the feed in
number order, within the device's scope (its station and district in full; every case as a
match-index stub; every station and face embedding, with the photo hashes of cases outside the
scope replaced by pseudonyms: scope.py).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import DataError, IntegrityError

from muskan_desktop.models import Case, Station
from muskan_desktop.sync import rows

from . import feed_cursor, schema, scope
from .apply import Applier, Blocked, among, conflict_to_wire, insert_many, touch_feed
from .scope import in_scope, visible_cases
from .store import MAX_BLOB, Device, ServerStore

log = logging.getLogger(__name__)

CHILD_CASE_KEY = {
    "photos": "case_id",
    "lifecycle_events": "case_id",
    "tracing_entries": "case_id",
    "risk_assessments": "case_id",
    "face_embeddings": "case_id",
}


def push(store: ServerStore, dev: Device, entries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    now = store.clock()
    entries = sorted(entries, key=lambda e: e["seq"])
    out: list[dict[str, Any]] = []
    expected = None
    blocked = None
    with store.session() as s:
        last = int(
            s.execute(
                select(schema.devices.c.last_seq)
                .where(schema.devices.c.id == dev.id)
                .with_for_update()
            ).scalar_one()
        )
        old = [e["seq"] for e in entries if e["seq"] <= last]
        stored: dict[int, Any] = {}
        if old:
            q = select(schema.receipts.c.seq, schema.receipts.c.body).where(
                schema.receipts.c.device_id == dev.id, among(s, schema.receipts.c.seq, old)
            )
            stored = {int(q_seq): body for q_seq, body in s.execute(q)}
        try:
            with s.begin_nested():
                applier, out, new_receipts, last, expected, blocked = _run(
                    store, s, dev, now, entries, last, stored, fast=True
                )
        except (IntegrityError, DataError):
            log.info("push of device %s: redoing the batch entry by entry", dev.id)
            applier, out, new_receipts, last, expected, blocked = _run(
                store, s, dev, now, entries, last, stored, fast=False
            )
        if new_receipts:
            insert_many(s, schema.receipts, new_receipts)
        s.execute(
            update(schema.devices)
            .where(schema.devices.c.id == dev.id)
            .values(last_seq=last, last_seen_at=now)
        )
        touch_feed(s, applier.feed)
    if expected is None and entries and entries[0]["seq"] > last + 1:
        expected = last + 1
    return {"receipts": out, "last_seq": last, "expected": expected, "blocked": blocked}


def _scope(dev: Device) -> Any:
    f = schema.feed.c
    return or_(
        f.public,
        f.entity == "cases",
        f.station_id == dev.station_id,
        f.district == dev.district,
        f.station2 == dev.station_id,
        f.district2 == dev.district,
    )


def case_for(dev: Device, case: Case | Mapping[str, Any]) -> dict[str, Any]:
    """A case as this device may see it: whole in its station/district, else the index stub."""
    full = rows.row_to_wire("cases", case)
    if in_scope(dev, full["station_id"], full["district"]):
        full["_scope"] = "full"
        return full
    stub = {k: full[k] for k in rows.INDEX_FIELDS}
    stub["_scope"] = "index"
    return stub


def pull(store: ServerStore, dev: Device, after: int, limit: int) -> dict[str, Any]:
    limit = max(1, min(limit, 2000))
    with store.session() as s:
        known_to = feed_cursor.known(s, dev)
        if feed_cursor.unknown_cursor(known_to, after):
            top = int(s.scalar(select(schema.counter.c.value)) or 0)
            return {"changes": [], "deps": [], "cursor": 0, "more": True, "reset": True,
                    "server_seq": top, "applied_seq": dev.last_seq}  # fmt: skip
        feed_rows = s.execute(
            select(schema.feed)
            .where(schema.feed.c.seq > after, _scope(dev))
            .order_by(schema.feed.c.seq)
            .limit(limit)
        ).all()
        by_entity: dict[str, list[str]] = {}
        for r in feed_rows:
            if not r.deleted:
                by_entity.setdefault(r.entity, []).append(r.row_id)
        data = {e: fetch(s, dev, e, ids) for e, ids in by_entity.items()}
        changes = []
        for r in feed_rows:
            if r.deleted:
                changes.append({"seq": r.seq, "entity": r.entity, "id": r.row_id, "deleted": True})
            elif r.row_id in data[r.entity]:
                changes.append(
                    {
                        "seq": r.seq,
                        "entity": r.entity,
                        "id": r.row_id,
                        "row": data[r.entity][r.row_id],
                    }
                )
        deps = dependencies(s, dev, data)
        cursor = int(feed_rows[-1].seq) if feed_rows else after
        top = int(s.scalar(select(schema.counter.c.value)) or 0)
        feed_cursor.note(s, dev, known_to, cursor)
    return {
        "changes": changes,
        "deps": deps,
        "cursor": cursor,
        "more": len(feed_rows) == limit,
        "server_seq": top,
        "applied_seq": dev.last_seq,
    }


def fetch(s: Any, dev: Device, entity: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        if entity == "sync_conflicts":
            q = select(schema.conflicts).where(schema.conflicts.c.id.in_(chunk))
            for r in s.execute(q):
                out[r.id] = conflict_to_wire(r)
            continue
        t = rows.table(entity)
        for r in s.execute(select(t).where(t.c.id.in_(chunk))).mappings():
            out[r["id"]] = case_for(dev, r) if entity == "cases" else rows.row_to_wire(entity, r)
    if entity == "cases":
        full = [k for k, v in out.items() if v["_scope"] == "full"]
        if full:
            fv = schema.field_versions
            q = select(fv.c.case_id, fv.c.field, fv.c.version).where(fv.c.case_id.in_(full))
            for cid, f, ver in s.execute(q):
                out[cid].setdefault("_versions", {})[f] = int(ver)
        return out
    if entity in scope.PHOTO_COLUMNS:  # every station's, but no photo hash from elsewhere
        scope.hide_photos(s, dev, entity, out.values())
        if entity == "face_embeddings":
            return out
    # Rows of a case are only shown where the case is (belt and braces over the feed scope).
    if entity in CHILD_CASE_KEY or entity == "sync_conflicts":
        case_ids = {r["case_id"] for r in out.values()}
        visible = visible_cases(s, dev, case_ids)
        return {k: v for k, v in out.items() if v["case_id"] in visible}
    return out


def dependencies(s: Any, dev: Device, data: dict[str, dict[str, dict[str, Any]]]) -> list[Any]:
    """Parents of the page's rows that the page does not carry (cases, stations, matches),
    so the laptop can apply the page without breaking a foreign key."""
    have_cases = set(data.get("cases", {}))
    need_cases: set[str] = set()
    need_cands: set[str] = set()
    for entity, rowset in data.items():
        for r in rowset.values():
            if entity in CHILD_CASE_KEY:
                need_cases.add(r["case_id"])
            elif entity == "match_candidates":
                need_cases.update((r["missing_case_id"], r["found_case_id"]))
            elif entity == "match_verdicts":
                need_cands.add(r["candidate_id"])
    deps: list[Any] = []
    cands = {}
    need_cands -= set(data.get("match_candidates", {}))
    if need_cands:
        cands = fetch(s, dev, "match_candidates", sorted(need_cands))
        for r in cands.values():
            need_cases.update((r["missing_case_id"], r["found_case_id"]))
    cases = fetch(s, dev, "cases", sorted(need_cases - have_cases)) if need_cases else {}
    stations = {
        r["station_id"] for r in list(cases.values()) + list(data.get("cases", {}).values())
    }
    if stations:
        for st in s.scalars(select(Station).where(Station.id.in_(sorted(stations)))):
            deps.append(
                {"entity": "stations", "id": st.id, "row": rows.row_to_wire("stations", st)}
            )
    deps += [{"entity": "cases", "id": k, "row": v} for k, v in cases.items()]
    deps += [{"entity": "match_candidates", "id": k, "row": v} for k, v in cands.items()]
    return deps


def rows_by_id(store: ServerStore, dev: Device, entity: str, ids: list[str]) -> dict[str, Any]:
    """Current rows (as a pull shows them) for a laptop re-reading rows a pull skipped."""
    if entity not in rows.ENTITIES:
        return {"rows": [], "deps": []}
    with store.session() as s:
        got = fetch(s, dev, entity, ids[:500])
        deps = dependencies(s, dev, {entity: got})
    return {"rows": [{"entity": entity, "id": k, "row": v} for k, v in got.items()], "deps": deps}


def blob_visible(store: ServerStore, dev: Device, sha: str) -> bool:
    """May this device download the photo (scope.photo_visible)?"""
    with store.session() as s:
        return scope.photo_visible(s, dev, sha)


def missing_blobs(store: ServerStore, dev: Device, shas: Sequence[str]) -> list[str]:
    """Those of `shas` this device's station has not sent the bytes of (even where another
    station sent the same bytes): its laptop uploads them before the rows naming them."""
    have = store.station_blobs(dev.station_id, shas)
    return [x for x in shas if x not in have]


def upload_many(
    store: ServerStore, dev: Device, blobs: Sequence[tuple[str, bytes]]
) -> dict[str, Any]:
    """Many small photos in one request (most are a few hundred kB): each is re-hashed, and
    all are stored with their records, credited to the device's station, in one
    transaction."""
    good, refused = [], []
    for sha, data in blobs:
        if hashlib.sha256(data).hexdigest() != sha or not 0 < len(data) <= MAX_BLOB:
            refused.append(sha)
        else:
            good.append((sha, data))
    store.put_blobs(good, dev.station_id, dev.id)
    return {"stored": [x for x, _ in good], "refused": refused}


def _part(store: ServerStore, dev: Device, sha: str) -> Any:
    """Where a photo arriving in chunks waits (one per station: two stations may send the
    same bytes at once, and each must send them all)."""
    return store.upload_dir / f"{sha}-{dev.station_id}.part"


def upload_chunk(
    store: ServerStore, dev: Device, sha: str, offset: int, total: int, chunk: bytes
) -> dict[str, Any]:
    """Append a chunk of a photo; the server re-hashes the whole file before accepting it.
    An upload cut off resumes from what arrived (`received`). A photo another station sent
    is received in full all the same: only its bytes make it this station's."""
    if store.station_blobs(dev.station_id, [sha]):
        return {"received": total, "complete": True}
    if total > MAX_BLOB or total <= 0:
        raise ValueError("a photo must be between 1 byte and 30 MB")
    part = _part(store, dev, sha)
    have = part.stat().st_size if part.exists() else 0
    if offset != have:
        return {"received": have, "complete": False, "error": "offset"}
    if have + len(chunk) > total:
        part.unlink(missing_ok=True)
        raise ValueError("more bytes than announced; upload discarded")
    with part.open("ab") as fh:
        fh.write(chunk)
        fh.flush()
    have += len(chunk)
    if have < total:
        return {"received": have, "complete": False}
    data = part.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha:
        part.unlink(missing_ok=True)
        raise ValueError("the photo's bytes do not match its SHA-256; upload discarded")
    store.put_blobs([(sha, data)], dev.station_id, dev.id)
    part.unlink(missing_ok=True)
    return {"received": total, "complete": True}


def upload_status(store: ServerStore, dev: Device, sha: str) -> dict[str, Any]:
    if store.station_blobs(dev.station_id, [sha]):
        return {"received": None, "complete": True}
    part = _part(store, dev, sha)
    return {"received": part.stat().st_size if part.exists() else 0, "complete": False}


def _run(
    store: ServerStore,
    s: Any,
    dev: Device,
    now: Any,
    entries: Sequence[Mapping[str, Any]],
    last: int,
    stored: dict[int, Any],
    *,
    fast: bool,
) -> tuple[Applier, list[Any], list[dict[str, Any]], int, int | None, dict[str, Any] | None]:
    applier = Applier(store, s, dev, now, fast=fast)
    if fast:
        applier.prefetch([e for e in entries if e["seq"] > last])
    out: list[Any] = []
    expected = None
    blocked = None
    new_receipts = []
    for e in entries:
        seq = e["seq"]
        if seq <= last:
            if seq in stored:
                out.append(stored[seq])
            continue
        if seq != last + 1:
            expected = last + 1
            break
        try:
            body = applier.apply(e)
        except Blocked as b:
            blocked = {"seq": seq, "sha256": b.sha}
            break
        new_receipts.append(
            {"device_id": dev.id, "seq": seq, "status": body["status"], "body": body}
        )
        out.append(body)
        last = seq
    applier.flush()
    return applier, out, new_receipts, last, expected, blocked
