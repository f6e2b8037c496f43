"""Face-match leads between missing and found children: adding photos, ranking, alerts.

A photo added to a case is checked and encoded (faces.py), stored (photos.py) and compared
with every stored descriptor of the other kind (match_index.py). Leads are ranked and
screened against the two records (match_rules.py); those under the alert distance that pass
the screen become open `MatchCandidate` rows: the alert an officer reviews (match_alerts.py).

A lead is never an identification: only an officer's verdict after comparing the photos and
the records (and speaking to the child and the family) is.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, lazyload

from . import audit
from .context import Context
from .domain import PENDING, Kind
from .errors import FieldError, MuskanError, NotFoundError, ValidationError
from .faces import MODEL, FaceEncoding, encode_face, use_model_cache
from .ids import new_id
from .match_alerts import AlertService as AlertService  # re-exported: one import for callers
from .match_alerts import raise_alert
from .match_index import EmbeddingIndex
from .match_rules import DEFAULT_MATCH as DEFAULT_MATCH
from .match_rules import Lead as Lead
from .match_rules import MatchSettings as MatchSettings
from .match_rules import case_name, distance_reason, screen
from .models import Case, FaceEmbedding, MatchCandidate, Photo, Station
from .photos import LoadedPhoto, PhotoService, PhotoStore, load_photo
from .roles import Action, require

log = logging.getLogger(__name__)


@dataclass
class PhotoResult:
    """What adding one photo did: the photo, the face used, the alerts it raised."""

    case_id: str
    photo_id: str
    sha256: str
    new_photo: bool
    face: dict[str, Any]
    alerts: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "photo_id": self.photo_id,
            "sha256": self.sha256,
            "new_photo": self.new_photo,
            "face": self.face,
            "alerts": self.alerts,
        }


@dataclass
class AttachResult:
    path: str
    result: PhotoResult | None = None
    error: MuskanError | None = None


# -- the service --------------------------------------------------------------------------------
class MatchService:
    """Photos with faces, leads and alerts. Each public write is one transaction + audit."""

    def __init__(
        self,
        ctx: Context,
        settings: MatchSettings = DEFAULT_MATCH,
        store: PhotoStore | None = None,
    ) -> None:
        self.ctx = ctx
        self.settings = settings
        self.store = store or PhotoStore(ctx.home)
        self.photos = PhotoService(ctx, self.store)
        self._stations: dict[tuple[str | None, str | None], str] = {}
        use_model_cache(ctx.home / "index")

    @property
    def index(self) -> EmbeddingIndex:
        return EmbeddingIndex.for_db(self.ctx.db, MODEL)

    # -- adding photos -------------------------------------------------------------------------
    def add_photo(
        self,
        case_id: str,
        source: Path | str | bytes,
        *,
        taken_on: Any = None,
        face: int | None = None,
        label: str | None = None,
    ) -> PhotoResult:
        """Check, encode and store a photo of a case, and raise alerts for close leads.

        Nothing is stored when the photo or its face is refused (PhotoError, FaceError).
        """
        require(self.ctx.role, Action.CREATE)
        day = self.photos.taken_on_day(taken_on)
        name = label or (Path(source).name if isinstance(source, str | Path) else "The photo")
        loaded = load_photo(
            source, max_bytes=self.photos.max_bytes, max_pixels=self.photos.max_pixels, name=name
        )
        with self.ctx.db.read() as s:
            _get_case(s, case_id)  # an unknown case costs no encoding and stores no file
        enc = encode_face(loaded.image, face=face, label=name, settings=self.settings.face)
        self.store.put(loaded)
        return self.record_encoded(case_id, loaded_meta(loaded), enc, day)

    def record_encoded(
        self,
        case_id: str,
        meta: dict[str, Any],
        enc: FaceEncoding,
        day: dt.date | None = None,
        *,
        new_case: dict[str, Any] | None = None,
    ) -> PhotoResult:
        """The write half of `add_photo` (the photo file is already stored): the photo row,
        its descriptor and the alerts, in one transaction. With `new_case` (validated fields
        plus "station"/"district"), the case is created in the same transaction."""
        index = self.index  # loaded (the first time) before the write lock is taken
        with self.ctx.db.write() as s:
            if new_case is not None:
                from .cases import CaseService

                fields = dict(new_case)
                svc = CaseService(self.ctx)
                where = (fields.pop("station", None), fields.pop("district", None))
                known = self._stations.get(where)  # a batch names the same place again and again
                st = s.get(Station, known) if known else None
                if st is None:
                    st = svc.resolve_station(s, *where)
                    self._stations[where] = st.id
                case = svc._insert(s, fields, st)
                audit.record(s, self.ctx, "case_create", "case", case.id, kind=case.kind)
            else:
                case = _get_case(s, case_id)
            fresh = new_case is not None  # a case made just now has no photos yet
            photo, new_photo = self._photo_row(s, case, meta, day, fresh)
            emb = self._embedding_row(s, case, meta["sha256"], enc, fresh)
            index.refresh(self.ctx.db)  # rows other programs committed meanwhile, too
            alerts = self._raise_alerts(s, case, meta["sha256"], enc.vector)
            # one entry for the photo and its face ("photo_add", as PhotoService writes, or
            # "face_encode" when an attached photo's face is checked again)
            audit.record(
                s,
                self.ctx,
                "photo_add" if new_photo else "face_encode",
                "case",
                case.id,
                sha256=meta["sha256"],
                embedding_id=emb.id,
                face=enc.face_index,
                alerts=[a["alert_id"] for a in alerts],
            )
            result = PhotoResult(
                case_id=case.id,
                photo_id=photo.id,
                sha256=meta["sha256"],
                new_photo=new_photo,
                face={
                    "index": enc.face_index,
                    "faces_found": enc.faces_found,
                    "box": enc.box.to_json(),
                    "quality": enc.quality.to_json(),
                },
                alerts=alerts,
            )
        # (the index takes the new row in on its next use: every search refreshes it first)
        return result

    def _photo_row(
        self, s: Session, case: Case, meta: dict[str, Any], day: dt.date | None, fresh: bool
    ) -> tuple[Photo, bool]:
        photo = None
        if not fresh:
            photo = s.scalar(
                select(Photo).where(Photo.case_id == case.id, Photo.sha256 == meta["sha256"])
            )
        if photo is not None:
            return photo, False
        photo = Photo(
            id=new_id(),
            case_id=case.id,
            sha256=meta["sha256"],
            mime=meta["mime"],
            width=meta["width"],
            height=meta["height"],
            taken_on=day,
            added_at=self.ctx.clock(),
            added_by=self.ctx.actor,
        )
        s.add(photo)  # flushed with the next query (its id is made here, not by the table)
        return photo, True

    def _embedding_row(
        self, s: Session, case: Case, sha: str, enc: FaceEncoding, fresh: bool
    ) -> FaceEmbedding:
        old = None
        if not fresh:
            old = s.scalar(
                select(FaceEmbedding).where(
                    FaceEmbedding.photo_sha256 == sha,
                    FaceEmbedding.case_id == case.id,
                    FaceEmbedding.model == enc.model,
                )
            )
        if old is not None:
            if old.box == enc.box.to_json():
                return old
            s.delete(old)  # another face of the photo was chosen: the old one goes
            s.flush()
        emb = FaceEmbedding(
            id=new_id(),
            photo_sha256=sha,
            case_id=case.id,
            model=enc.model,
            model_version=enc.model_version,
            box=enc.box.to_json(),
            quality=enc.quality.to_json() | {"landmarks": enc.landmarks},
            vector=enc.blob(),
            created_at=self.ctx.clock(),
        )
        s.add(emb)  # flushed with the next query
        return emb

    def _raise_alerts(
        self, s: Session, case: Case, sha: str, vector: np.ndarray
    ) -> list[dict[str, Any]]:
        """Open candidates for the leads under the alert distance that pass the screen."""
        if case.status not in PENDING:
            return []
        other = Kind.FOUND if case.kind == Kind.MISSING else Kind.MISSING
        leads = self._rank(
            s, vector, kind=other, query=case, k=None, max_distance=self.settings.alert_distance
        )
        out = []
        for lead in leads:
            if lead.status not in PENDING:
                continue
            if case.kind == Kind.MISSING:
                pair = (case.id, lead.case_id, sha, lead.photo_sha256)
            else:
                pair = (lead.case_id, case.id, lead.photo_sha256, sha)
            if self._already_known(s, *pair):
                continue
            cand = raise_alert(
                s, self.ctx, pair, distance=lead.distance, score=lead.score, reasons=lead.reasons
            )
            out.append(
                {"alert_id": cand.id, "case_id": lead.case_id, "distance": round(lead.distance, 4)}
            )
        return out

    def _already_known(
        self, s: Session, missing_id: str, found_id: str, missing_sha: str, found_sha: str
    ) -> bool:
        """Same two photos seen before (whatever the verdict: a rejected pair never alerts
        again), or the two cases already have an open or confirmed lead."""
        return (
            s.scalar(
                select(MatchCandidate.id)
                .where(
                    or_(
                        and_(
                            MatchCandidate.missing_photo_sha == missing_sha,
                            MatchCandidate.found_photo_sha == found_sha,
                        ),
                        and_(
                            MatchCandidate.missing_case_id == missing_id,
                            MatchCandidate.found_case_id == found_id,
                            MatchCandidate.status.in_(("open", "confirmed")),
                        ),
                    )
                )
                .limit(1)
            )
            is not None
        )

    # -- ranking -------------------------------------------------------------------------------
    def _rank(
        self,
        s: Session,
        vector: np.ndarray,
        *,
        kind: str | None,
        query: Case | None,
        k: int | None,
        max_distance: float,
    ) -> list[Lead]:
        """Best lead per case, best first; with a query case, only those passing the screen.
        k=None: every lead under max_distance."""
        idx = self.index
        want = self.settings.shortlist
        while True:
            hits = idx.search(vector, want, kind)
            close = [h for h in hits if h.distance <= max_distance]
            leads = self._leads(s, close, query)
            exhausted = len(close) < len(hits) or len(hits) < want
            if exhausted or (k is not None and len(leads) >= k):
                break
            want *= 4
        return leads if k is None else leads[:k]

    def _leads(self, s: Session, hits: Sequence[Any], query: Case | None) -> list[Lead]:
        if not hits:
            return []
        dist = {h.seq: h.distance for h in hits}
        rows = s.execute(
            select(FaceEmbedding.seq, FaceEmbedding.photo_sha256, Case)
            .join(Case, Case.id == FaceEmbedding.case_id)
            .where(FaceEmbedding.seq.in_(list(dist)))
            .options(lazyload(Case.events))
        ).all()
        best: dict[str, tuple[float, str, Case]] = {}
        for seq, sha, case in rows:  # a row deleted since the index was built is not here
            d = dist[seq]
            if case.id not in best or d < best[case.id][0]:
                best[case.id] = (d, sha, case)
        leads = []
        for d, sha, case in best.values():
            reasons = [distance_reason(d)]
            bonus = 0.0
            if query is not None:
                missing, found = (query, case) if query.kind == Kind.MISSING else (case, query)
                sc = screen(missing, found, self.settings)
                if not sc.passes:
                    continue
                reasons += sc.reasons
                bonus = sc.bonus
            leads.append(
                Lead(
                    case_id=case.id,
                    kind=case.kind,
                    name=case_name(case),
                    status=case.status,
                    sex=case.sex,
                    age_years=case.age_years,
                    district=case.district,
                    photo_sha256=sha,
                    distance=d,
                    score=1.0 - d + bonus,
                    reasons=reasons,
                )
            )
        leads.sort(key=lambda x: (-x.score, x.distance, x.case_id))
        return leads

    def search(
        self,
        source: Path | str | bytes,
        *,
        top: int = 10,
        face: int | None = None,
        kind: str | None = None,
        max_distance: float | None = None,
        stage: Callable[[int, int], None] | None = None,
    ) -> PhotoSearch:
        """Rank the register's cases for a photo that is not stored (a search, audited).

        The one search by photo: `muskan match` and the window's search both come here, so
        both find the face with this service's face settings, pick the same face (`face`,
        1 = leftmost) and list leads up to the same distance (`max_distance`, default the
        settings' list_distance). `stage(done, 3)`: photo read and face found, index
        loaded, ranked."""
        require(self.ctx.role, Action.VIEW)
        if top < 1:
            raise ValidationError([FieldError("top", "bad_value", "must be at least 1")])
        step = stage or (lambda _d, _t: None)
        step(0, 3)
        name = Path(source).name if isinstance(source, str | Path) else "The photo"
        loaded = load_photo(
            source, max_bytes=self.photos.max_bytes, max_pixels=self.photos.max_pixels, name=name
        )
        enc = encode_face(loaded.image, face=face, label=name, settings=self.settings.face)
        step(1, 3)
        limit = self.settings.list_distance if max_distance is None else max_distance
        self.index.refresh(self.ctx.db)
        step(2, 3)
        with self.ctx.db.write() as s:
            leads = self._rank(s, enc.vector, kind=kind, query=None, k=top, max_distance=limit)
            audit.record(
                s, self.ctx, "face_search", None, None, sha256=loaded.sha256, results=len(leads)
            )
        step(3, 3)
        return PhotoSearch(loaded.sha256, loaded.image, enc, leads, limit)

    def match_photo(
        self,
        source: Path | str | bytes,
        *,
        top: int = 10,
        face: int | None = None,
        kind: str | None = None,
        max_distance: float | None = None,
    ) -> list[Lead]:
        """The leads of `search` alone."""
        found = self.search(source, top=top, face=face, kind=kind, max_distance=max_distance)
        return found.leads


@dataclass
class PhotoSearch:
    """What a search by photo found: the photo's face (for showing it) and the leads."""

    sha256: str
    image: Any  # PIL.Image.Image, upright RGB
    face: FaceEncoding
    leads: list[Lead]
    max_distance: float


def _get_case(s: Session, case_id: str) -> Case:
    case = s.get(Case, case_id.strip(), options=[lazyload(Case.events)]) if case_id else None
    if case is None:
        raise NotFoundError(f"No case with id {case_id!r} in this register.")
    return case


def loaded_meta(loaded: LoadedPhoto) -> dict[str, Any]:
    return {
        "sha256": loaded.sha256,
        "mime": loaded.mime,
        "width": loaded.width,
        "height": loaded.height,
    }


def attach_photos(
    ctx: Context,
    case_id: str,
    paths: Sequence[str | Path],
    *,
    face: int | None = None,
    taken_on: Any = None,
) -> list[AttachResult]:
    """Add photos to a case (for `muskan cases add --photo FILE`): each photo on its own, so
    one refused photo (no face, blurred, unreadable) does not stop the others."""
    svc = MatchService(ctx)
    out = []
    for p in paths:
        try:
            out.append(
                AttachResult(str(p), result=svc.add_photo(case_id, p, taken_on=taken_on, face=face))
            )
        except MuskanError as exc:
            out.append(AttachResult(str(p), error=exc))
    return out
