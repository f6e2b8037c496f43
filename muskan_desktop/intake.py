"""Use cases that the window and the command line call alike, so each has one set of rules.

- `add_case_with_photos` / `save_case_with_photos`: a case and its photos (the case form's
  Save, `muskan cases add --photo`).
- `search_by_photo`: rank the register for a photo that is not stored (the window's search
  by photo, `muskan match`).
- `list_alerts`: the match alerts to review (the window's inbox, `muskan alerts list`).

The photo rule, decided here and nowhere else:
- a photo that cannot be read (not an image, damaged, too large) is refused: it is not
  stored, and the officer is told why;
- a readable photo without a usable face (none, several and none chosen, too small, too
  blurred, turned away) is kept with the case but not encoded, so it raises no alert and is
  never found by a search; the officer is told why;
- a photo with a usable face is stored, encoded and compared, and may raise alerts.
The case is saved (on disk) before any photo. If a photo step then fails for a reason that
is not the photo's (a locked register, a full disk, a bug), `PhotoStepFailed` carries the
saved case's id: the caller keeps editing that case and retries the photos, never making a
second one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .context import Context
from .errors import MuskanError, disk_full_error
from .faces import FaceError, encode_face
from .match_alerts import AlertService
from .match_rules import DEFAULT_MATCH, MatchSettings
from .matching import MatchService, PhotoResult, PhotoSearch, loaded_meta
from .photos import PhotoError, load_photo

ENCODED = "encoded"  # stored, face encoded and compared
KEPT = "kept"  # stored with the case, no usable face: not matched
REFUSED = "refused"  # not stored: the file cannot be read as a photo


@dataclass
class PhotoOutcome:
    """What became of one photo given with a case."""

    file: str  # as given (a path)
    status: str  # ENCODED, KEPT or REFUSED
    code: str | None = None  # why it was kept unmatched or refused (stable, for translation)
    message: str | None = None
    photo_id: str | None = None
    result: PhotoResult | None = None  # ENCODED: the face used and the alerts raised

    @property
    def stored(self) -> bool:
        return self.status in (ENCODED, KEPT)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "status": self.status}
        if self.code is not None:
            out |= {"code": self.code, "message": self.message}
        if self.photo_id is not None:
            out["photo_id"] = self.photo_id
        if self.result is not None:
            out |= {"face": self.result.face, "alerts": self.result.alerts}
        return out


@dataclass
class CaseIntake:
    """A saved case and what became of each of its photos, in the order given."""

    case_id: str
    version: int
    created: bool
    photos: list[PhotoOutcome] = field(default_factory=list)

    @property
    def alerts(self) -> int:
        return sum(len(p.result.alerts) for p in self.photos if p.result is not None)


class PhotoStepFailed(Exception):
    """The case was saved, then a photo step failed for a reason that is not the photo's.

    `case_id` and `version` are the saved case (edit it, never create it again); `done` the
    photos dealt with before the failure; `pending` the files still to add; `cause` what
    went wrong (also `__cause__`), to be reported as it is: a problem the user can fix or a
    bug; `saved` the case as saved (cases.case_to_dict) when this call saved fields."""

    def __init__(
        self,
        case_id: str,
        version: int,
        done: list[PhotoOutcome],
        pending: list[str],
        cause: BaseException,
        saved: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"case {case_id} was saved; {len(pending)} photo(s) were not")
        self.case_id, self.version = case_id, version
        self.done, self.pending, self.cause, self.saved = done, pending, cause, saved

    def reason(self) -> str | None:
        """What stopped the photos, for a person (None: a bug, to be reported as one)."""
        full = disk_full_error(self.cause)
        if full is not None:  # its own text says "nothing was saved": here the case was
            return f"the disk is full; free space on {full.drive}"
        if isinstance(self.cause, MuskanError):
            return self.cause.message
        return None


FaceChoices = Mapping[str, int]  # a photo (as given, str(path)) -> which face, 1 = leftmost


def add_case_with_photos(
    ctx: Context,
    fields: Mapping[str, Any],
    photos: Sequence[Path | str],
    face_choices: FaceChoices | None = None,
    *,
    station: str | None = None,
    district: str | None = None,
    taken_on: Any = None,
    settings: MatchSettings = DEFAULT_MATCH,
) -> CaseIntake:
    """Save a new case, then each photo by the rule above (module docstring).

    Bad fields or a bad `taken_on` change nothing (ValidationError). Once the case is saved,
    a photo that cannot be read is refused on its own (its outcome says why) and the others
    go in; a failure that is not the photo's raises PhotoStepFailed with the saved case."""
    from .cases import CaseService, case_to_dict

    ms = MatchService(ctx, settings)
    day = ms.photos.taken_on_day(taken_on)  # checked before anything is saved
    case = CaseService(ctx).create(fields, station=station, district=district)
    saved = case_to_dict(case)
    outcomes = _add_photos(ms, case.id, case.version, photos, face_choices or {}, day, saved)
    return CaseIntake(case.id, case.version, True, outcomes)


def save_case_with_photos(
    ctx: Context,
    case_id: str,
    changes: Mapping[str, Any],
    photos: Sequence[Path | str],
    face_choices: FaceChoices | None = None,
    *,
    version: int | None = None,
    taken_on: Any = None,
    settings: MatchSettings = DEFAULT_MATCH,
) -> CaseIntake:
    """Save changes to a case that exists, then its new photos by the same rule: the case
    form's Save on a case, and Save again after a photo step failed (photos already stored
    are found by their content and not stored twice)."""
    from .cases import CaseService, case_to_dict
    from .roles import Action, require

    if photos:
        require(ctx.role, Action.CREATE)
    ms = MatchService(ctx, settings)
    day = ms.photos.taken_on_day(taken_on)
    svc = CaseService(ctx)
    saved = None
    if changes:
        case = svc.update(case_id, changes, version=version)
        cid, now, saved = case.id, case.version, case_to_dict(case)
    else:
        cid, now = _version(ctx, case_id)
    outcomes = _add_photos(ms, cid, now, photos, face_choices or {}, day, saved)
    return CaseIntake(cid, now, False, outcomes)


def _version(ctx: Context, case_id: str) -> tuple[str, int]:
    from sqlalchemy import select

    from .errors import NotFoundError
    from .models import Case

    with ctx.db.read() as s:
        row = s.execute(
            select(Case.id, Case.version).where(Case.id == case_id.strip())
        ).one_or_none()
    if row is None:
        raise NotFoundError(f"No case with id {case_id!r} in this register.")
    return str(row[0]), int(row[1])


def _add_photos(
    ms: MatchService,
    case_id: str,
    version: int,
    photos: Sequence[Path | str],
    face_choices: FaceChoices,
    day: dt.date | None,
    saved: dict[str, Any] | None,
) -> list[PhotoOutcome]:
    done: list[PhotoOutcome] = []
    for i, p in enumerate(photos):
        try:
            done.append(_add_photo(ms, case_id, p, face_choices.get(str(p)), day))
        except Exception as exc:
            pending = [str(x) for x in photos[i:]]
            raise PhotoStepFailed(case_id, version, done, pending, exc, saved) from exc
    return done


def _add_photo(
    ms: MatchService, case_id: str, source: Path | str, face: int | None, day: dt.date | None
) -> PhotoOutcome:
    name = Path(source).name
    try:
        loaded = load_photo(
            Path(source), max_bytes=ms.photos.max_bytes, max_pixels=ms.photos.max_pixels, name=name
        )
    except PhotoError as exc:
        return PhotoOutcome(str(source), REFUSED, exc.code, exc.message)
    try:
        enc = encode_face(loaded.image, face=face, label=name, settings=ms.settings.face)
    except FaceError as exc:
        photo = ms.photos.record_loaded(case_id, loaded, day)
        return PhotoOutcome(str(source), KEPT, exc.code, exc.message, photo_id=photo.id)
    ms.store.put(loaded)
    res = ms.record_encoded(case_id, loaded_meta(loaded), enc, day)
    return PhotoOutcome(str(source), ENCODED, photo_id=res.photo_id, result=res)


def search_by_photo(
    ctx: Context,
    source: Path | str | bytes,
    *,
    settings: MatchSettings = DEFAULT_MATCH,
    top: int = 10,
    face: int | None = None,
    kind: str | None = None,
    max_distance: float | None = None,
    stage: Callable[[int, int], None] | None = None,
) -> PhotoSearch:
    """Rank the register's cases for a photo that is not stored: `settings` decide how the
    face is found and how far leads are listed (see MatchService.search)."""
    return MatchService(ctx, settings).search(
        source, top=top, face=face, kind=kind, max_distance=max_distance, stage=stage
    )


def list_alerts(
    ctx: Context,
    status: str | None = "open",
    *,
    district: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    order: str = "distance",
) -> list[dict[str, Any]]:
    """The match alerts to review, in one joined query (see AlertService.list_alerts)."""
    return AlertService(ctx).list_alerts(
        status, district=district, date_from=date_from, date_to=date_to, order=order
    )
