"""What the comparison view shows an officer deciding a face-match lead (no widgets here).

A lead is decided by looking, not by the number: both children's photos (every photo of
each case, a child photographed at different ages), the faces eye-aligned (face_align.py),
the records side by side with what agrees and what contradicts, and the other candidates
ranked for the same child. The view is audited like opening the two cases.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image
from sqlalchemy import and_, select
from sqlalchemy.orm import Session, lazyload

from . import audit
from .context import Context
from .domain import Kind
from .errors import MuskanError, NotFoundError
from .face_align import AlignedFace, FaceLandmarks, align_face, detect_landmarks
from .faces import MODEL, FaceBox, blob_to_vector, face_distance, find_faces
from .match_alerts import _require, raise_alert
from .match_rules import DEFAULT_MATCH, Lead, MatchSettings, case_name, reason, screen
from .models import Case, CaseLink, FaceEmbedding, MatchCandidate, MatchVerdict, Photo, Station
from .names import name_keys
from .photos import PhotoStore, load_photo
from .roles import Action

AGREE, DIFFER, OPEN = "agree", "differ", "open"
_WORD = re.compile(r"\w{3,}", re.UNICODE)
_STOP = {"the", "and", "with", "near", "left", "right", "wearing", "has", "on", "of"}


# -- faces ---------------------------------------------------------------------------------
@dataclass
class FaceView:
    """One stored photo, upright, with the face box, its landmarks and its aligned crop."""

    sha256: str
    taken_on: str | None
    image: Image.Image | None
    box: FaceBox | None = None
    landmarks: FaceLandmarks | None = None
    aligned: AlignedFace | None = None
    problem: str | None = None  # why there is no face to show (the photo is still shown)


def load_face(
    store: PhotoStore, sha: str, box: dict[str, Any] | None, taken_on: str | None = None
) -> FaceView:
    """Read, check and decode a stored photo; find the landmarks of its stored face box (or
    of its only face). Slow (dlib): run it off the GUI thread."""
    try:
        loaded = load_photo(store.read(sha), name="The photo")
    except MuskanError as exc:
        return FaceView(sha, taken_on, None, problem=exc.message)
    view = FaceView(sha, taken_on, loaded.image)
    fbox = FaceBox.from_json(box) if box else None
    if fbox is None:
        boxes, _ = find_faces(loaded.image)
        if len(boxes) != 1:
            view.problem = "no face" if not boxes else f"{len(boxes)} faces"
            return view
        fbox = boxes[0]
    view.box = fbox
    view.landmarks = detect_landmarks(loaded.image, fbox)
    view.aligned = align_face(loaded.image, view.landmarks)
    return view


# -- records side by side ------------------------------------------------------------------
@dataclass
class FieldRow:
    """One line of the records side by side: the two values and whether they agree."""

    key: str
    missing: str
    found: str
    state: str  # AGREE, DIFFER or OPEN (nothing to compare, or free text to read)
    note: str = ""


def _words(text: str | None) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text or "")} - _STOP


def _txt(*parts: Any) -> str:
    return ", ".join(str(p) for p in parts if p not in (None, ""))


def _fmt_age(y: float | None) -> str:
    return "" if y is None else f"{y:.1f}".rstrip("0").rstrip(".")


def compare_records(m: Case, f: Case, settings: MatchSettings = DEFAULT_MATCH) -> list[FieldRow]:
    """The fields an officer weighs, each marked as agreeing, contradicting or open."""
    sc = {r["code"]: r for r in screen(m, f, settings).reasons}
    rows: list[FieldRow] = []
    m_name, f_name = _txt(m.name_latin, m.name_deva), _txt(f.name_latin, f.name_deva, f.aliases)
    common = set(name_keys(m.name_latin, m.name_deva, m.aliases)) & set(
        name_keys(f.name_latin, f.name_deva, f.aliases)
    )
    rows.append(FieldRow("name", m_name, f_name, AGREE if common else OPEN))
    if "sex_differs" in sc:
        rows.append(FieldRow("sex", m.sex, f.sex, DIFFER))
    else:
        rows.append(FieldRow("sex", m.sex, f.sex, AGREE if "sex_agrees" in sc else OPEN))
    age = sc.get("age_fits") or sc.get("age_differs")
    m_age = _fmt_age(None if m.age_years is None else float(m.age_years))
    if age is not None:
        m_age = f"{m_age} → {_fmt_age(age.get('expected'))}"
    rows.append(
        FieldRow(
            "age",
            m_age,
            _fmt_age(None if f.age_years is None else float(f.age_years)),
            AGREE if "age_fits" in sc else DIFFER if "age_differs" in sc else OPEN,
            age["text"] if age else "",
        )
    )
    if m.height_cm and f.height_cm:
        shrank = f.height_cm < m.height_cm - 5  # a child does not get shorter
        rows.append(
            FieldRow("height_cm", str(m.height_cm), str(f.height_cm), DIFFER if shrank else AGREE)
        )
    for key in ("complexion", "eyes", "hair"):
        a, b = getattr(m, key), getattr(f, key)
        if a or b:
            same = bool(a and b and a.strip().casefold() == b.strip().casefold())
            differs = bool(a and b and not same and key != "hair")  # hair is cut, dyed
            rows.append(
                FieldRow(key, a or "", b or "", AGREE if same else DIFFER if differs else OPEN)
            )
    for key in ("identification_marks", "clothing"):
        a, b = getattr(m, key), getattr(f, key)
        shared = _words(a) & _words(b)
        rows.append(
            FieldRow(key, a or "", b or "", AGREE if shared else OPEN, ", ".join(sorted(shared)))
        )
    langs = sc.get("languages")
    m_lang, f_lang = m.languages or "", f.languages or ""
    lang_state = AGREE if langs else DIFFER if (m_lang and f_lang) else OPEN
    rows.append(FieldRow("languages", m_lang, f_lang, lang_state))
    place_state = AGREE if "same_district" in sc else OPEN
    rows.append(
        FieldRow(
            "place",
            _txt(m.last_seen_place, m.district),
            _txt(f.found_place, f.district),
            place_state,
        )
    )
    gone, seen = m.last_seen_on or m.reported_on, f.found_on or f.reported_on
    rows.append(
        FieldRow(
            "dates",
            gone.isoformat() if gone else "",
            seen.isoformat() if seen else "",
            DIFFER if "found_before_missing" in sc else AGREE,
        )
    )
    return rows


def record_of(case: Case, station: Station | None) -> dict[str, Any]:
    return {
        "case_id": case.id,
        "kind": case.kind,
        "status": case.status,
        "name": case_name(case),
        "name_deva": case.name_deva,
        "sex": case.sex,
        "age_years": case.age_years,
        "district": case.district,
        "station": station.name_en if station else None,
        "station_hi": station.name_hi if station else None,
        "station_phone": station.phone if station else None,
        "state": station.state_en if station else None,
        "last_seen_on": case.last_seen_on.isoformat() if case.last_seen_on else None,
        "last_seen_place": case.last_seen_place,
        "investigating_officer": case.investigating_officer,
        "found_on": case.found_on.isoformat() if case.found_on else None,
        "found_place": case.found_place,
        "cci_name": case.cci_name,
        "cci_address": case.cci_address,
        "cci_contact": case.cci_contact,
    }


# -- the pair under review -----------------------------------------------------------------
@dataclass
class PairReview:
    missing: dict[str, Any]
    found: dict[str, Any]
    rows: list[FieldRow]
    missing_photos: list[tuple[str, str | None, dict[str, Any] | None]]  # sha, taken_on, box
    found_photos: list[tuple[str, str | None, dict[str, Any] | None]]
    candidate: dict[str, Any] | None  # the alert between the two, if any
    linked: bool
    verdicts: list[dict[str, Any]] = field(default_factory=list)


class ReviewService:
    """Reads for the comparison view and the photo search; each read is audited."""

    def __init__(self, ctx: Context, settings: MatchSettings = DEFAULT_MATCH) -> None:
        self.ctx = ctx
        self.settings = settings
        self.store = PhotoStore(ctx.home)

    def pair(self, missing_id: str, found_id: str) -> PairReview:
        _require(self.ctx, Action.VIEW)
        with self.ctx.db.write() as s:
            m, f = _case(s, missing_id), _case(s, found_id)
            if m.kind != Kind.MISSING or f.kind != Kind.FOUND:
                m, f = f, m
            if m.kind != Kind.MISSING or f.kind != Kind.FOUND:
                raise MuskanError("A comparison needs one missing child and one found child.")
            cand = s.scalar(
                select(MatchCandidate)
                .where(MatchCandidate.missing_case_id == m.id, MatchCandidate.found_case_id == f.id)
                .order_by(MatchCandidate.created_at.desc(), MatchCandidate.id.desc())
                .limit(1)
            )
            verdicts = []
            if cand is not None:
                verdicts = [
                    {"verdict": v.verdict, "note": v.note, "by": v.by, "at": v.at.isoformat()}
                    for v in s.scalars(
                        select(MatchVerdict)
                        .where(MatchVerdict.candidate_id == cand.id)
                        .order_by(MatchVerdict.at, MatchVerdict.id)
                    )
                ]
            link = s.scalar(
                select(CaseLink.id).where(
                    CaseLink.missing_case_id == m.id,
                    CaseLink.found_case_id == f.id,
                    CaseLink.ended_at.is_(None),
                )
            )
            review = PairReview(
                missing=record_of(m, s.get(Station, m.station_id)),
                found=record_of(f, s.get(Station, f.station_id)),
                rows=compare_records(m, f, self.settings),
                missing_photos=_photos(s, m.id),
                found_photos=_photos(s, f.id),
                candidate=None
                if cand is None
                else {
                    "alert_id": cand.id,
                    "status": cand.status,
                    "distance": round(cand.distance, 4),
                    "reasons": cand.reasons,
                    "missing_photo_sha": cand.missing_photo_sha,
                    "found_photo_sha": cand.found_photo_sha,
                },
                linked=link is not None,
                verdicts=verdicts,
            )
            audit.record(
                s, self.ctx, "match_review", "case", m.id, missing_case_id=m.id, found_case_id=f.id
            )
        return review

    def ranked(self, case_id: str, top: int = 10) -> list[Lead]:
        """The other kind's cases ranked for this case's photos (best lead per case), with
        the records screened as for alerts; up to the list distance."""
        from .matching import MatchService

        svc = MatchService(self.ctx, self.settings)
        svc.index.refresh(self.ctx.db)
        with self.ctx.db.read() as s:
            case = _case(s, case_id)
            other = Kind.FOUND if case.kind == Kind.MISSING else Kind.MISSING
            vectors = [
                blob_to_vector(b)
                for b in s.scalars(
                    select(FaceEmbedding.vector).where(
                        FaceEmbedding.case_id == case.id, FaceEmbedding.model == MODEL
                    )
                )
            ]
            best: dict[str, Lead] = {}
            for v in vectors:
                for lead in svc._rank(
                    s,
                    v,
                    kind=other.value,
                    query=case,
                    k=top,
                    max_distance=self.settings.list_distance,
                ):
                    if lead.case_id not in best or lead.score > best[lead.case_id].score:
                        best[lead.case_id] = lead
        leads = sorted(best.values(), key=lambda x: (-x.score, x.distance, x.case_id))
        return leads[:top]

    def open_lead(self, missing_id: str, found_id: str, missing_sha: str, found_sha: str) -> str:
        """An alert an officer raises from the ranked list (a lead above the alert level
        that is worth deciding); the existing one if these two photos were compared."""
        _require(self.ctx, Action.VERDICT)
        with self.ctx.db.write() as s:
            old = s.scalar(
                select(MatchCandidate.id).where(
                    and_(
                        MatchCandidate.missing_photo_sha == missing_sha,
                        MatchCandidate.found_photo_sha == found_sha,
                    )
                )
            )
            if old is not None:
                return str(old)
            m, f = _case(s, missing_id), _case(s, found_id)
            vm, vf = (_vector(s, c.id, sha) for c, sha in ((m, missing_sha), (f, found_sha)))
            d = face_distance(vm, vf)
            sc = screen(m, f, self.settings)
            cand = raise_alert(
                s,
                self.ctx,
                (m.id, f.id, missing_sha, found_sha),
                distance=d,
                score=1.0 - d + sc.bonus,
                reasons=[
                    reason("face_distance", f"face distance {d:.2f}", distance=round(d, 4)),
                    *sc.reasons,
                    reason("officer_opened", "opened by an officer from the ranked list"),
                ],
                by_officer=True,
            )
            return cand.id


def trace_details(review: PairReview, today: dt.date) -> dict[str, str]:
    """What the missing child's "traced" step records, filled in from the found child's
    record: the state and place where the child is now, and whom to call there."""
    f = review.found
    place = _txt(f.get("cci_name"), f.get("cci_address")) or _txt(
        f.get("found_place"), f.get("station")
    )
    contact = f.get("cci_contact") or f.get("station_phone")
    note = _txt(
        f"found child's record {f['case_id']}",
        f"contact {contact}" if contact else None,
        f"station {f['station']}" if f.get("station") else None,
    )
    out = {"located_place": place, "located_on": today.isoformat(), "note": note}
    if f.get("state"):
        out["located_state"] = f["state"]
    return out


def _case(s: Session, case_id: str) -> Case:
    case = s.get(Case, case_id.strip(), options=[lazyload(Case.events)]) if case_id else None
    if case is None:
        raise NotFoundError(f"No case with id {case_id!r} in this register.")
    return case


def _photos(s: Session, case_id: str) -> list[tuple[str, str | None, dict[str, Any] | None]]:
    rows = s.execute(
        select(Photo.sha256, Photo.taken_on, FaceEmbedding.box)
        .outerjoin(
            FaceEmbedding,
            and_(
                FaceEmbedding.photo_sha256 == Photo.sha256,
                FaceEmbedding.case_id == Photo.case_id,
                FaceEmbedding.model == MODEL,
            ),
        )
        .where(Photo.case_id == case_id)
        .order_by(Photo.taken_on.is_(None), Photo.taken_on, Photo.added_at, Photo.id)
    ).all()
    return [(sha, d.isoformat() if d else None, box) for sha, d, box in rows]


def _vector(s: Session, case_id: str, sha: str) -> np.ndarray:
    blob = s.scalar(
        select(FaceEmbedding.vector).where(
            FaceEmbedding.case_id == case_id,
            FaceEmbedding.photo_sha256 == sha,
            FaceEmbedding.model == MODEL,
        )
    )
    if blob is None:
        raise NotFoundError("This photo has no stored face to compare.")
    return blob_to_vector(blob)
