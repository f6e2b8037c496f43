"""The rules that rank a face-match lead and decide whether it may alert.

Face distance first; then the two records are screened: the sex must agree (X agrees with
any), and the found child's apparent age must fit the age when missing plus the time since,
with a tolerance that grows with time. Shared languages and the same district add a small
bonus that only breaks near-ties. Every lead carries its reasons (a stable code, English
text and the figures), so an officer sees why it ranked where it did.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .domain import Sex
from .faces import DEFAULT_SETTINGS, FaceSettings
from .models import Case

YEAR_DAYS = 365.25


@dataclass(frozen=True)
class MatchSettings:
    """How leads are ranked and when they alert; one place, so the UI can show and set them."""

    alert_distance: float = 0.5  # stricter than face_recognition's customary 0.6
    list_distance: float = 0.6  # `match PHOTO` lists leads up to this distance
    age_tolerance: float = 2.0  # years either way, at no time elapsed
    age_years_per_extra_year: float = 3.0  # +1 year of tolerance per 3 years elapsed
    found_before_missing_days: int = 7  # date slack before "found before last seen" excludes
    language_bonus: float = 0.02
    district_bonus: float = 0.01
    shortlist: int = 200  # nearest descriptors screened per query (widened when needed)
    face: FaceSettings = DEFAULT_SETTINGS


DEFAULT_MATCH = MatchSettings()


def reason(code: str, text: str, **values: Any) -> dict[str, Any]:
    """One line of why a lead ranked where it did: a stable code, English text, the figures."""
    return {"code": code, "text": text, **values}


@dataclass
class Screen:
    """The records compared: does the pair pass, why, and the tie-break bonus."""

    passes: bool
    reasons: list[dict[str, Any]]
    bonus: float


@dataclass
class Lead:
    """One ranked case for a query descriptor (its best photo)."""

    case_id: str
    kind: str
    name: str | None
    status: str
    sex: str
    age_years: int | None
    district: str
    photo_sha256: str
    distance: float
    score: float
    reasons: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "kind": self.kind,
            "name": self.name,
            "distance": round(self.distance, 4),
            "score": round(self.score, 4),
            "status": self.status,
            "sex": self.sex,
            "age_years": self.age_years,
            "district": self.district,
            "photo_sha256": self.photo_sha256,
            "reasons": self.reasons,
        }


# -- screening two records --------------------------------------------------------------------
def _years(a: dt.date, b: dt.date) -> float:
    return (b - a).days / YEAR_DAYS


def _languages(text: str | None) -> dict[str, str]:
    parts = re.split(r"[,;/|]+|\band\b", text or "")
    return {p.strip().casefold(): p.strip() for p in parts if p.strip()}


def _fmt(y: float) -> str:
    return f"{y:.1f}".rstrip("0").rstrip(".")


def screen(missing: Case, found: Case, settings: MatchSettings = DEFAULT_MATCH) -> Screen:
    """Compare a missing child's record with a found child's: hard filters and small bonuses."""
    reasons: list[dict[str, Any]] = []
    passes = True
    bonus = 0.0
    # sex: never propose a boy for a girl; X (other / not stated) agrees with either
    if Sex.OTHER in (missing.sex, found.sex):
        reasons.append(reason("sex_open", "sex not stated as M or F on one side"))
    elif missing.sex == found.sex:
        reasons.append(reason("sex_agrees", f"sex agrees ({missing.sex})"))
    else:
        passes = False
        reasons.append(
            reason("sex_differs", f"sex differs: missing {missing.sex}, found {found.sex}")
        )
    # age: the missing child's age then, plus the time since, against the apparent age
    gone = missing.last_seen_on or missing.reported_on
    seen = found.found_on or found.reported_on
    elapsed = _years(gone, seen)
    if elapsed < -settings.found_before_missing_days / YEAR_DAYS:
        passes = False
        reasons.append(
            reason(
                "found_before_missing",
                f"found on {seen.isoformat()}, before last seen on {gone.isoformat()}",
            )
        )
        elapsed = 0.0
    elapsed = max(0.0, elapsed)
    if missing.date_of_birth is not None:
        expected: float | None = _years(missing.date_of_birth, seen)
        then = _years(missing.date_of_birth, gone)
    elif missing.age_years is not None:
        then = float(missing.age_years)
        expected = then + elapsed
    else:
        expected = then = None
    if found.date_of_birth is not None:
        apparent: float | None = _years(found.date_of_birth, seen)
    else:
        apparent = None if found.age_years is None else float(found.age_years)
    if expected is None or apparent is None or then is None:
        reasons.append(reason("age_unknown", "age not recorded on one side"))
    else:
        tol = settings.age_tolerance + elapsed / settings.age_years_per_extra_year
        text = (
            f"{_fmt(then)} at missing + {_fmt(elapsed)} y, apparent {_fmt(apparent)} "
            f"(±{_fmt(tol)} y)"
        )
        if abs(expected - apparent) <= tol:
            reasons.append(reason("age_fits", "age fits: " + text, expected=round(expected, 1)))
        else:
            passes = False
            reasons.append(
                reason("age_differs", "age does not fit: " + text, expected=round(expected, 1))
            )
    common = _languages(missing.languages).keys() & _languages(found.languages).keys()
    if common:
        names = sorted(_languages(missing.languages)[k] for k in common)
        bonus += settings.language_bonus
        reasons.append(reason("languages", "languages: " + ", ".join(names)))
    if missing.district and missing.district.casefold() == (found.district or "").casefold():
        bonus += settings.district_bonus
        reasons.append(reason("same_district", f"same district ({missing.district})"))
    return Screen(passes, reasons, bonus)


def distance_reason(distance: float) -> dict[str, Any]:
    return reason("face_distance", f"face distance {distance:.2f}", distance=round(distance, 4))


def case_name(case: Case) -> str | None:
    return case.name_latin or case.name_deva
