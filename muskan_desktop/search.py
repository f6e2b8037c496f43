"""Finding cases: by name in either script with spelling tolerance, and by filters.

Names are indexed as phonetic keys (names.py) in `name_keys`. A query's tokens become keys,
each key is widened to the close keys of the register's vocabulary (held in memory, a few
thousand distinct keys), and the case must match every token. The SQL then only touches
indexed rows, so a search over 100,000 cases stays within tens of milliseconds.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from sqlalchemy import Select, func, intersect, select
from sqlalchemy.orm import Session, lazyload

from .db import Database
from .domain import AGE_BANDS
from .filters import CaseFilter as CaseFilter  # re-exported: callers filter through here
from .models import Case, NameKey, Station
from .names import fuzzy_key_matches, name_keys
from .sync.tables import remote_cases

SORTABLE = {
    "reported_on": Case.reported_on,
    "name": Case.name_latin,
    "age": Case.age_years,
    "status": Case.status,
    "district": Case.district,
    "sex": Case.sex,
    "kind": Case.kind,
}


# Up to this many cases, search() orders the ids first and then reads just those rows
# (well under SQLite's limit of bound parameters).
PAGE_BY_ID = 1000


class SearchIndex:
    """The vocabulary of name keys in a register, kept in step with new rows."""

    _by_db: weakref.WeakKeyDictionary[Database, SearchIndex] = weakref.WeakKeyDictionary()
    _lock = threading.Lock()

    def __init__(self) -> None:
        self._vocab: list[str] = []
        self._known: set[str] = set()
        self._high_rowid = 0
        self._refresh_lock = threading.Lock()

    @classmethod
    def for_db(cls, db: Database) -> SearchIndex:
        with cls._lock:
            idx = cls._by_db.get(db)
            if idx is None:
                idx = cls._by_db[db] = SearchIndex()
            return idx

    def vocabulary(self, s: Session) -> list[str]:
        with self._refresh_lock:
            top = s.connection().exec_driver_sql("SELECT max(rowid) FROM name_keys").scalar() or 0
            if top != self._high_rowid:
                rows = s.connection().exec_driver_sql(
                    "SELECT DISTINCT key FROM name_keys WHERE rowid > ?", (self._high_rowid,)
                )
                for (k,) in rows:
                    if k not in self._known:
                        self._known.add(k)
                        self._vocab.append(k)
                self._high_rowid = top
            return self._vocab

    def expand(self, s: Session, text: str) -> list[list[str]]:
        """For each token of `text`, the vocabulary keys it may stand for."""
        vocab = self.vocabulary(s)
        return [fuzzy_key_matches(k, vocab) or [k] for k in name_keys(text)]

    def query(self, s: Session, f: CaseFilter, *, ordered_scan: bool = False) -> Select[Any]:
        """The filter as SQL. `ordered_scan` keeps the age band off its index, so a page
        in register order walks the ordered register index (which holds age_years) instead
        of sorting every row of a wide band (page of ages 15-17: 28 -> 2 ms)."""
        q = without_stubs(s, select(Case))
        if f.kind:
            q = q.where(Case.kind == f.kind)
        if f.status:
            q = q.where(Case.status.in_(f.status))
        if f.district:
            q = q.where(Case.district == f.district)
        if f.station_id:
            q = q.where(Case.station_id == f.station_id)
        if f.station_code:
            q = q.where(
                Case.station_id.in_(select(Station.id).where(Station.code == f.station_code))
            )
        if f.sex:
            q = q.where(Case.sex == f.sex)
        if f.age_band:
            lo, hi = AGE_BANDS[f.age_band]
            age = (Case.age_years + 0) if ordered_scan else Case.age_years
            q = q.where(age.between(lo, hi))
        if f.date_from:
            q = q.where(Case.reported_on >= f.date_from)
        if f.date_to:
            q = q.where(Case.reported_on <= f.date_to)
        if f.name and f.name.strip():
            groups = self.expand(s, f.name)
            if not groups:
                return q.where(Case.id.is_(None))
            # every token must match: the intersection is taken in the name index, so only
            # the cases of the whole name are looked up (not every case of its first token)
            subs = [select(NameKey.case_id).where(NameKey.key.in_(keys)) for keys in groups]
            q = q.where(Case.id.in_(subs[0] if len(subs) == 1 else intersect(*subs)))
        return q

    def search(self, s: Session, f: CaseFilter) -> list[Case]:
        """The cases in display order. A page (`limit`) is found by id first and only its
        rows are read, instead of every matching row going through the sort: a first search
        for a common name reads 100 rows, not 2,750 (each one a page to decrypt)."""
        if f.limit is not None and f.limit <= PAGE_BY_ID:
            ids = self.ids(s, f)
            if not ids:
                return []
            rows = s.scalars(select(Case).where(Case.id.in_(ids)).options(lazyload(Case.events)))
            by_id = {c.id: c for c in rows}
            return [by_id[i] for i in ids if i in by_id]
        q = self.query(s, f).options(lazyload(Case.events))
        col = SORTABLE.get(f.order_by, Case.reported_on)
        q = q.order_by(col.desc() if f.descending else col.asc(), Case.id.desc())
        if f.limit is not None:
            q = q.limit(f.limit)
        if f.offset:
            q = q.offset(f.offset)
        return list(s.scalars(q))

    def ids(self, s: Session, f: CaseFilter) -> list[str]:
        """Only the ids, in display order: what the register's lazy model pages through."""
        q = self.query(s, f).with_only_columns(Case.id)
        col = SORTABLE.get(f.order_by, Case.reported_on)
        q = q.order_by(col.desc() if f.descending else col.asc(), Case.id.desc())
        if f.limit is not None:
            q = q.limit(f.limit).offset(f.offset)
        return list(s.scalars(q))

    ROW_COLUMNS = (
        Case.id,
        Case.kind,
        Case.name_latin,
        Case.name_deva,
        Case.sex,
        Case.age_years,
        Case.status,
        Case.district,
        Case.station_id,
        Case.reported_on,
    )

    def page(self, s: Session, f: CaseFilter, offset: int, limit: int) -> list[tuple[Any, ...]]:
        """One page of register rows in display order (an ordered index scan, then `limit`
        table reads): the window never holds more than the pages on screen."""
        q = self.query(s, f, ordered_scan=True).with_only_columns(*self.ROW_COLUMNS)
        col = SORTABLE.get(f.order_by, Case.reported_on)
        q = q.order_by(col.desc() if f.descending else col.asc(), Case.id.desc())
        return [tuple(r) for r in s.execute(q.limit(limit).offset(offset))]

    def total_and_counts(self, s: Session, f: CaseFilter) -> tuple[int, dict[str, int]]:
        """How many rows the filter shows, and the counts per kind and status beside it
        (counted without the status pick, so the officer sees what else there is)."""
        counts = self.status_counts(s, CaseFilter(**{**f.__dict__, "status": []}))
        if not f.status:
            return sum(counts.values()), counts
        return sum(n for k, n in counts.items() if k.split(":")[1] in f.status), counts

    def ids_and_counts(self, s: Session, f: CaseFilter) -> tuple[list[str], dict[str, int]]:
        """The register's rows in order and its counts per kind and status, in one pass
        when no status is picked (the counts then cover exactly the rows shown)."""
        if f.status:
            without_status = CaseFilter(**{**f.__dict__, "status": []})
            return self.ids(s, f), self.status_counts(s, without_status)
        q = self.query(s, f).with_only_columns(Case.id, Case.kind, Case.status)
        col = SORTABLE.get(f.order_by, Case.reported_on)
        q = q.order_by(col.desc() if f.descending else col.asc(), Case.id.desc())
        ids: list[str] = []
        counts: dict[str, int] = {}
        for cid, kind, status in s.execute(q):
            ids.append(cid)
            key = f"{kind}:{status}"
            counts[key] = counts.get(key, 0) + 1
        return ids, counts

    def count(self, s: Session, f: CaseFilter) -> int:
        return s.scalar(select(func.count()).select_from(self.query(s, f).subquery())) or 0

    def status_counts(self, s: Session, f: CaseFilter) -> dict[str, int]:
        """Counts per (kind, status) for the register's at-a-glance bar."""
        sub = self.query(s, f).subquery()
        rows = s.execute(
            select(sub.c.kind, sub.c.status, func.count()).group_by(sub.c.kind, sub.c.status)
        )
        return {f"{k}:{st}": n for k, st, n in rows}


def without_stubs(s: Session, q: Select[Any]) -> Select[Any]:
    """Cases of other districts that sync holds only for face matching (no name, no contact)
    are not part of this station's register, lists or figures. The check for any such stub
    is one index probe, so a register without them keeps its index-only counts."""
    if s.scalar(select(remote_cases.c.case_id).limit(1)) is None:
        return q
    return q.where(Case.id.not_in(select(remote_cases.c.case_id)))


def station_names(s: Session) -> dict[str, Station]:
    return {st.id: st for st in s.scalars(select(Station))}
