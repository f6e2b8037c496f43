"""What a device may see: its station's and district's cases in full, everything else as the
match index; a photo only where its case may be seen in full.

Photos are named by their SHA-256, and knowing a hash must never be enough to get a photo:

- A photo is handed out for a `photos` row of a case the device may see in full, and only if
  that case's own station sent the photo's bytes (`server_blob_uploaders`): a row a laptop
  planted on one of its cases naming another district's photo opens nothing.
- Rows that point at a photo of a case outside the device's jurisdiction (face embeddings,
  which every station pulls for matching, and match candidates) carry a *pseudonym* instead
  of the hash: HMAC-SHA256 of the hash under a key only the server holds (`server_secrets`).
  It is as long as a hash, the same for every device and every pull, and cannot be turned
  back into the hash. A laptop matches on the descriptor, not the hash, so matching offline
  works as before; a match a laptop raises against a remote case names the pseudonym, and the
  server maps it back to the photo's hash when it applies the match (`real_photo`), keeping
  the hash on the server and the pseudonym on the laptops outside that case's jurisdiction.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, MutableMapping
from typing import Any

from sqlalchemy import select

from muskan_desktop.models import Case, FaceEmbedding, Photo

from . import schema
from .store import Device

# Rows whose photo hashes depend on who reads them: (case column, photo column) pairs.
PHOTO_COLUMNS = {
    "face_embeddings": (("case_id", "photo_sha256"),),
    "match_candidates": (
        ("missing_case_id", "missing_photo_sha"),
        ("found_case_id", "found_photo_sha"),
    ),
}


def in_scope(dev: Device, station_id: str | None, district: str | None) -> bool:
    return station_id == dev.station_id or (district is not None and district == dev.district)


def visible_cases(s: Any, dev: Device, case_ids: set[str]) -> set[str]:
    """Those of `case_ids` this device may see in full."""
    if not case_ids:
        return set()
    q = select(Case.id, Case.station_id, Case.district).where(Case.id.in_(list(case_ids)))
    return {cid for cid, st, d in s.execute(q) if in_scope(dev, st, d)}


def pseudonym_key(s: Any) -> bytes:
    t = schema.secrets_table
    key = s.scalar(select(t.c.value).where(t.c.name == schema.PSEUDONYM_KEY))
    if key is None:  # (schema.create writes it on every start)
        raise RuntimeError("the server database has no photo pseudonym key; restart the server")
    return bytes.fromhex(key)


def pseudonym(key: bytes, sha: str) -> str:
    return hmac.new(key, sha.encode(), hashlib.sha256).hexdigest()


def hide_photos(s: Any, dev: Device, entity: str, out: Iterable[MutableMapping[str, Any]]) -> None:
    """Wire rows of `entity` as this device may have them: the hash of each photo of a case
    outside its jurisdiction replaced by the photo's pseudonym (in place)."""
    pairs = PHOTO_COLUMNS.get(entity)
    rowlist = list(out)
    if not pairs or not rowlist:
        return
    case_ids = {r[c] for r in rowlist for c, _ in pairs}
    visible = visible_cases(s, dev, case_ids)
    hidden = [(r, p) for r in rowlist for c, p in pairs if r[c] not in visible and r[p]]
    if hidden:
        key = pseudonym_key(s)
        for r, p in hidden:
            r[p] = pseudonym(key, r[p])


def real_photo(s: Any, dev: Device, case: Case, named: str) -> str:
    """The photo hash a match pushed by this device means for `case`: the hash itself, or,
    for a case outside the device's jurisdiction, the hash whose pseudonym it names (the
    laptop got only that). Unknown names are kept as sent."""
    if in_scope(dev, case.station_id, case.district):
        return named
    shas = set(
        s.scalars(select(FaceEmbedding.photo_sha256).where(FaceEmbedding.case_id == case.id))
    )
    shas |= set(s.scalars(select(Photo.sha256).where(Photo.case_id == case.id)))
    if named in shas:
        return named
    key = pseudonym_key(s)
    return next((sha for sha in shas if pseudonym(key, sha) == named), named)


def photo_visible(s: Any, dev: Device, sha: str) -> bool:
    """May this device download the photo? Only for a case it may see in full, to which the
    photo was attached by the case's own station (which sent its bytes)."""
    up = schema.blob_uploaders
    q = (
        select(Case.station_id, Case.district)
        .join(Photo, Photo.case_id == Case.id)
        .join(up, (up.c.sha256 == Photo.sha256) & (up.c.station_id == Case.station_id))
        .where(Photo.sha256 == sha)
    )
    return any(in_scope(dev, st, d) for st, d in s.execute(q))
