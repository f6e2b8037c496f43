"""Applying pushed entries and serving the change feed: the heart of the sync protocol.

Push: a device's entries apply strictly in order in one transaction with their receipts and
the device's counter; a retried entry gets its stored receipt back; an entry past a gap is
refused. Every applied change takes the next feed number from a single-row counter, taken
last in the transaction so the lock is short and numbering order is commit order.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ARRAY,
    JSON,
    ColumnElement,
    Table,
    any_,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session, noload

from muskan_desktop.cases import (
    LIFECYCLE_FIELDS,
    clean_risk_assessment,
    clean_step_details,
    clean_tracing_entry,
)
from muskan_desktop.domain import Kind, Sex, Status, allowed_actions
from muskan_desktop.errors import ValidationError
from muskan_desktop.ids import new_id
from muskan_desktop.models import Case, FaceEmbedding, MatchCandidate, Photo, Station
from muskan_desktop.roles import Action
from muskan_desktop.sync import rows
from muskan_desktop.validation import FIELDS, clean_case

from . import schema
from .scope import real_photo
from .store import Device, ServerStore

log = logging.getLogger(__name__)
# The server never needs a case's lifecycle list when it applies changes (Case.events is
# eagerly loaded for the desktop's case view).
NOLOAD = [noload(Case.events), noload(Case.station)]

# Status only moves forward: a stale edit never takes a restored child back to missing.
STATUS_RANK = {
    "missing": 0,
    "registered": 0,
    "traced": 1,
    "identified": 1,
    "recovered": 2,
    "restored": 3,
    "closed": 3,
}
EDITABLE_CASE_FIELDS = frozenset(rows.columns("cases")) - rows.CASE_BOOKKEEPING - rows.CASE_META
# Inserts the fast path batches (the rest flush pending rows first and go one by one).
FAST_ENTITIES = frozenset(
    {
        "stations",
        "cases",
        "photos",
        "lifecycle_events",
        "tracing_entries",
        "risk_assessments",
        "face_embeddings",
    }
)
# A laptop's clock may run ahead of the server's (SYNC.md plans for skews of +-30 days, and a
# client clock must never be why an officer's work is refused): dates up to the server's
# today plus this slack pass the register's "not in the future" rule; a 2099 date does not.
CLOCK_SLACK = dt.timedelta(days=31)
CHILD_RULES = frozenset({"lifecycle_events", "tracing_entries", "risk_assessments"})
AUDIT = "audit_events"  # not a synced table: the server's own append-only trail
OPS = {
    "insert": Action.CREATE,
    "update": Action.EDIT,
    "delete": Action.EDIT,
    "resolve": Action.EDIT,
}


class Reject(Exception):
    """A permanent refusal: the entry gets a rejected receipt the officer sees."""


class Blocked(Exception):
    """The entry needs a photo the server does not have yet: the client uploads it first."""

    def __init__(self, sha: str) -> None:
        super().__init__(sha)
        self.sha = sha


FeedItem = dict[str, Any]


def touch_feed(s: Session, items: Iterable[tuple[Any, ...] | FeedItem]) -> None:
    """Give each changed row the next feed number (the counter row is locked until commit)."""
    norm: dict[tuple[str, str], FeedItem] = {}
    for it in items:
        if not isinstance(it, dict):
            entity, rid, public, st1, d1, st2, d2 = it
            it = {
                "entity": entity,
                "row_id": rid,
                "public": public,
                "station_id": st1,
                "district": d1,
                "station2": st2,
                "district2": d2,
            }
        it.setdefault("deleted", False)
        norm.pop((it["entity"], it["row_id"]), None)
        norm[(it["entity"], it["row_id"])] = it
    if not norm:
        return
    n = len(norm)
    top = s.execute(
        update(schema.counter)
        .where(schema.counter.c.id == 1)
        .values(value=schema.counter.c.value + n)
        .returning(schema.counter.c.value)
    ).scalar_one()
    first = int(top) - n + 1
    values = [dict(it, seq=first + i) for i, it in enumerate(norm.values())]
    keys = [(v["entity"], v["row_id"]) for v in values]
    # Upsert: rows already in the feed move to their new number.
    # (ids are UUIDs, unique across tables)
    s.execute(delete(schema.feed).where(among(s, schema.feed.c.row_id, [r for _, r in keys])))
    insert_many(s, schema.feed, values)


def among(s: Session, col: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`col IN (values)`; on PostgreSQL as `col = ANY(array)`, one parameter instead of
    thousands (compiling and parsing a 2,000-placeholder statement costs more than running it)."""
    vals = list(values)
    if s.get_bind().dialect.name == "postgresql":
        return col == any_(bindparam(None, vals, type_=ARRAY(col.type)))  # type: ignore[no-any-return]
    return col.in_(vals)  # type: ignore[no-any-return]


def insert_many(s: Session, table: Table, batch: Sequence[Mapping[str, Any]]) -> None:
    """Many rows of one shape: on PostgreSQL through COPY (one stream instead of a statement
    per row); elsewhere executemany. Columns a row leaves out take their Python defaults."""
    if not batch:
        return
    if s.get_bind().dialect.name != "postgresql" or len(batch) < 20:
        s.execute(insert(table), list(batch))
        return
    import psycopg
    from psycopg.types.json import Json

    keys = list(batch[0])
    cols = [table.c[k] for k in keys]
    extra = [
        c
        for c in table.columns
        if c.key not in batch[0]
        and c.default is not None
        and c.autoincrement is not True
        and c.default.is_scalar
    ]
    is_json = [isinstance(c.type, JSON) for c in cols]
    names = ", ".join(f'"{c.name}"' for c in [*cols, *extra])
    raw: Any = s.connection().connection.dbapi_connection  # psycopg's, for COPY
    sql = f'COPY "{table.name}" ({names}) FROM STDIN'
    row_of = itemgetter(*keys) if len(keys) > 1 else (lambda r: (r[keys[0]],))
    json_at = [i for i, j in enumerate(is_json) if j]
    defaults = [c.default.arg for c in extra]  # type: ignore[union-attr]
    try:
        with raw.cursor() as cur, cur.copy(sql) as copy:
            for r in batch:
                values = row_of(r)
                if json_at or defaults:
                    values = list(values)
                    for i in json_at:
                        values[i] = Json(values[i])
                    values += defaults
                copy.write_row(values)
    except psycopg.errors.IntegrityError as exc:  # as SQLAlchemy would say it: the batch
        raise IntegrityError(sql, None, exc) from exc  # is redone entry by entry
    except psycopg.errors.DataError as exc:
        raise DataError(sql, None, exc) from exc


def update_many(
    s: Session, table: Table, keys: Sequence[str], cols: Sequence[str], params: list[dict[str, Any]]
) -> None:
    """Rows of `table` found by `keys`, each given its own values of `cols` (every params
    dict holds both, under the column names). On PostgreSQL one statement joins the table
    to the values as arrays (a statement per row, even pipelined, cost several times more);
    elsewhere, and for JSON columns, executemany."""
    if not params:
        return
    names = [*keys, *cols]
    plain = not any(isinstance(table.c[n].type, JSON) for n in names)
    if s.get_bind().dialect.name != "postgresql" or len(params) < 20 or not plain:
        where = [table.c[k] == bindparam(f"k_{k}") for k in keys]
        stmt = update(table).where(*where).values({c: bindparam(f"v_{c}") for c in cols})
        binds = [(f"k_{k}", k) for k in keys] + [(f"v_{c}", c) for c in cols]
        s.execute(stmt, [{b: r[n] for b, n in binds} for r in params])
        return
    import psycopg

    dialect = s.get_bind().dialect
    arrays = [f"CAST(%s AS {table.c[n].type.compile(dialect=dialect)}[])" for n in names]
    values = [[r[n] for r in params] for n in names]
    sets = ", ".join(f'"{c}" = v."{c}"' for c in cols)
    quoted = ", ".join(f'"{n}"' for n in names)
    match = " AND ".join(f't."{k}" = v."{k}"' for k in keys)
    sql = (
        f'UPDATE "{table.name}" AS t SET {sets} FROM unnest({", ".join(arrays)}) '
        f"AS v({quoted}) WHERE {match}"
    )
    raw: Any = s.connection().connection.dbapi_connection
    try:
        with raw.cursor() as cur:
            cur.execute(sql, values)
    except psycopg.errors.IntegrityError as exc:  # (the batch is redone entry by entry)
        raise IntegrityError(sql, None, exc) from exc
    except psycopg.errors.DataError as exc:
        raise DataError(sql, None, exc) from exc


class CaseRow:
    """A case read FOR UPDATE by `Applier.prefetch`, without the ORM: attributes as on a
    `Case`, plus the columns set since the last flush (which writes them with one UPDATE
    per set of columns for the whole batch, instead of the ORM's bookkeeping per object)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.__dict__.update(values)
        self.__dict__["changed"] = set()

    def __setattr__(self, key: str, value: Any) -> None:
        self.__dict__[key] = value
        self.changed.add(key)

    def __getattr__(self, key: str) -> Any:  # (for mypy: the columns are set in __init__)
        raise AttributeError(key)


def scope_of_case(case: Case | None) -> tuple[str | None, str | None]:
    return (case.station_id, case.district) if case is not None else (None, None)


class Applier:
    """Applies one device's entries inside the caller's transaction."""

    def __init__(
        self, store: ServerStore, s: Session, dev: Device, now: dt.datetime, *, fast: bool = False
    ) -> None:
        self.store, self.s, self.dev, self.now = store, s, dev, now
        self.feed: list[FeedItem] = []
        # Fast mode (a whole batch optimistically): plain inserts are checked against caches
        # filled by `prefetch` and written together by `flush`, with one statement per table
        # instead of a round trip (and a savepoint) per entry. If anything unexpected fails,
        # the caller redoes the batch in careful mode, one savepoint per entry.
        self.fast = fast
        self.pending: dict[str, list[dict[str, Any]]] = {}
        self.known: dict[str, set[str]] = {}
        self.cases: dict[str, tuple[str, str]] = {}
        self.facts: dict[str, tuple[str, dt.date | None]] = {}  # case -> (kind, reported_on)
        self.stations: dict[str, str] = {}
        self.codes: set[str] = set()
        # photos prefetched: those stored, and those this device's station sent
        self.blobs: set[str] = set()
        self.station_blobs: set[str] = set()
        self.blobs_asked: set[str] = set()
        self.photo_keys: set[tuple[str, str]] = set()
        self.face_keys: set[tuple[str, str, str]] = set()
        # per case: field -> [version, device, actor, "db" | "new" | "dirty"]
        self.fv: dict[str, dict[str, list[Any]]] = {}
        self.locked: dict[str, CaseRow] = {}
        self.pending_ids: set[str] = set()
        self.audit_ids: set[str] = set()
        self.audit_last: dict[str, tuple[str, int] | None] = {}  # register -> (hash, seq)

    def prefetch(self, entries: Sequence[Mapping[str, Any]]) -> None:
        """One query per table for everything the batch's inserts will look up."""
        ids: dict[str, list[str]] = {}
        case_ids: set[str] = set()
        station_ids: set[str] = set()
        shas: set[str] = set()
        for e in entries:
            data = e.get("data")
            if e.get("op") != "insert" or not isinstance(data, dict):
                continue
            ids.setdefault(e.get("entity", ""), []).append(str(e.get("row_id")))
            if isinstance(data.get("case_id"), str):
                case_ids.add(data["case_id"])
            if isinstance(data.get("station_id"), str):
                station_ids.add(data["station_id"])
            if e.get("entity") == "photos" and isinstance(data.get("sha256"), str):
                shas.add(data["sha256"])
        audit = [str(e.get("row_id")) for e in entries if e.get("entity") == AUDIT]
        if audit:
            t = schema.audit_events
            self.audit_ids.update(
                self.s.scalars(select(t.c.id).where(among(self.s, t.c.id, audit)))
            )
        for entity, idl in ids.items():
            if entity in rows.ENTITIES:
                tbl = rows.table(entity)
                self.known[entity] = set(
                    self.s.scalars(select(tbl.c.id).where(among(self.s, tbl.c.id, idl)))
                )
        if case_ids:
            q = select(Case.id, Case.station_id, Case.district, Case.kind, Case.reported_on).where(
                among(self.s, Case.id, case_ids)
            )
            for cid, st, d, kind, reported in self.s.execute(q):
                self.cases[cid] = (st, d)
                self.facts[cid] = (kind, reported)
            q2 = select(Photo.case_id, Photo.sha256).where(among(self.s, Photo.case_id, case_ids))
            self.photo_keys.update((a, b) for a, b in self.s.execute(q2))
            q3 = select(FaceEmbedding.photo_sha256, FaceEmbedding.case_id, FaceEmbedding.model)
            q3 = q3.where(among(self.s, FaceEmbedding.case_id, case_ids))
            self.face_keys.update((a, b, c) for a, b, c in self.s.execute(q3))
        if station_ids:
            q4 = select(Station.id, Station.district_en).where(
                among(self.s, Station.id, station_ids)
            )
            self.stations.update({sid: d for sid, d in self.s.execute(q4)})
        self.codes.update(self.s.scalars(select(Station.code)))
        self._load_blobs(shas)
        upd = sorted(
            {
                str(e.get("row_id"))
                for e in entries
                if e.get("op") == "update" and e.get("entity") == "cases"
            }
        )
        for i in range(0, len(upd), 1000):
            chunk = upd[i : i + 1000]
            cases = rows.table("cases")
            found = self.s.execute(
                select(cases).where(among(self.s, cases.c.id, chunk)).with_for_update()
            ).mappings()
            self.locked.update({c["id"]: CaseRow(dict(c)) for c in found})
            self._load_fv(chunk)

    def _load_blobs(self, shas: Iterable[str]) -> None:
        """Which of these photos the server holds, and which this station sent, read in the
        push's own transaction (on SQLite a second session would wait for this one's write
        lock until it timed out)."""
        todo = sorted(set(shas) - self.blobs_asked)
        if todo:
            self.blobs |= self.store.has_blobs(todo, self.s)
            self.station_blobs |= self.store.station_blobs(self.dev.station_id, todo, self.s)
            self.blobs_asked.update(todo)

    def _load_fv(self, case_ids: Sequence[str]) -> None:
        fvt = schema.field_versions
        todo = [c for c in case_ids if c not in self.fv]
        for c in todo:
            self.fv[c] = {}
        if todo:
            q = select(fvt).where(among(self.s, fvt.c.case_id, todo))
            for r in self.s.execute(q):
                self.fv[r.case_id][r.field] = [r.version, r.device_id, r.actor, "db"]

    def flush(self) -> None:
        for entity in rows.ENTITIES:
            batch = self.pending.pop(entity, None)
            if not batch:
                continue
            shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for r in batch:
                shapes.setdefault(tuple(sorted(r)), []).append(r)
            for group in shapes.values():
                insert_many(self.s, rows.table(entity), group)
        insert_many(self.s, schema.audit_events, self.pending.pop(AUDIT, []))
        self.pending.clear()
        self.pending_ids.clear()
        fvt = schema.field_versions
        new, dirty = [], []
        for cid, fields in self.fv.items():
            for f, v in fields.items():
                if v[3] == "new":
                    new.append(
                        {
                            "case_id": cid,
                            "field": f,
                            "version": v[0],
                            "device_id": v[1],
                            "actor": v[2],
                        }
                    )
                elif v[3] == "dirty":
                    dirty.append(
                        {"case_id": cid, "field": f, "version": v[0], "device_id": v[1],
                         "actor": v[2]}
                    )  # fmt: skip
                v[3] = "db"
        if new:
            insert_many(self.s, fvt, new)
        self._write_locked()
        update_many(self.s, fvt, ("case_id", "field"), ("version", "device_id", "actor"), dirty)
        self.s.flush()

    def _write_locked(self) -> None:
        """Prefetched cases changed since the last flush: one UPDATE per set of columns."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in self.locked.values():
            if row.changed:
                cols = tuple(sorted(row.changed - {"id"}))
                params = {c: getattr(row, c) for c in cols}
                params["id"] = row.id
                groups.setdefault(cols, []).append(params)
                row.changed.clear()
        for cols, params_list in groups.items():
            if cols:
                update_many(self.s, rows.table("cases"), ("id",), cols, params_list)

    def apply(self, e: Mapping[str, Any]) -> dict[str, Any]:
        seq = e["seq"]
        op, entity = e.get("op"), e.get("entity")
        batched = self.fast and (
            (op == "insert" and entity in FAST_ENTITIES)
            or (op == "update" and entity == "cases")
            or entity == AUDIT
        )
        if batched and op == "update" and e.get("row_id") in self.pending_ids:
            self.flush()  # the case itself is still waiting in this batch's inserts
        if not batched:
            self.flush()  # (outside the try: a failure here is the batch's, not this entry's)
            self.fv.clear()  # careful mode re-reads versions: a rolled-back entry leaves none
        try:
            if batched:
                body = self._apply(e)
            else:
                with self.s.begin_nested():
                    body = self._apply(e)
                    self.flush()
        except Blocked:
            raise
        except Reject as exc:
            body = {"status": "rejected", "reason": str(exc)}
        except rows.BadValue as exc:
            body = {"status": "rejected", "reason": f"invalid value: {exc}"[:300]}
        except (IntegrityError, DataError) as exc:
            body = {"status": "rejected", "reason": self._db_refusal(e, exc)}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            body = {"status": "rejected", "reason": f"malformed entry ({_kind_of(exc)})"}
        except DBAPIError:
            raise  # the database is down or busy: the whole batch is retried
        except Exception:  # a bug must not wedge the queue: set it aside, visibly
            # (the traceback names the code, not the row: no locals are logged)
            log.exception("entry %s of device %s quarantined", seq, self.dev.id)
            body = {
                "status": "quarantined",
                "reason": "the server could not apply it (a fault on the server, logged for "
                "its administrator)",
            }
        body["seq"] = seq
        return body

    def _db_refusal(self, e: Mapping[str, Any], exc: DBAPIError) -> str:
        """A plain reason for a value the database refused. The driver's text (SQL, values,
        PostgreSQL's DETAIL) stays out of the receipt; the log gets what an administrator
        needs to find it: the entry, the error class and the column or constraint named."""
        orig = exc.orig
        diag = getattr(orig, "diag", None)
        column = getattr(diag, "column_name", None)
        constraint = getattr(diag, "constraint_name", None)
        sqlstate = getattr(orig, "sqlstate", None)
        log.warning(
            "entry %s of device %s refused by the database: %s (sqlstate %s, %s %s, column %s)",
            e.get("seq"),
            self.dev.id,
            type(orig).__name__,
            sqlstate,
            e.get("entity"),
            constraint,
            column,
        )
        where = f"field {column}" if column else str(e.get("entity")).replace("_", " ")
        if isinstance(exc, IntegrityError):
            return f"a value does not fit the records ({where}: it clashes with one held there)"
        return f"a value does not fit the records ({where})"

    # -- the register's own rules (validation.py, cases.py), at the server's date ----------
    def _today(self) -> dt.date:
        return (self.now + CLOCK_SLACK).date()

    def _check_case(self, values: Mapping[str, Any], existing: Any = None) -> None:
        """The laptop's rules for a case (clean_case: ranges, dates, lengths, formulas; the
        lifecycle columns as the steps check them). An edit is checked as the whole record
        it makes, as on the laptop."""
        _check_case_values(values)
        fields = {k: v for k, v in values.items() if k in FIELDS}
        steps = {k: v for k, v in values.items() if k in LIFECYCLE_FIELDS and v is not None}
        before = {k: getattr(existing, k) for k in FIELDS} if existing is not None else None
        kind = values.get("kind") if existing is None else existing.kind
        reported = (before or {}).get("reported_on")
        reported = fields.get("reported_on", reported)
        try:
            clean_case(fields, today=self._today(), partial=existing is not None, existing=before)
            if steps:
                clean_step_details(
                    Kind(str(kind)),
                    reported,
                    (),
                    tuple(steps),
                    _step_wire(steps),
                    today=self._today(),
                )
        except ValidationError as exc:
            raise Reject(_refusal(exc)) from None

    def _check_child(self, entity: str, row: Mapping[str, Any]) -> None:
        """A lifecycle step, tracing entry or risk assessment, by the laptop's own rules."""
        kind, reported = self._facts(row["case_id"])
        try:
            if entity == "lifecycle_events":
                if row.get("from_status") not in {x.value for x in Status}:
                    raise Reject("a lifecycle step must name the status it starts from")
                step = allowed_actions(Kind(kind), Status(row["from_status"])).get(row["action"])
                if step is None or step.target.value != row["to_status"]:
                    raise Reject(
                        f"the lifecycle has no step {row['action']!r} from "
                        f"{row.get('from_status')!r} to {row['to_status']!r} for a {kind} case"
                    )
                details = row.get("details")
                if not isinstance(details, dict):
                    raise Reject("a lifecycle step's details must be an object")
                clean_step_details(
                    Kind(kind), reported, step.required, step.optional, details, today=self._today()
                )
            elif entity == "tracing_entries":
                clean_tracing_entry(row["action"], row["done_on"], today=self._today())
            else:
                checklist = row.get("checklist")
                if not isinstance(checklist, list) or not all(
                    isinstance(c, str) for c in checklist
                ):
                    raise Reject("a risk checklist must be a list of items")
                if row["assessed_on"] > self._today():
                    raise Reject(f"assessed_on: {row['assessed_on']} is in the future")
                clean_risk_assessment(
                    row["level"],
                    checklist,
                    row.get("note"),
                    row["review_due"],
                    assessed_on=row["assessed_on"],
                )
        except ValidationError as exc:
            raise Reject(_refusal(exc)) from None

    def _facts(self, case_id: str) -> tuple[str, dt.date | None]:
        hit = self.facts.get(case_id)
        if hit is None:
            case = self.s.get(Case, case_id, options=NOLOAD)
            if case is None:
                raise Reject("the case is not on the server")
            hit = self.facts[case_id] = (case.kind, case.reported_on)
        return hit

    # -- per entity ---------------------------------------------------------------------------
    def _apply(self, e: Mapping[str, Any]) -> dict[str, Any]:
        entity, op, rid = e["entity"], e["op"], e["row_id"]
        data = e["data"]
        if not isinstance(data, dict):
            raise Reject("the entry carries no record")
        if entity == "audit_events":  # any officer's events are kept (even a failed login's)
            from . import audit_log

            return self._audit(e) if self.fast else audit_log.apply(self, e)
        from . import officers  # who may do what: the station's accounts on the server

        if entity == officers.ENTITY:
            return officers.apply_push(self, e)
        action = Action.VERDICT if entity == "match_verdicts" else OPS.get(op)
        if action is None:
            raise Reject(f"unknown operation {op!r}")
        action = officers.action_of(entity, op, data, action)
        officers.check_role(self, e, action)  # the entry's own "role" is never believed
        if entity == "sync_conflicts" and op == "resolve":
            return self._resolve(rid, data, e)
        if entity not in rows.ENTITIES:
            raise Reject(f"unknown kind of record {entity!r}")
        if op == "insert":
            if data.get("id") != rid:
                raise Reject("the record's id does not match the entry")
            return self._insert(entity, data, e)
        if op == "update" and entity == "cases":
            return self._update_case(rid, data, e)
        if op == "update" and entity == "match_candidates":
            return self._update_candidate(rid, data)
        if op == "delete" and entity == "face_embeddings":
            return self._delete_embedding(rid, data)
        raise Reject(f"{op} is not allowed on {entity}")

    def _own_case_id(self, case_id: Any) -> tuple[str, str]:
        """(station, district) of a case this station may add rows to; cache first."""
        if not isinstance(case_id, str):
            raise Reject("the case is not on the server")
        hit = self.cases.get(case_id)
        if hit is None:
            case = self.s.get(Case, case_id, options=NOLOAD)
            if case is None:
                raise Reject("the case is not on the server")
            hit = self.cases[case_id] = (case.station_id, case.district)
        if hit[0] != self.dev.station_id:
            raise Reject("outside jurisdiction: a station writes only its own cases")
        return hit

    def _exists(self, entity: str, rid: str) -> bool:
        known = self.known.get(entity)
        if known is not None and rid in known:
            return True
        if self.fast and known is not None:
            return False
        t = rows.table(entity)  # by the sync id (face_embeddings' primary key is local)
        return self.s.scalar(select(t.c.id).where(t.c.id == rid)) is not None

    def _own_case(self, case_id: Any, *, lock: bool = False) -> Case:
        case = (
            self.s.get(Case, case_id, with_for_update=lock, options=NOLOAD)
            if isinstance(case_id, str)
            else None
        )
        if case is None:
            raise Reject("the case is not on the server")
        if case.station_id != self.dev.station_id:
            raise Reject("outside jurisdiction: a station writes only its own cases")
        return case

    def _insert(self, entity: str, data: Mapping[str, Any], e: Mapping[str, Any]) -> dict[str, Any]:
        row = rows.row_from_wire(entity, data)
        if self._exists(entity, row["id"]):
            return {"status": "applied", "note": "already on the server"}
        feed: FeedItem = {
            "entity": entity,
            "row_id": row["id"],
            "public": False,
            "station_id": None,
            "district": None,
            "station2": None,
            "district2": None,
        }
        if entity == "stations":
            if row["code"] in self.codes or self.s.scalar(
                select(Station.id).where(Station.code == row["code"])
            ):
                return {"status": "applied", "note": "station already known"}
            self.codes.add(row["code"])
            feed["public"] = True
        elif entity == "cases":
            if row.get("station_id") != self.dev.station_id:
                raise Reject("outside jurisdiction: a station writes only its own cases")
            district = self.stations.get(row["station_id"])
            if district is None:
                st = self.s.get(Station, row["station_id"])
                if st is None:
                    raise Reject("unknown station")
                district = self.stations[st.id] = st.district_en
            self._check_case(row)
            row["version"] = 1
            row["district"] = district
            feed.update(station_id=row["station_id"], district=district)
            self.cases[row["id"]] = (row["station_id"], district)
            self.facts[row["id"]] = (row["kind"], row.get("reported_on"))
        elif entity == "match_candidates":
            a = self.s.get(Case, row["missing_case_id"], options=NOLOAD)
            b = self.s.get(Case, row["found_case_id"], options=NOLOAD)
            if a is None or b is None:
                raise Reject("a case of this match is not on the server")
            if self.dev.station_id not in (a.station_id, b.station_id):
                raise Reject("outside jurisdiction: neither case belongs to this station")
            # a laptop names a photo of a case outside its jurisdiction by its pseudonym
            row["missing_photo_sha"] = real_photo(self.s, self.dev, a, row["missing_photo_sha"])
            row["found_photo_sha"] = real_photo(self.s, self.dev, b, row["found_photo_sha"])
            dup = self.s.scalar(
                select(MatchCandidate.id).where(
                    MatchCandidate.missing_photo_sha == row["missing_photo_sha"],
                    MatchCandidate.found_photo_sha == row["found_photo_sha"],
                )
            )
            if dup:
                return {
                    "status": "applied",
                    "note": "this match is already on the server",
                    "same_as": dup,
                }
            feed.update(
                station_id=a.station_id,
                district=a.district,
                station2=b.station_id,
                district2=b.district,
            )
        elif entity == "match_verdicts":
            cand = self.s.get(MatchCandidate, row["candidate_id"])
            if cand is None:
                raise Reject("the match is not on the server")
            a, b = (
                self.s.get(Case, cand.missing_case_id, options=NOLOAD),
                self.s.get(Case, cand.found_case_id, options=NOLOAD),
            )
            if self.dev.station_id not in (
                getattr(a, "station_id", None),
                getattr(b, "station_id", None),
            ):
                raise Reject("outside jurisdiction: neither case belongs to this station")
            feed.update(
                station_id=a and a.station_id,
                district=a and a.district,
                station2=b and b.station_id,
                district2=b and b.district,
            )
        else:
            station, district = self._own_case_id(row.get("case_id"))
            feed.update(station_id=station, district=district)
            if entity in CHILD_RULES:
                self._check_child(entity, row)
            if entity == "photos":
                key = (row["case_id"], row["sha256"])
                if key in self.photo_keys or (
                    not self.fast
                    and self.s.scalar(
                        select(Photo.id).where(Photo.case_id == key[0], Photo.sha256 == key[1])
                    )
                ):
                    return {"status": "applied", "note": "photo already on the server"}
                if e.get("blob") == "unavailable":
                    raise Reject("the photo file is missing or damaged on the laptop")
                self._load_blobs([row["sha256"]])
                if row["sha256"] not in self.station_blobs:
                    if row["sha256"] in self.blobs:  # (knowing a photo's hash is not holding it)
                        raise Reject("the photo was not uploaded from this station")
                    raise Blocked(row["sha256"])
                self.photo_keys.add(key)
            if entity == "face_embeddings":
                row.pop("seq", None)
                fkey = (row["photo_sha256"], row["case_id"], row["model"])
                if fkey in self.face_keys or (
                    not self.fast
                    and self.s.scalar(
                        select(FaceEmbedding.id).where(
                            FaceEmbedding.photo_sha256 == fkey[0],
                            FaceEmbedding.case_id == fkey[1],
                            FaceEmbedding.model == fkey[2],
                        )
                    )
                ):
                    return {"status": "applied", "note": "face already on the server"}
                self.face_keys.add(fkey)
                feed["public"] = True  # the match index: every station pulls embeddings
        self.pending.setdefault(entity, []).append(row)
        self.pending_ids.add(row["id"])
        self.known.setdefault(entity, set()).add(row["id"])
        self.feed.append(feed)
        return {"status": "applied"}

    def _audit(self, e: Mapping[str, Any]) -> dict[str, Any]:
        """audit_log.apply for a batch: the same checks and the same row, but the ids held
        come from `prefetch`, each laptop's chain end is read once and then followed in
        memory, and the rows go in with the batch's other inserts."""
        from . import audit_log

        if e.get("op") != "insert":
            raise Reject("audit events are only ever added, never changed or deleted")
        d, at = audit_log._parse(e["data"])
        if d["id"] != e.get("row_id"):
            raise Reject("the record's id does not match the entry")
        if d["id"] in self.audit_ids:
            return {"status": "applied", "note": "already on the server"}
        t = schema.audit_events
        reg = d["device"]
        if reg not in self.audit_last:
            last = self.s.execute(
                select(t.c.hash, t.c.local_seq)
                .where(t.c.station_id == self.dev.station_id, t.c.register_device == reg)
                .order_by(t.c.local_seq.desc())
                .limit(1)
            ).first()
            self.audit_last[reg] = (last.hash, int(last.local_seq)) if last is not None else None
        held = self.audit_last[reg]
        problems = []
        if d["prev_hash"] != (held[0] if held is not None else audit_log.GENESIS):
            after = f"row {held[1]}" if held is not None else "the start of the trail"
            problems.append(
                f"audit chain break: row {d['seq']} does not continue from {after} held by the "
                "server (rows missing or changed on the laptop)"
            )
        if audit_log.digest(d["prev_hash"], d, at) != d["hash"]:
            problems.append(f"audit chain break: row {d['seq']} does not match its own hash")
        self.pending.setdefault(AUDIT, []).append(
            {
                "id": d["id"],
                "station_id": self.dev.station_id,
                "device_id": self.dev.id,
                "register_device": reg,
                "local_seq": d["seq"],
                "at": at,
                "actor": d["actor"],
                "action": d["action"],
                "entity": d["entity"],
                "entity_id": d["entity_id"],
                "details": d["details"],
                "prev_hash": d["prev_hash"],
                "hash": d["hash"],
                "received_at": self.now,
                "chain_break": "; ".join(problems) or None,
            }
        )
        self.audit_ids.add(d["id"])
        if held is None or d["seq"] > held[1]:  # the chain's end is its highest row
            self.audit_last[reg] = (d["hash"], d["seq"])
        body: dict[str, Any] = {"status": "applied"}
        if problems:
            body["audit_chain_break"] = "; ".join(problems)
        return body

    def _update_case(
        self, rid: str, data: Mapping[str, Any], e: Mapping[str, Any]
    ) -> dict[str, Any]:
        case: Case | CaseRow
        if rid in self.locked:
            case = self.locked[rid]  # already read FOR UPDATE by prefetch
            if case is None or case.station_id != self.dev.station_id:
                case = self._own_case(rid, lock=True)
        else:
            case = self._own_case(rid, lock=True)
        base = e.get("base") or {}
        if not isinstance(base, dict):
            raise Reject("malformed base versions")
        meta_at = data.get("updated_at")
        updated_at = rows.from_wire("cases", "updated_at", meta_at) if meta_at else self.now
        parsed: dict[str, Any] = {}
        for k, v in data.items():
            if k in rows.CASE_META:
                continue
            if k not in EDITABLE_CASE_FIELDS:
                raise Reject(f"the field {k!r} cannot be changed")
            parsed[k] = rows.from_wire("cases", k, v)
        self._check_case(parsed, existing=case)
        self._load_fv([rid])
        known = self.fv[rid]
        actor = e.get("actor")
        conflicts = []
        applied = []
        for k, new in parsed.items():
            cur = getattr(case, k)
            fv = known.get(k)
            ver = fv[0] if fv else 1
            if k == "status":
                if new == cur:
                    continue
                # Reopening a closed case is the one way back, and only from an officer who
                # saw it closed (an up-to-date base); any other move back is a stale edit.
                reopen = cur == "closed" and new in ("missing", "registered")
                if reopen and base.get(k, 1) != ver:
                    reopen = False
                if STATUS_RANK[new] < STATUS_RANK.get(cur, 0) and not reopen:
                    conflicts.append(
                        self._conflict(
                            case, k, cur, new, kept_by=None, lost_by=actor, lost_device=self.dev.id
                        )
                    )
                    continue
            if new == cur:
                continue
            stale = base.get(k, 1) != ver and (fv is None or fv[1] != self.dev.id)
            if stale:
                conflicts.append(
                    self._conflict(
                        case,
                        k,
                        new,
                        cur,
                        kept_by=actor,
                        lost_by=fv[2] if fv else case.updated_by,
                        lost_device=fv[1] if fv else None,
                    )
                )
            setattr(case, k, new)
            applied.append(k)
            if fv is None:
                known[k] = [ver + 1, self.dev.id, actor, "new"]
            else:
                fv[:] = [ver + 1, self.dev.id, actor, "new" if fv[3] == "new" else "dirty"]
        if applied:
            case.version += 1
            case.updated_by = (actor or case.updated_by)[:80]
            case.updated_at = updated_at
            if not self.fast:
                self.flush()
            self.feed.append(
                {
                    "entity": "cases",
                    "row_id": rid,
                    "public": False,
                    "station_id": case.station_id,
                    "district": case.district,
                    "station2": None,
                    "district2": None,
                }
            )
        body: dict[str, Any] = {"status": "conflict" if conflicts else "applied", "fields": applied}
        if conflicts:
            body["conflicts"] = conflicts
        return body

    def _conflict(
        self,
        case: Case | CaseRow,
        field: str,
        kept: Any,
        lost: Any,
        *,
        kept_by: Any,
        lost_by: Any,
        lost_device: Any,
    ) -> str:
        cid = new_id()
        self.s.execute(
            insert(schema.conflicts).values(
                id=cid,
                case_id=case.id,
                field=field,
                kept=rows.to_wire(kept),
                lost=rows.to_wire(lost),
                kept_by=kept_by,
                lost_by=lost_by,
                kept_device=self.dev.id,
                lost_device=lost_device,
                at=self.now,
            )
        )
        self.feed.append(
            {
                "entity": "sync_conflicts",
                "row_id": cid,
                "public": False,
                "station_id": case.station_id,
                "district": case.district,
                "station2": None,
                "district2": None,
            }
        )
        return cid

    def _update_candidate(self, rid: str, data: Mapping[str, Any]) -> dict[str, Any]:
        cand = self.s.get(MatchCandidate, rid)
        if cand is None:
            raise Reject("the match is not on the server")
        a, b = (
            self.s.get(Case, cand.missing_case_id, options=NOLOAD),
            self.s.get(Case, cand.found_case_id, options=NOLOAD),
        )
        if self.dev.station_id not in (
            getattr(a, "station_id", None),
            getattr(b, "station_id", None),
        ):
            raise Reject("outside jurisdiction: neither case belongs to this station")
        cand.status = rows.from_wire("match_candidates", "status", data.get("status"))
        self.s.flush()
        self.feed.append(
            {
                "entity": "match_candidates",
                "row_id": rid,
                "public": False,
                "station_id": a and a.station_id,
                "district": a and a.district,
                "station2": b and b.station_id,
                "district2": b and b.district,
            }
        )
        return {"status": "applied"}

    def _delete_embedding(self, rid: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """Another face of a photo was chosen: the old descriptor goes. Found by its sync id
        (the table's primary key is a local number, never sent), else by what makes it
        unique (photo, case, model) when the laptop's copy came in under another id."""
        emb = self.s.scalar(select(FaceEmbedding).where(FaceEmbedding.id == rid))
        key = (data.get("photo_sha256"), data.get("case_id"), data.get("model"))
        if emb is None and all(isinstance(k, str) for k in key):
            emb = self.s.scalar(
                select(FaceEmbedding).where(
                    FaceEmbedding.photo_sha256 == key[0],
                    FaceEmbedding.case_id == key[1],
                    FaceEmbedding.model == key[2],
                )
            )
        if emb is None:
            return {"status": "applied", "note": "not on the server"}
        self._own_case(emb.case_id)
        rid = emb.id
        self.face_keys.discard((emb.photo_sha256, emb.case_id, emb.model))  # the new one may come
        self.s.delete(emb)
        self.s.flush()
        self.feed.append(
            {
                "entity": "face_embeddings",
                "row_id": rid,
                "public": True,
                "deleted": True,
                "station_id": None,
                "district": None,
                "station2": None,
                "district2": None,
            }
        )
        return {"status": "applied"}

    def _resolve(self, rid: str, data: Mapping[str, Any], e: Mapping[str, Any]) -> dict[str, Any]:
        c = self.s.execute(select(schema.conflicts).where(schema.conflicts.c.id == rid)).first()
        if c is None:
            raise Reject("no such conflict on the server")
        case = self._own_case(c.case_id)
        if c.resolved_at is None:
            self.s.execute(
                update(schema.conflicts)
                .where(schema.conflicts.c.id == rid)
                .values(
                    resolved_at=self.now,
                    resolved_by=e.get("actor"),
                    resolution=data.get("resolution"),
                )
            )
            self.feed.append(
                {
                    "entity": "sync_conflicts",
                    "row_id": rid,
                    "public": False,
                    "station_id": case.station_id,
                    "district": case.district,
                    "station2": None,
                    "district2": None,
                }
            )
        return {"status": "applied"}


def _refusal(exc: ValidationError) -> str:
    return ("the register's rules refuse it: " + "; ".join(str(x) for x in exc.errors))[:400]


def _step_wire(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def _kind_of(exc: Exception) -> str:
    """What was wrong with an entry's shape, without echoing its values."""
    if isinstance(exc, KeyError):
        return f"{exc.args[0]!r} is missing"[:80] if exc.args else "a field is missing"
    return f"a field has the wrong type ({type(exc).__name__})"


def _check_case_values(row: Mapping[str, Any], partial: bool = False) -> None:
    if "kind" in row and row["kind"] not in {k.value for k in Kind}:
        raise Reject("kind must be missing or found")
    if "sex" in row and row["sex"] not in {x.value for x in Sex}:
        raise Reject("sex must be M, F or X")
    if "status" in row and row["status"] not in STATUS_RANK:
        raise Reject("unknown status")
    age = row.get("age_years")
    if age is not None and not 0 <= age <= 25:
        raise Reject("age_years out of range")


def conflict_to_wire(r: Any) -> dict[str, Any]:
    cols = (
        "id",
        "case_id",
        "field",
        "kept",
        "lost",
        "kept_by",
        "lost_by",
        "at",
        "resolved_at",
        "resolved_by",
        "resolution",
    )
    return {k: rows.to_wire(getattr(r, k)) for k in cols}


def table_of(entity: str) -> Table:
    return schema.conflicts if entity == "sync_conflicts" else rows.table(entity)
