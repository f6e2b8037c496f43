"""Match alerts (open candidates) to review, and the officer's verdicts on them.

An alert shows what an officer needs to act: where the found child is (child care home,
address, contact, date and place found) and the missing child's station and investigating
officer, read from the two linked cases when listed. A verdict is a MatchVerdict row, the
candidate's new status and an audit entry, in one transaction. A rejected pair of photos
never alerts again (match_candidates is unique on the two photos' hashes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from . import audit
from .context import Context
from .domain import Verdict
from .errors import FieldError, NotFoundError, ValidationError
from .ids import new_id
from .models import Case, CaseLink, MatchCandidate, MatchVerdict, Station
from .roles import Action, require

INBOX_ORDERS = ("distance", "newest", "district")


def raise_alert(
    s: Session,
    ctx: Context,
    pair: tuple[str, str, str, str],
    *,
    distance: float,
    score: float,
    reasons: list[dict[str, Any]],
    by_officer: bool = False,
) -> MatchCandidate:
    """Open an alert on (missing case, found case, missing photo, found photo) and put it
    on record, in the caller's transaction: the one way an alert comes into being."""
    cand = MatchCandidate(
        id=new_id(),
        missing_case_id=pair[0],
        found_case_id=pair[1],
        missing_photo_sha=pair[2],
        found_photo_sha=pair[3],
        distance=distance,
        score=score,
        reasons=reasons,
        status="open",
        created_at=ctx.clock(),
    )
    s.add(cand)
    s.flush()
    extra = {"by_officer": True} if by_officer else {}
    audit.record(
        s,
        ctx,
        "match_alert",
        "match_candidate",
        cand.id,
        missing_case_id=pair[0],
        found_case_id=pair[1],
        distance=round(distance, 4),
        **extra,
    )
    return cand


@dataclass(frozen=True)
class AlertState:
    """What the badge needs, read without touching any child's record: the number of open
    alerts and a token that changes whenever an alert is raised or decided (here or by
    sync), so the inbox reloads only when something changed."""

    open_count: int
    token: str


class AlertService:
    """Alerts and verdicts. Each public method is one transaction with its audit entry."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def verdict(self, candidate_id: str, verdict: str, note: str | None = None) -> MatchCandidate:
        """An officer's decision on a lead. A note is required to confirm or to call it
        inconclusive. A rejected pair of photos never alerts again."""
        try:
            v = Verdict(verdict)
        except ValueError:
            choices = ", ".join(x.value for x in Verdict)
            raise ValidationError(
                [FieldError("verdict", "bad_value", f"'{verdict}' is not one of: {choices}")]
            ) from None
        _require(self.ctx, Action.VERDICT)
        note = (note or "").strip() or None
        if note is None and v is not Verdict.REJECTED:
            raise ValidationError(
                [
                    FieldError(
                        "note",
                        "required",
                        f"say what was checked before marking this lead {v.value} "
                        "(photos compared, records, call to the family or the home)",
                    )
                ]
            )
        with self.ctx.db.write() as s:
            cand = s.get(MatchCandidate, candidate_id.strip()) if candidate_id else None
            if cand is None:
                raise NotFoundError(f"No match alert with id {candidate_id!r} in this register.")
            before = cand.status
            s.add(
                MatchVerdict(
                    id=new_id(),
                    candidate_id=cand.id,
                    verdict=v.value,
                    note=note,
                    by=self.ctx.actor,
                    at=self.ctx.clock(),
                )
            )
            cand.status = v.value
            s.flush()
            link = self._link(s, cand, v)
            audit.record(
                s,
                self.ctx,
                "match_verdict",
                "match_candidate",
                cand.id,
                verdict=v.value,
                previous=before,
                missing_case_id=cand.missing_case_id,
                found_case_id=cand.found_case_id,
                link=link,
            )
        return cand

    def _link(self, s: Session, cand: MatchCandidate, v: Verdict) -> str | None:
        """A confirmed lead links the two cases; a later other verdict ends that link.
        Returns what happened to the link ("linked", "ended") or None."""
        link = s.scalar(
            select(CaseLink).where(
                CaseLink.missing_case_id == cand.missing_case_id,
                CaseLink.found_case_id == cand.found_case_id,
            )
        )
        now = self.ctx.clock()
        if v is Verdict.CONFIRMED:
            if link is None:
                s.add(
                    CaseLink(
                        id=new_id(),
                        missing_case_id=cand.missing_case_id,
                        found_case_id=cand.found_case_id,
                        candidate_id=cand.id,
                        linked_at=now,
                        linked_by=self.ctx.actor,
                    )
                )
            elif link.ended_at is not None:
                link.ended_at = link.ended_by = None
                link.candidate_id, link.linked_at, link.linked_by = cand.id, now, self.ctx.actor
            else:
                return None
            s.flush()
            return "linked"
        if link is not None and link.ended_at is None and link.candidate_id == cand.id:
            link.ended_at, link.ended_by = now, self.ctx.actor
            s.flush()
            return "ended"
        return None

    # -- the inbox -----------------------------------------------------------------------
    def state(self) -> AlertState:
        """Cheap enough to poll every few seconds (two index reads); not audited: it shows
        no record, only a count."""
        with self.ctx.db.read() as s:
            n_open = s.scalar(
                select(func.count())
                .select_from(MatchCandidate)
                .where(MatchCandidate.status == "open")
            )
            # an alert raised elsewhere and synced in later may carry an older id than the
            # newest here: the total count moves then
            total, newest = s.execute(
                select(func.count(), func.max(MatchCandidate.id)).select_from(MatchCandidate)
            ).one()
            decided = s.scalar(select(func.count()).select_from(MatchVerdict))
        return AlertState(int(n_open or 0), f"{n_open}:{total}:{newest or ''}:{decided}")

    def list_alerts(
        self,
        status: str | None = "open",
        *,
        district: str | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        order: str = "distance",
    ) -> list[dict[str, Any]]:
        """The alerts an officer reviews (`muskan alerts list` and the window's inbox alike),
        with both children's essentials and the verdicts so far, audited as a listing.

        Two statements whatever the number of alerts: the alerts joined with both cases and
        their stations, then the verdicts of those alerts. `district` matches either child's
        district; the dates bound the day the alert was raised."""
        _require(self.ctx, Action.VIEW)
        if order not in INBOX_ORDERS:
            raise ValidationError(
                [FieldError("order", "bad_value", f"'{order}' is not one of {INBOX_ORDERS}")]
            )
        m, f = aliased(Case), aliased(Case)
        ms, fs = aliased(Station), aliased(Station)
        c = MatchCandidate
        cols = [
            *(getattr(c, k).label(k) for k in _ALERT_COLS),
            *(getattr(m, k).label("m_" + k) for k in _MISSING_COLS),
            *(getattr(f, k).label("f_" + k) for k in _FOUND_COLS),
            ms.name_en.label("ms_name_en"),
            ms.name_hi.label("ms_name_hi"),
            ms.phone.label("ms_phone"),
            fs.name_en.label("fs_name_en"),
            fs.name_hi.label("fs_name_hi"),
            fs.phone.label("fs_phone"),
        ]
        # plain rows, not ORM objects: a thousand alerts list in a tenth of the time
        q = (
            select(*cols)
            .join(m, m.id == c.missing_case_id)
            .join(f, f.id == c.found_case_id)
            .outerjoin(ms, ms.id == m.station_id)
            .outerjoin(fs, fs.id == f.station_id)
        )
        if status is not None:
            q = q.where(c.status == status)
        if district:
            q = q.where(or_(m.district == district, f.district == district))
        if date_from is not None:
            q = q.where(c.created_at >= dt.datetime.combine(date_from, dt.time()))
        if date_to is not None:
            end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
            q = q.where(c.created_at < end)
        if order == "newest":
            q = q.order_by(c.created_at.desc(), c.id.desc())
        elif order == "district":
            q = q.order_by(f.district, m.district, c.distance)
        else:
            q = q.order_by(c.distance, c.created_at, c.id)
        with self.ctx.db.write() as s:
            out = [_inbox_row(r) for r in s.execute(q).mappings()]
            if out:
                # one statement for every listed alert's verdicts (the same filter, as a
                # subquery: no list of ids that could outgrow the driver's parameter limit)
                listed = q.with_only_columns(c.id).order_by(None).scalar_subquery()
                by_alert: dict[str, list[dict[str, Any]]] = {}
                for v in s.scalars(
                    select(MatchVerdict)
                    .where(MatchVerdict.candidate_id.in_(listed))
                    .order_by(MatchVerdict.at, MatchVerdict.id)
                ):
                    by_alert.setdefault(v.candidate_id, []).append(
                        {"verdict": v.verdict, "note": v.note, "by": v.by, "at": v.at.isoformat()}
                    )
                for row in out:
                    row["verdicts"] = by_alert.get(row["alert_id"], [])
            audit.record(s, self.ctx, "alert_list", None, None, status=status, results=len(out))
        return out

    inbox = list_alerts  # the window's name for the same listing


_ALERT_COLS = (
    "id",
    "status",
    "distance",
    "score",
    "reasons",
    "created_at",
    "missing_photo_sha",
    "found_photo_sha",
)
_COMMON = ("id", "name_latin", "name_deva", "sex", "age_years", "status", "district")
_MISSING_COLS = (*_COMMON, "last_seen_on", "last_seen_place", "investigating_officer")
_FOUND_COLS = (*_COMMON, "found_on", "found_place", "cci_name", "cci_address", "cci_contact")


def _inbox_row(r: Any) -> dict[str, Any]:
    reasons: list[dict[str, Any]] = list(r["reasons"] or [])
    codes = ("age_fits", "age_differs")
    expected = next((x.get("expected") for x in reasons if x.get("code") in codes), None)
    return {
        "alert_id": r["id"],
        "status": r["status"],
        "distance": round(r["distance"], 4),
        "score": round(r["score"], 4),
        "reasons": reasons,
        "created_at": r["created_at"].isoformat(),
        "missing": {
            "case_id": r["m_id"],
            "name": r["m_name_latin"] or r["m_name_deva"],
            "name_deva": r["m_name_deva"],
            "sex": r["m_sex"],
            "age_years": r["m_age_years"],
            "age_now": expected,
            "status": r["m_status"],
            "last_seen_on": _iso(r["m_last_seen_on"]),
            "last_seen_place": r["m_last_seen_place"],
            "district": r["m_district"],
            "station": r["ms_name_en"],
            "station_hi": r["ms_name_hi"],
            "station_phone": r["ms_phone"],
            "investigating_officer": r["m_investigating_officer"],
            "photo_sha256": r["missing_photo_sha"],
        },
        "found": {
            "case_id": r["f_id"],
            "name": r["f_name_latin"] or r["f_name_deva"],
            "name_deva": r["f_name_deva"],
            "sex": r["f_sex"],
            "age_years": r["f_age_years"],
            "status": r["f_status"],
            "found_on": _iso(r["f_found_on"]),
            "found_place": r["f_found_place"],
            "cci_name": r["f_cci_name"],
            "cci_address": r["f_cci_address"],
            "cci_contact": r["f_cci_contact"],
            "district": r["f_district"],
            "station": r["fs_name_en"],
            "station_hi": r["fs_name_hi"],
            "station_phone": r["fs_phone"],
            "photo_sha256": r["found_photo_sha"],
        },
        "verdicts": [],
    }


def _require(ctx: Context, action: Action) -> None:
    """The acting officer's role must allow it (a register without logins acts as SHO)."""
    role = getattr(ctx, "role", None)
    if role is not None:
        require(role, action)


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None
