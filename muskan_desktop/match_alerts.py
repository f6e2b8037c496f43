"""Match alerts (open candidates) to review, and the officer's verdicts on them.

An alert shows what an officer needs to act: where the found child is (child care home,
address, contact, date and place found) and the missing child's station and investigating
officer, read from the two linked cases when listed. A verdict is a MatchVerdict row, the
candidate's new status and an audit entry, in one transaction. A rejected pair of photos
never alerts again (match_candidates is unique on the two photos' hashes).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .context import Context
from .domain import Verdict
from .errors import FieldError, NotFoundError, ValidationError
from .ids import new_id
from .match_rules import case_name
from .models import Case, MatchCandidate, MatchVerdict, Station


class AlertService:
    """Alerts and verdicts. Each public method is one transaction with its audit entry."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def list_alerts(self, status: str | None = "open") -> list[dict[str, Any]]:
        """Leads to review, best first, with what an officer needs to act on each (audited)."""
        with self.ctx.db.write() as s:
            q = select(MatchCandidate).order_by(
                MatchCandidate.distance, MatchCandidate.created_at, MatchCandidate.id
            )
            if status is not None:
                q = q.where(MatchCandidate.status == status)
            out = [self._alert_view(s, c) for c in s.scalars(q)]
            audit.record(s, self.ctx, "alert_list", None, None, status=status, results=len(out))
        return out

    def _alert_view(self, s: Session, c: MatchCandidate) -> dict[str, Any]:
        m = s.get(Case, c.missing_case_id)
        f = s.get(Case, c.found_case_id)
        assert m is not None and f is not None  # foreign keys
        ms, fs = s.get(Station, m.station_id), s.get(Station, f.station_id)
        verdicts = s.scalars(
            select(MatchVerdict)
            .where(MatchVerdict.candidate_id == c.id)
            .order_by(MatchVerdict.at, MatchVerdict.id)
        ).all()
        return {
            "alert_id": c.id,
            "status": c.status,
            "distance": round(c.distance, 4),
            "score": round(c.score, 4),
            "reasons": c.reasons,
            "created_at": c.created_at.isoformat(),
            "missing": {
                "case_id": m.id,
                "name": case_name(m),
                "sex": m.sex,
                "age_years": m.age_years,
                "status": m.status,
                "last_seen_on": _iso(m.last_seen_on),
                "last_seen_place": m.last_seen_place,
                "station": ms.name_en if ms else None,
                "station_phone": ms.phone if ms else None,
                "district": m.district,
                "investigating_officer": m.investigating_officer,
                "photo_sha256": c.missing_photo_sha,
            },
            "found": {
                "case_id": f.id,
                "name": case_name(f),
                "sex": f.sex,
                "age_years": f.age_years,
                "status": f.status,
                "found_on": _iso(f.found_on),
                "found_place": f.found_place,
                "cci_name": f.cci_name,
                "cci_address": f.cci_address,
                "cci_contact": f.cci_contact,
                "station": fs.name_en if fs else None,
                "station_phone": fs.phone if fs else None,
                "district": f.district,
                "photo_sha256": c.found_photo_sha,
            },
            "verdicts": [
                {"verdict": v.verdict, "note": v.note, "by": v.by, "at": v.at.isoformat()}
                for v in verdicts
            ],
        }

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
            )
        return cand


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None
