"""Realistic, deterministic demo data for the Surguja range (same seed, same register).

Demo children must never mix with real ones, so the generator refuses a register that
already holds cases: use a separate data folder (--home).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Table, func, select

from . import audit, places
from .cases import RISK_CHECKLIST, CaseService
from .context import Context
from .domain import Category, Kind, Status
from .errors import MuskanError
from .models import Case, LifecycleEvent, RiskAssessment, TracingEntry
from .paths import resource
from .roles import Action, require

OTHER_STATES = [
    "Delhi",
    "Uttar Pradesh",
    "Madhya Pradesh",
    "Gujarat",
    "Maharashtra",
    "Bihar",
    "Jharkhand",
]
TRACING_ACTIONS = [
    "Searched the railway station and bus stand",
    "CCTV footage of the bus stand checked",
    "Photo circulated to all district control rooms",
    "Uploaded to the Track the Missing Child portal",
    "Relatives and friends in the village questioned",
    "Call detail records of the guardian's phone requested",
    "Enquiry at brick kilns and placement agencies",
    "Child care institutions of the range contacted",
]
LOCATED_AT = ["Railway colony", "Placement agency", "Relative house"]
CCIS = [
    "Children's Home (Girls), Ambikapur",
    "Children's Home (Boys), Ambikapur",
    "Open Shelter, Surajpur",
    "Specialised Adoption Agency, Jashpur",
    "Children's Home (Girls), Baikunthpur",
    "Observation Home, Balrampur",
]
CIRCUMSTANCES = {
    Category.LOST: "Went to the weekly market with family and did not come back",
    Category.RUNAWAY: "Left home after a quarrel; took some clothes",
    Category.KIDNAPPED: "Taken away by an unknown person on a motorcycle",
    Category.TRAFFICKING: "Left with an agent promising work in a city",
}


def uuid7_from(ms: int, rng: random.Random) -> str:
    """A UUIDv7 with its random bits from `rng`, so the demo's ids are reproducible."""
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= rng.getrandbits(12) << 64
    value |= 0b10 << 62
    value |= rng.getrandbits(62)
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _ms(d: dt.date, rng: random.Random) -> int:
    base = dt.datetime(d.year, d.month, d.day, 9, tzinfo=dt.UTC).timestamp()
    return int(base * 1000) + rng.randrange(8 * 3600 * 1000)


class DemoGenerator:
    def __init__(self, ctx: Context, seed: int = 1) -> None:
        self.ctx = ctx
        self.rng = random.Random(seed)
        self.today = ctx.today()
        self.names = json.loads(resource("data", "names.json").read_text("utf-8"))
        self.variants = {v[0]: v[1:] for v in self.names["variants"]}

    def _name(self, sex: str) -> tuple[str | None, str | None]:
        r = self.rng
        pool = self.names["girls"] if sex == "F" else self.names["boys"]
        g_en, g_hi = r.choice(pool)
        s_en, s_hi = r.choice(self.names["surnames"])
        if r.random() < 0.15:
            g_en = r.choice(self.variants.get(g_en, [g_en]))
        if r.random() < 0.1:
            s_en = r.choice(self.variants.get(s_en, [s_en]))
        latin, deva = f"{g_en} {s_en}", f"{g_hi} {s_hi}"
        pick = r.random()
        if pick < 0.1:
            return latin, None
        if pick < 0.2:
            return None, deva
        return latin, deva

    def _phone(self) -> str:
        return (
            "+91"
            + str(self.rng.choice("6789"))
            + "".join(str(self.rng.randrange(10)) for _ in range(9))
        )

    def generate(self, n: int, progress: Callable[[int, int], None] | None = None) -> int:
        require(self.ctx.role, Action.CREATE)
        svc = CaseService(self.ctx)
        with self.ctx.db.write() as s:
            if s.scalar(select(func.count()).select_from(Case)):
                raise MuskanError(
                    f"The register in {self.ctx.home} already holds cases; demo data is only "
                    "written to an empty register. Use --home with a new folder."
                )
            stations = [svc.ensure_station(s, info) for info in places.stations()]
            if svc.own_station(s) is None:
                svc.set_own_station(s, places.stations()[0])
            batch: dict[str, list[dict[str, Any]]] = {
                "cases": [],
                "events": [],
                "tracing": [],
                "risk": [],
            }
            for i in range(n):
                self._one(stations[self.rng.randrange(len(stations))], batch)
                if len(batch["cases"]) >= 5000 or i == n - 1:
                    svc.bulk_insert(s, batch["cases"])
                    for table, key in (
                        (LifecycleEvent, "events"),
                        (TracingEntry, "tracing"),
                        (RiskAssessment, "risk"),
                    ):
                        if batch[key]:
                            rows_table = cast(Table, table.__table__)
                            s.connection().execute(rows_table.insert(), batch[key])
                    for v in batch.values():
                        v.clear()
                    if progress:
                        progress(i + 1, n)
            audit.record(s, self.ctx, "demo_generate", None, None, cases=n)
        self.ctx.db.analyze()
        return n

    def _one(self, station: Any, batch: dict[str, list[dict[str, Any]]]) -> None:
        r, today = self.rng, self.today
        kind = Kind.FOUND if r.random() < 0.15 else Kind.MISSING
        sex = "F" if r.random() < 0.7 else ("M" if r.random() < 0.995 else "X")
        age_days = int(r.triangular(0, 3 * 365, 30))
        reported = today - dt.timedelta(days=age_days)
        ms = _ms(reported, r)
        cid = uuid7_from(ms, r)
        created = dt.datetime.fromtimestamp(ms / 1000, dt.UTC).replace(tzinfo=None)
        age = int(r.triangular(3, 17.99, 15))
        latin, deva = self._name(sex)
        row: dict[str, Any] = {
            "id": cid,
            "kind": kind.value,
            "station_id": station.id,
            "district": station.district_en,
            "reported_on": reported,
            "sex": sex,
            "name_latin": latin,
            "name_deva": deva,
            "age_years": age,
            "age_is_estimate": True,
            "height_cm": 80 + age * 5 + r.randrange(-8, 9),
            "languages": r.choice(
                ["Hindi", "Hindi, Sadri", "Hindi, Kurukh", "Hindi, Surgujia", "Sadri"]
            ),
            "created_at": created,
            "created_by": "demo",
            "updated_at": created,
            "updated_by": "demo",
            "version": 1,
            "identification_marks": r.choice(
                ["Mole on left cheek", "Scar on right hand", "Tattoo of a name on forearm", None]
            ),
            "clothing": r.choice(
                [
                    "Blue school uniform",
                    "Red salwar suit",
                    "Green frock",
                    "Black jeans and white shirt",
                ]
            ),
        }
        if kind is Kind.MISSING:
            cat = r.choices(list(Category), weights=[25, 40, 25, 10])[0]
            seen = reported - dt.timedelta(days=r.randrange(0, 3))
            number = f"{r.randrange(1, 800):04d}/{reported.year}"
            row.update(
                category=cat.value,
                last_seen_on=seen,
                last_seen_time=f"{r.randrange(6, 22):02d}:{r.choice(['00', '15', '30', '45'])}",
                last_seen_place=f"Near the bus stand, {station.name_en}",
                circumstances=CIRCUMSTANCES[cat],
                fir_number=number,
                fir_date=reported,
                sections="363 IPC" if reported < dt.date(2024, 7, 1) else "137(2) BNS",
                guardian_name=next(n for n in self._name("M") if n),
                guardian_relation=r.choice(["Father", "Mother", "Uncle", "Grandmother"]),
                guardian_phone=self._phone(),
                guardian_address=f"Village {r.choice(places.stations()).name.en}",
                investigating_officer=r.choice(
                    ["SI R. K. Paikra", "ASI S. Minj", "SI P. Toppo", "ASI M. Ekka", "SI A. Singh"]
                ),
            )
            self._missing_lifecycle(row, cat, batch)
        else:
            row.update(
                found_on=reported,
                found_place=r.choice(
                    ["Railway station", "Bus stand", "Weekly market", "Highway dhaba"]
                )
                + f", {station.name_en}",
                found_by=r.choice(["GRP constable", "Childline 1098", "Beat constable"]),
                cci_name=r.choice(CCIS),
                cwc_order=f"CWC/{reported.year}/{r.randrange(1, 999)}",
            )
            if r.random() < 0.1:
                row["name_latin"] = row["name_deva"] = None
            self._found_lifecycle(row, batch)
        batch["cases"].append(row)

    def _event(
        self,
        row: dict[str, Any],
        batch: dict[str, list[dict[str, Any]]],
        action: str,
        to: Status,
        on: dt.date,
        details: dict[str, Any],
    ) -> None:
        r = self.rng
        seq = row["_seq"] = row.get("_seq", 0) + 1
        batch["events"].append(
            {
                "id": uuid7_from(_ms(on, r), r),
                "case_id": row["id"],
                "seq": seq,
                "action": action,
                "from_status": row["status"],
                "to_status": to.value,
                "at": dt.datetime(on.year, on.month, on.day, 12),
                "by": "demo",
                "details": {
                    k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in details.items()
                },
            }
        )
        row["status"] = to.value
        for k, v in details.items():
            row[k] = v

    def _missing_lifecycle(
        self, row: dict[str, Any], cat: Category, batch: dict[str, list[dict[str, Any]]]
    ) -> None:
        r, reported = self.rng, row["reported_on"]
        row["status"] = Status.MISSING.value
        span = (self.today - reported).days

        def later(max_days: int, after: dt.date) -> dt.date:
            left = (self.today - after).days
            return after + dt.timedelta(days=r.randrange(0, max(1, min(max_days, left) + 1)))

        progress_p = min(0.92, 0.25 + span / 400)
        if r.random() < progress_p:
            state = "Chhattisgarh" if r.random() < 0.6 else r.choice(OTHER_STATES)
            located = later(120, reported)
            if state != "Chhattisgarh" or r.random() < 0.3:
                self._event(
                    row,
                    batch,
                    "trace",
                    Status.TRACED,
                    located,
                    {
                        "located_state": state,
                        "located_place": f"{r.choice(LOCATED_AT)}, {state}",
                        "located_on": located,
                    },
                )
            if row["status"] == Status.MISSING.value or r.random() < 0.85:
                recovered = later(60, located)
                self._event(
                    row,
                    batch,
                    "recover",
                    Status.RECOVERED,
                    recovered,
                    {
                        "recovered_on": recovered,
                        "located_state": state,
                        "team_sent": "Inter-state team" if state != "Chhattisgarh" else None,
                    }
                    if row["status"] == Status.MISSING.value
                    else {"recovered_on": recovered},
                )
                if r.random() < 0.9:
                    restored = later(10, recovered)
                    self._event(
                        row,
                        batch,
                        "restore",
                        Status.RESTORED,
                        restored,
                        {
                            "restored_on": restored,
                            "restored_to": row["guardian_name"],
                            "restored_relation": row["guardian_relation"],
                        },
                    )
        elif r.random() < 0.03:
            closed = later(200, reported)
            self._event(
                row,
                batch,
                "close",
                Status.CLOSED,
                closed,
                {"closed_reason": "returned_home_on_own"},
            )
            row["closed_on"] = closed
        for _ in range(r.randrange(0, 4)):
            batch["tracing"].append(
                {
                    "id": uuid7_from(_ms(reported, r), r),
                    "case_id": row["id"],
                    "done_on": later(30, reported),
                    "action": r.choice(TRACING_ACTIONS),
                    "by": row["investigating_officer"],
                    "created_at": dt.datetime(reported.year, reported.month, reported.day, 18),
                }
            )
        if row["status"] in (Status.MISSING.value, Status.TRACED.value):
            level = (
                "high"
                if cat in (Category.TRAFFICKING, Category.KIDNAPPED) or row["age_years"] < 12
                else r.choice(["low", "medium"])
            )
            checks = [c for c in RISK_CHECKLIST if r.random() < 0.2]
            if cat is Category.TRAFFICKING:
                checks.append("trafficking_suspected")
            batch["risk"].append(
                {
                    "id": uuid7_from(_ms(reported, r), r),
                    "case_id": row["id"],
                    "level": level,
                    "checklist": sorted(set(checks)),
                    "assessed_on": reported,
                    "assessed_by": "SHO",
                    "review_due": reported + dt.timedelta(days=7 if level == "high" else 15),
                    "note": None,
                }
            )
        row.pop("_seq", None)

    def _found_lifecycle(self, row: dict[str, Any], batch: dict[str, list[dict[str, Any]]]) -> None:
        r = self.rng
        row["status"] = Status.REGISTERED.value
        day = row["reported_on"]
        if r.random() < 0.5:
            day = min(self.today, day + dt.timedelta(days=r.randrange(1, 40)))
            self._event(
                row,
                batch,
                "identify",
                Status.IDENTIFIED,
                day,
                {"identified_as": "Matched to a missing report of another station"},
            )
            if r.random() < 0.7:
                day = min(self.today, day + dt.timedelta(days=r.randrange(1, 15)))
                self._event(
                    row,
                    batch,
                    "restore",
                    Status.RESTORED,
                    day,
                    {"restored_on": day, "restored_to": "Parents", "restored_relation": "Parents"},
                )
        row.pop("_seq", None)
