"""The figures of the monthly review meeting, computed from the register.

Counts for a period are by the date each step happened (reported_on, located_on,
recovered_on, restored_on), so a past month's figures do not change when a case moves on
later. "Pending" is as of the period's last day. The review PDF prints exactly these numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from . import audit, places
from .context import Context
from .domain import Category, Kind
from .models import Case, Station
from .roles import Action, require
from .search import without_stubs

PENDING_AGE = ("under_1_month", "1_4_months", "4_12_months", "over_1_year")
ESCALATE_AFTER_DAYS = 120  # four months missing: to the anti-human-trafficking unit


def _pending_age(days: int) -> str:
    if days < 30:
        return "under_1_month"
    if days < 120:
        return "1_4_months"
    return "4_12_months" if days < 365 else "over_1_year"


def _in(d: dt.date | None, lo: dt.date, hi: dt.date) -> bool:
    return d is not None and lo <= d <= hi


def _by_date(d: dt.date | None, hi: dt.date) -> bool:
    return d is not None and d <= hi


def _row() -> dict[str, Any]:
    return {
        "reported": 0,
        "traced": 0,
        "recovered": 0,
        "restored": 0,
        "pending": 0,
        "pending_by_age": dict.fromkeys(PENDING_AGE, 0),
    }


def _brief(c: Case) -> dict[str, Any]:
    return {
        "case_id": c.id,
        "name": c.name_latin or c.name_deva,
        "name_deva": c.name_deva,
        "sex": c.sex,
        "age": c.age_years,
        "district": c.district,
        "reported_on": c.reported_on.isoformat(),
        "investigating_officer": c.investigating_officer,
    }


def review_stats(
    ctx: Context,
    date_from: dt.date,
    date_to: dt.date,
    district: str | None = None,
    *,
    record: bool = True,
) -> dict[str, Any]:
    """All review-meeting figures for the period (and district, if given)."""
    require(ctx.role, Action.REPORT)
    home = places.home_state().en
    with ctx.db.write() as s:
        stations = {st.id: st for st in s.scalars(select(Station))}
        q = (
            select(Case)
            .options(lazyload(Case.events))  # the figures need the case rows only
            .where(Case.kind == Kind.MISSING.value, Case.reported_on <= date_to)
        )
        if district:
            q = q.where(Case.district == district)
        cases = list(s.scalars(without_stubs(s, q)))
        found_q = select(Case).options(lazyload(Case.events)).where(Case.kind == Kind.FOUND.value)
        if district:
            found_q = found_q.where(Case.district == district)
        found = list(s.scalars(without_stubs(s, found_q)))
        if record:
            audit.record(
                s,
                ctx,
                "stats",
                None,
                None,
                date_from=date_from.isoformat(),
                date_to=date_to.isoformat(),
                district=district,
            )

    totals = _row()
    districts: dict[str, dict[str, Any]] = defaultdict(_row)
    stations_rows: dict[str, dict[str, Any]] = defaultdict(_row)
    recovered = Counter[str]()
    states: dict[str, Counter[str]] = defaultdict(Counter)
    located_not_recovered, trafficking, escalation, long_pending_traced = [], [], [], []
    for c in cases:
        st = stations.get(c.station_id)
        sub_key = st.id if st else "?"
        rows = (totals, districts[c.district], stations_rows[sub_key])
        done_by_end = any(
            _by_date(d, date_to) for d in (c.recovered_on, c.restored_on, c.closed_on)
        )
        for field, d in (
            ("reported", c.reported_on),
            ("traced", c.located_on),
            ("recovered", c.recovered_on),
            ("restored", c.restored_on),
        ):
            if _in(d, date_from, date_to):
                for r in rows:
                    r[field] += 1
        if c.recovered_on is not None and _in(c.recovered_on, date_from, date_to):
            recovered[c.sex] += 1
            states[c.located_state or home][c.sex] += 1
            if (c.recovered_on - c.reported_on).days >= 365:
                long_pending_traced.append(_brief(c) | {"recovered_on": c.recovered_on.isoformat()})
        if not done_by_end:
            bucket = _pending_age((date_to - c.reported_on).days)
            for r in rows:
                r["pending"] += 1
                r["pending_by_age"][bucket] += 1
            if _by_date(c.located_on, date_to) and c.located_state and c.located_state != home:
                located_not_recovered.append(
                    _brief(c)
                    | {
                        "state": c.located_state,
                        "place": c.located_place,
                        "since": c.located_on.isoformat() if c.located_on else None,
                    }
                )
            suspected = c.category == Category.TRAFFICKING.value
            if suspected:
                trafficking.append(_brief(c) | {"category": c.category})
            if suspected or (date_to - c.reported_on).days >= ESCALATE_AFTER_DAYS:
                escalation.append(
                    _brief(c)
                    | {
                        "reason": "suspected_trafficking" if suspected else "missing_over_4_months",
                        "days_missing": (date_to - c.reported_on).days,
                    }
                )

    def station_table() -> list[dict[str, Any]]:
        out = []
        for sid, r in sorted(
            stations_rows.items(),
            key=lambda kv: (
                (
                    stations[kv[0]].district_en,
                    stations[kv[0]].subdivision_en or "",
                    stations[kv[0]].name_en,
                )
                if kv[0] in stations
                else ("", "", "")
            ),
        ):
            st = stations.get(sid)
            out.append(
                {
                    "station": st.name_en if st else "?",
                    "station_hi": st.name_hi if st else None,
                    "subdivision": st.subdivision_en if st else None,
                    "subdivision_hi": st.subdivision_hi if st else None,
                    "district": st.district_en if st else None,
                }
                | r
            )
        return out

    found_in = [f for f in found if _in(f.reported_on, date_from, date_to)]

    def key(x: dict[str, Any]) -> tuple[str, str]:
        return (x["district"], x["reported_on"])

    return {
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "district": district,
        "recovered": {
            "total": sum(recovered.values()),
            "boys": recovered["M"],
            "girls": recovered["F"],
            "other": recovered["X"],
            "states": len(states),
            "other_states": len([x for x in states if x != home]),
        },
        "recovered_from_states": [
            {
                "state": st,
                "state_hi": (places.find_state(st) or places.home_state()).hi,
                "boys": n["M"],
                "girls": n["F"],
                "other": n["X"],
                "total": sum(n.values()),
            }
            for st, n in sorted(states.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        ],
        "totals": totals,
        "districts": [{"district": d} | r for d, r in sorted(districts.items())],
        "stations": station_table(),
        "located_not_recovered": sorted(located_not_recovered, key=key),
        "trafficking": sorted(trafficking, key=key),
        "escalation_due": sorted(escalation, key=key),
        "long_pending_traced": sorted(long_pending_traced, key=key),
        "found_children": {
            "registered": len(found_in),
            "restored": sum(1 for f in found if _in(f.restored_on, date_from, date_to)),
            "in_care": sum(
                1
                for f in found
                if f.reported_on <= date_to
                and not _by_date(f.restored_on, date_to)
                and not _by_date(f.closed_on, date_to)
            ),
        },
    }
