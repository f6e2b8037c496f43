"""The case service: every write to the register goes through here.

Plain class with explicit inputs (a Context), so the window, the command line, import, the
demo generator and tests drive the same code. Each public method is one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from . import audit, places
from .context import Context
from .domain import (
    CLOSURE_REASONS,
    INITIAL_STATUS,
    Kind,
    RiskLevel,
    Status,
    allowed_actions,
)
from .errors import FieldError, NotFoundError, TransitionError, ValidationError
from .ids import new_id, station_id
from .models import (
    Case,
    LifecycleEvent,
    Meta,
    NameKey,
    RiskAssessment,
    Station,
    TracingEntry,
)
from .names import name_keys
from .roles import Action, require
from .sync import outbox
from .validation import (
    DETAIL_MAX_LEN,
    NOTE_MAX_LEN,
    clean_case,
    parse_date,
    review_due_errors,
    text_errors,
)

NAME_FIELDS = ("name_latin", "name_deva", "aliases")
# Case columns the lifecycle steps fill in (copied from each step's details).
LIFECYCLE_FIELDS = (
    "located_state",
    "located_place",
    "located_on",
    "team_sent",
    "recovered_on",
    "restored_on",
    "restored_to",
    "restored_relation",
    "closed_reason",
    "closed_on",
    "identified_as",
)
RISK_REVIEW_DAYS = {RiskLevel.HIGH: 7, RiskLevel.MEDIUM: 15, RiskLevel.LOW: 30}
RISK_CHECKLIST = (
    "under_12",
    "girl_child",
    "trafficking_suspected",
    "abduction_suspected",
    "medical_needs",
    "disability",
    "missing_before",
    "away_from_home_district",
    "last_seen_with_stranger",
)


@dataclass(frozen=True)
class DuplicateHit:
    case_id: str
    reason: str  # "same_guardian_phone" or "similar_name_age_district"


def station_row(info: places.StationInfo) -> dict[str, Any]:
    return {
        "code": info.code,
        "name_en": info.name.en,
        "name_hi": info.name.hi,
        "subdivision_en": info.subdivision.en,
        "subdivision_hi": info.subdivision.hi,
        "district_en": info.district.en,
        "district_hi": info.district.hi,
        "range_en": info.range.en,
        "range_hi": info.range.hi,
        "state_en": info.state.en,
        "state_hi": info.state.hi,
    }


class CaseService:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # -- stations ---------------------------------------------------------------------------
    def ensure_station(self, session: Session, info: places.StationInfo) -> Station:
        st = session.scalar(select(Station).where(Station.code == info.code))
        if st is None:
            st = Station(id=station_id(info.code), **station_row(info))
            session.add(st)
            session.flush()
        return st

    def resolve_station(
        self, session: Session, station: str | None, district: str | None
    ) -> Station:
        """The station a new case belongs to: as named, else this register's own."""
        if station:
            hits = places.find_station(station, district)
            if not hits:
                where = f" in {district}" if district else ""
                raise ValidationError(
                    [FieldError("station", "unknown_station", f"no station '{station}'{where}")]
                )
            if len(hits) > 1:
                raise ValidationError(
                    [FieldError("station", "ambiguous_station", "give --district as well")]
                )
            return self.ensure_station(session, hits[0])
        if district:
            d = places.find_district(district)
            if d is None:
                names = ", ".join(x.en for x in places.districts())
                raise ValidationError(
                    [
                        FieldError(
                            "district", "unknown_district", f"'{district}' is not one of: {names}"
                        )
                    ]
                )
            own = self.own_station(session)
            if own is not None and own.district_en == d.en:
                return own
            first = next(s for s in places.stations() if s.district == d)
            return self.ensure_station(session, first)
        own = self.own_station(session)
        if own is not None:
            return own
        return self.set_own_station(session, places.stations()[0])

    def own_station(self, session: Session) -> Station | None:
        sid = session.scalar(select(Meta.value).where(Meta.key == "station_id"))
        return session.get(Station, sid) if sid else None

    def set_own_station(self, session: Session, info: places.StationInfo) -> Station:
        st = self.ensure_station(session, info)
        session.merge(Meta(key="station_id", value=st.id))
        audit.record(session, self.ctx, "station_set", "station", st.id)
        return st

    # -- create and edit --------------------------------------------------------------------
    def validate_new(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        clean = clean_case(fields, today=self.ctx.today())
        clean.setdefault("reported_on", None)
        if clean["reported_on"] is None:
            clean["reported_on"] = self.ctx.today()
        kind = Kind(clean["kind"])
        if kind is Kind.FOUND and clean.get("found_on") is None:
            clean["found_on"] = clean["reported_on"]
        return clean

    def create(
        self,
        fields: Mapping[str, Any],
        *,
        station: str | None = None,
        district: str | None = None,
    ) -> Case:
        """Validate and save one case; committed (on disk) when this returns."""
        require(self.ctx.role, Action.CREATE)
        clean = self.validate_new(fields)
        with self.ctx.db.write() as s:
            st = self.resolve_station(s, station, district)
            case = self._insert(s, clean, st)
            audit.record(s, self.ctx, "case_create", "case", case.id, kind=case.kind)
        return case

    def _insert(self, s: Session, clean: Mapping[str, Any], st: Station) -> Case:
        now = self.ctx.clock()
        kind = Kind(clean["kind"])
        case = Case(
            id=new_id(),
            status=INITIAL_STATUS[kind].value,
            station_id=st.id,
            district=st.district_en,
            created_at=now,
            created_by=self.ctx.actor,
            updated_at=now,
            updated_by=self.ctx.actor,
            version=1,
            age_is_estimate=clean.get("date_of_birth") is None,
            **clean,
        )
        s.add(case)
        s.flush()
        for key in name_keys(*(clean.get(f) for f in NAME_FIELDS)):
            s.add(NameKey(case_id=case.id, key=key))
        return case

    def bulk_insert(self, s: Session, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert already-validated case rows (with id, station and status) in one go.

        For import and the demo generator: the name index is written with them. Rows are
        given every column so SQLite gets one executemany, not a statement per row shape.
        """
        if not rows:
            return
        table = cast(Table, Case.__table__)
        cols = [c.key for c in table.columns]
        full = [{c: r.get(c) for c in cols} for r in rows]
        for r in full:
            if r["age_is_estimate"] is None:
                r["age_is_estimate"] = r["date_of_birth"] is None
        conn = s.connection()
        conn.execute(table.insert(), full)
        # sync: queued in this same transaction, with the acting officer's role
        outbox.record_inserts(conn, "cases", full, role=s.info.get(outbox.ROLE))
        keys = [
            {"case_id": r["id"], "key": k}
            for r in rows
            for k in name_keys(*(r.get(f) for f in NAME_FIELDS))
        ]
        if keys:
            conn.execute(cast(Table, NameKey.__table__).insert(), keys)

    def update(
        self, case_id: str, changes: Mapping[str, Any], *, version: int | None = None
    ) -> Case:
        """Edit fields of a case; `version` (the one the officer started from) guards against
        lost updates."""
        require(self.ctx.role, Action.EDIT)
        for f in ("kind", "status"):
            if f in changes:
                raise ValidationError([FieldError(f, "not_editable", "cannot be edited here")])
        with self.ctx.db.write() as s:
            case = self._load(s, case_id)
            if version is not None and version != case.version:
                raise TransitionError(
                    "Someone else changed this case since you opened it; reload it and "
                    "make your change again.",
                    "stale_version",
                )
            existing = {k: getattr(case, k) for k in _field_names()}
            clean = clean_case(changes, today=self.ctx.today(), partial=True, existing=existing)
            changed = [k for k, v in clean.items() if getattr(case, k) != v]
            if not changed:
                return case
            for k in changed:
                setattr(case, k, clean[k])
            case.version += 1
            case.updated_at = self.ctx.clock()
            case.updated_by = self.ctx.actor
            if any(f in changed for f in NAME_FIELDS):
                s.query(NameKey).filter(NameKey.case_id == case.id).delete()
                for key in name_keys(*(getattr(case, f) for f in NAME_FIELDS)):
                    s.add(NameKey(case_id=case.id, key=key))
            audit.record(s, self.ctx, "case_edit", "case", case.id, fields=changed)
        return case

    # -- lifecycle --------------------------------------------------------------------------
    def transition(self, case_id: str, action: str, details: Mapping[str, Any]) -> Case:
        """Move a case one lifecycle step, recording who, when and what the step requires.
        Closing a case as a duplicate report takes it out of the register's figures: that is
        merging data away, so it needs the privilege to delete."""
        merge = action == "close" and details.get("closed_reason") == "duplicate_report"
        require(self.ctx.role, Action.DELETE if merge else Action.EDIT)
        with self.ctx.db.write() as s:
            case = self._load(s, case_id)
            kind, status = Kind(case.kind), Status(case.status)
            steps = allowed_actions(kind, status)
            step = steps.get(action)
            if step is None:
                can = ", ".join(steps) or "none (the case is finished)"
                raise TransitionError(
                    f"A {kind.value} case that is {status.value} cannot be '{action}'; "
                    f"allowed: {can}.",
                    "step_not_allowed",
                )
            clean = self._clean_details(case, step.required, step.optional, details)
            seq = len(case.events) + 1
            event = LifecycleEvent(
                id=new_id(),
                case_id=case.id,
                seq=seq,
                action=action,
                from_status=status.value,
                to_status=step.target.value,
                at=self.ctx.clock(),
                by=self.ctx.actor,
                details={
                    k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in clean.items()
                },
            )
            s.add(event)
            for k, v in clean.items():
                if k != "note" and hasattr(case, k):
                    setattr(case, k, v)
            if step.target is Status.CLOSED:
                case.closed_on = self.ctx.today()
            case.status = step.target.value
            case.version += 1
            case.updated_at = event.at
            case.updated_by = self.ctx.actor
            audit.record(
                s, self.ctx, "case_transition", "case", case.id, step=action, to=step.target.value
            )
        return case

    def _clean_details(
        self, case: Case, required: Iterable[str], optional: Iterable[str], raw: Mapping[str, Any]
    ) -> dict[str, Any]:
        return clean_step_details(
            Kind(case.kind), case.reported_on, required, optional, raw, today=self.ctx.today()
        )

    # -- tracing log and risk ---------------------------------------------------------------
    def add_tracing_entry(self, case_id: str, action: str, done_on: Any = None) -> TracingEntry:
        require(self.ctx.role, Action.EDIT)
        text, day = clean_tracing_entry(action, done_on, today=self.ctx.today())
        with self.ctx.db.write() as s:
            self._load(s, case_id)
            entry = TracingEntry(
                id=new_id(),
                case_id=case_id,
                done_on=day,
                action=text,
                by=self.ctx.actor,
                created_at=self.ctx.clock(),
            )
            s.add(entry)
            audit.record(s, self.ctx, "tracing_entry", "case", case_id)
        return entry

    def assess_risk(
        self,
        case_id: str,
        level: str,
        checklist: Sequence[str] = (),
        note: str | None = None,
        review_due: Any = None,
    ) -> RiskAssessment:
        require(self.ctx.role, Action.EDIT)
        today = self.ctx.today()
        due = clean_risk_assessment(level, checklist, note, review_due, assessed_on=today)
        with self.ctx.db.write() as s:
            self._load(s, case_id)
            ra = RiskAssessment(
                id=new_id(),
                case_id=case_id,
                level=level,
                checklist=list(checklist),
                assessed_on=today,
                assessed_by=self.ctx.actor,
                review_due=due,
                note=note,
            )
            s.add(ra)
            audit.record(s, self.ctx, "risk_assessment", "case", case_id, level=level)
        return ra

    # -- reading ----------------------------------------------------------------------------
    def get(self, case_id: str) -> Case:
        """Open a case for a person to see: recorded in the audit trail."""
        require(self.ctx.role, Action.VIEW)
        with self.ctx.db.write() as s:
            case = self._load(s, case_id)
            audit.record(s, self.ctx, "case_view", "case", case.id)
            s.expunge(case)
        return case

    def details(self, case_id: str) -> dict[str, Any]:
        """Everything the case view shows, as plain data (audited as a view)."""
        require(self.ctx.role, Action.VIEW)
        with self.ctx.db.write() as s:
            case = self._load(s, case_id)
            audit.record(s, self.ctx, "case_view", "case", case.id)
            data = case_to_dict(case)
            data["station"] = {
                "code": case.station.code,
                "name": case.station.name_en,
                "name_hi": case.station.name_hi,
                "subdivision": case.station.subdivision_en,
                "district": case.station.district_en,
                "state": case.station.state_en,
            }
            data["events"] = [
                {
                    "seq": e.seq,
                    "action": e.action,
                    "from": e.from_status,
                    "to": e.to_status,
                    "at": e.at.isoformat(timespec="seconds"),
                    "by": e.by,
                    "details": e.details,
                }
                for e in case.events
            ]
            data["tracing"] = [
                {"done_on": t.done_on.isoformat(), "action": t.action, "by": t.by}
                for t in s.scalars(
                    select(TracingEntry)
                    .where(TracingEntry.case_id == case.id)
                    .order_by(TracingEntry.done_on, TracingEntry.created_at)
                )
            ]
            data["risk"] = [
                {
                    "level": r.level,
                    "checklist": r.checklist,
                    "assessed_on": r.assessed_on.isoformat(),
                    "by": r.assessed_by,
                    "review_due": r.review_due.isoformat(),
                    "note": r.note,
                }
                for r in s.scalars(
                    select(RiskAssessment)
                    .where(RiskAssessment.case_id == case.id)
                    .order_by(RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc())
                )
            ]
        return data

    def _load(self, s: Session, case_id: str) -> Case:
        case = s.get(Case, case_id.strip()) if case_id else None
        if case is None:
            raise NotFoundError(f"No case with id {case_id!r} in this register.")
        return case

    # -- duplicates -------------------------------------------------------------------------
    def find_duplicates(
        self, fields: Mapping[str, Any], *, district: str | None = None
    ) -> list[DuplicateHit]:
        """Existing cases a new report may repeat: same guardian phone, or a similar name
        (either script, spelling variants) with an age within two years in the same district."""
        from .search import CaseFilter, SearchIndex

        hits: dict[str, str] = {}
        kind = fields.get("kind")
        with self.ctx.db.read() as s:
            phone = fields.get("guardian_phone")
            if phone:
                for cid in s.scalars(select(Case.id).where(Case.guardian_phone == phone)):
                    hits[cid] = "same_guardian_phone"
            name = " ".join(str(fields.get(f) or "") for f in NAME_FIELDS).strip()
            if name:
                f = CaseFilter(name=name, kind=kind, district=district, limit=50, any_token=False)
                age = fields.get("age_years")
                for c in SearchIndex.for_db(self.ctx.db).search(s, f):
                    if age is None or c.age_years is None or abs(c.age_years - int(age)) <= 2:
                        hits.setdefault(c.id, "similar_name_age_district")
        return [DuplicateHit(k, v) for k, v in hits.items()]


def clean_step_details(
    kind: Kind,
    reported_on: dt.date | None,
    required: Iterable[str],
    optional: Iterable[str],
    raw: Mapping[str, Any],
    *,
    today: dt.date,
) -> dict[str, Any]:
    """The details of one lifecycle step, checked (ValidationError naming each bad one).
    Pure, so the laptop's CaseService and the server's push apply the same rules."""
    errors: list[FieldError] = []
    allowed = set(required) | set(optional)
    out: dict[str, Any] = {}
    for k in raw:
        if k not in allowed:
            errors.append(FieldError(k, "unexpected", "is not recorded at this step"))
    for k in required:
        v = raw.get(k)
        if v is None or (isinstance(v, str) and not v.strip()):
            errors.append(FieldError(k, "required", "is required for this step"))
    for k in allowed:
        v = raw.get(k)
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if k.endswith("_on"):
            try:
                d = parse_date(v)
            except ValueError as exc:
                errors.append(FieldError(k, "bad_date", str(exc)))
                continue
            if d > today:
                errors.append(FieldError(k, "future_date", f"{d.isoformat()} is in the future"))
            elif kind == Kind.MISSING and reported_on is not None and d < reported_on:
                errors.append(FieldError(k, "before_report", "is before the case was reported"))
            out[k] = d
        elif k == "located_state":
            st = places.find_state(str(v))
            if st is None:
                errors.append(
                    FieldError(k, "unknown_state", f"'{v}' is not a state or UT of India")
                )
            else:
                out[k] = st.en
        elif k == "closed_reason":
            if v not in CLOSURE_REASONS:
                errors.append(
                    FieldError(k, "bad_reason", f"use one of: {', '.join(CLOSURE_REASONS)}")
                )
            out[k] = v
        else:
            errors.extend(text_errors(k, v, max_len=DETAIL_MAX_LEN.get(k, NOTE_MAX_LEN)))
            out[k] = str(v).strip()
    if errors:
        raise ValidationError(errors)
    return out


def clean_tracing_entry(action: Any, done_on: Any, *, today: dt.date) -> tuple[str, dt.date]:
    """A tracing entry's text and day, checked (pure: the server applies it to pushes too)."""
    text = (action or "").strip()
    errors = []
    if not text:
        errors.append(FieldError("action", "required", "say what was done"))
    errors.extend(text_errors("action", text))
    try:
        day = parse_date(done_on) if done_on else today
    except ValueError as exc:
        errors.append(FieldError("done_on", "bad_date", str(exc)))
        day = today
    if day > today:
        errors.append(FieldError("done_on", "future_date", f"{day.isoformat()} is in the future"))
    if errors:
        raise ValidationError(errors)
    return text, day


def clean_risk_assessment(
    level: Any, checklist: Sequence[str], note: Any, review_due: Any, *, assessed_on: dt.date
) -> dt.date:
    """A risk assessment checked; its review day (pure: the server applies it to pushes)."""
    errors = []
    if level not in tuple(RiskLevel):
        errors.append(FieldError("level", "bad_level", "use low, medium or high"))
    unknown = [c for c in checklist if c not in RISK_CHECKLIST]
    if unknown:
        errors.append(
            FieldError("checklist", "unknown_item", f"unknown items: {', '.join(unknown)}")
        )
    due = None
    if review_due:
        try:
            due = parse_date(review_due)
        except ValueError as exc:
            errors.append(FieldError("review_due", "bad_date", str(exc)))
        else:
            errors.extend(review_due_errors(due, assessed_on))
    errors.extend(text_errors("note", note))
    if errors:
        raise ValidationError(errors)
    if due is None:
        due = assessed_on + dt.timedelta(days=RISK_REVIEW_DAYS[RiskLevel(level)])
    return due


def _field_names() -> list[str]:
    from .validation import FIELDS

    return list(FIELDS)


def case_to_dict(case: Case) -> dict[str, Any]:
    """Stable JSON shape of a case (see README: --json output)."""
    out: dict[str, Any] = {
        "id": case.id,
        "status": case.status,
        "district": case.district,
        "station_id": case.station_id,
        "version": case.version,
    }
    for k in _field_names() + list(LIFECYCLE_FIELDS):
        v = getattr(case, k)
        out[k] = v.isoformat() if isinstance(v, dt.date) else v
    out["created_at"] = case.created_at.isoformat(timespec="seconds")
    out["updated_at"] = case.updated_at.isoformat(timespec="seconds")
    return out
