"""Photo intake: every photo is checked, decoded, stored once by its SHA-256 and recorded.

`load_photo` (in photo_decode.py, re-exported here) refuses what should never reach the
register (huge files, decompression bombs, non-images, formats we do not accept, cut-short or
damaged files) with a message a person can act on, and returns the upright RGB image the face
engine and the thumbnails work from.
`PhotoStore` is the only code that reads or writes photo bytes (encryption at rest goes here).
Logs never carry names or image content.
"""

from __future__ import annotations

import builtins
import datetime as dt
import errno
import hashlib
import io
import logging
import os
import re
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .context import Context
from .durable import atomic_write, ensure_dir
from .errors import DiskFullError, FieldError, NotFoundError, StorageError, ValidationError
from .ids import new_id
from .models import Case, Photo
from .photo_decode import ACCEPTED as ACCEPTED
from .photo_decode import FORMATS as FORMATS
from .photo_decode import MAX_BYTES as MAX_BYTES
from .photo_decode import MAX_PIXELS as MAX_PIXELS
from .photo_decode import THUMB_QUALITY as THUMB_QUALITY
from .photo_decode import THUMB_SIDE as THUMB_SIDE
from .photo_decode import LoadedPhoto as LoadedPhoto
from .photo_decode import PhotoError as PhotoError
from .photo_decode import load_photo as load_photo
from .roles import Action, require
from .validation import parse_date

log = logging.getLogger(__name__)

_SHA = re.compile(r"[0-9a-f]{64}")


# An encrypted photo or thumbnail file: MAGIC, a 12-byte nonce, AES-256-GCM ciphertext+tag.
# The associated data binds a file to its name, so swapped files do not decrypt.
MAGIC = b"MSKENC1\x00"
ENC_OVERHEAD = len(MAGIC) + 12 + 16


class PhotoStore:
    """Photo files in the data folder, named by their SHA-256 (so each is stored once).

    photos/<sha[:2]>/<sha>.<ext> holds the original; thumbs/<sha[:2]>/<sha>.jpg a small
    upright JPEG; both encrypted with the register's photo key (AES-GCM). A plain file (from
    before encryption, until security_migrate has rewritten it) is still read. Writes are
    atomic and durable: temp file, fsync, rename, fsync the folder.
    """

    def __init__(self, home: Path, key: bytes | None = None) -> None:
        self.home = Path(home)
        self.photos = self.home / "photos"
        self.thumbs = self.home / "thumbs"
        self._key = key

    @property
    def key(self) -> bytes:
        if self._key is None:
            from . import keystore

            self._key = keystore.load_keys(self.home).photo
        return self._key

    def put(self, loaded: LoadedPhoto) -> Path:
        """Store the original (once) and its thumbnail; returns the original's path."""
        target = self.photos / loaded.sha256[:2] / f"{loaded.sha256}.{loaded.ext}"
        if not (target.is_file() and target.stat().st_size == len(loaded.data) + ENC_OVERHEAD):
            self._write(target, self.seal(loaded.data, loaded.sha256))
        thumb = self._thumb_path(loaded.sha256)
        if not thumb.is_file():
            self._write(thumb, self.seal(make_thumbnail(loaded.image), loaded.sha256, "thumb"))
        return target

    def seal(self, data: bytes, sha: str, kind: str = "photo") -> bytes:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(12)
        return MAGIC + nonce + AESGCM(self.key).encrypt(nonce, data, f"{kind}:{sha}".encode())

    def open_sealed(self, data: bytes, sha: str, kind: str, label: str) -> bytes:
        """The plain bytes of a stored file (a plain legacy file comes back as it is)."""
        if not data.startswith(MAGIC):
            return data
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        n = len(MAGIC)
        try:
            aad = f"{kind}:{sha}".encode()
            return AESGCM(self.key).decrypt(data[n : n + 12], data[n + 12 :], aad)
        except InvalidTag:
            raise PhotoError(
                "corrupt",
                f"The stored copy {label} is damaged or was not written by this register. "
                "Restore the data folder from a backup.",
            ) from None

    def thumbnail_bytes(self, sha: str) -> bytes | None:
        """The thumbnail's JPEG bytes (decrypted), or None if there is none."""
        p = self.thumbnail(sha)
        if p is None:
            return None
        try:
            data = p.read_bytes()
        except OSError:
            return None
        return self.open_sealed(data, sha, "thumb", p.name)

    def path(self, sha: str) -> Path | None:
        folder = self.photos / _check_sha(sha)[:2]
        for _, ext in FORMATS.values():
            p = folder / f"{sha}.{ext}"
            if p.is_file():
                return p
        return None

    def thumbnail(self, sha: str) -> Path | None:
        p = self._thumb_path(_check_sha(sha))
        return p if p.is_file() else None

    def read(self, sha: str) -> bytes:
        """The original bytes, checked against their SHA-256."""
        p = self.path(sha)
        if p is None:
            raise NotFoundError(f"The file of photo {sha[:12]}… is missing from {self.photos}.")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise PhotoError("unreadable", f"{p} cannot be read: {exc.strerror}.") from None
        data = self.open_sealed(data, sha, "photo", p.name)
        if hashlib.sha256(data).hexdigest() != sha:
            raise PhotoError(
                "corrupt",
                f"The stored copy {p.name} is damaged (its contents changed after it was "
                "added). Restore the data folder from a backup.",
            )
        return data

    def _thumb_path(self, sha: str) -> Path:
        return self.thumbs / sha[:2] / f"{sha}.jpg"

    def _write(self, target: Path, data: bytes) -> None:
        try:
            ensure_dir(target.parent)
            atomic_write(target, data)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise DiskFullError(self.home) from exc
            msg = f"Cannot save the photo in {target.parent}: {exc.strerror or exc}."
            raise StorageError(msg) from exc


def make_thumbnail(image: Image.Image) -> bytes:
    """JPEG bytes, longest side THUMB_SIDE (smaller pictures are not enlarged), no EXIF."""
    w, h = image.size
    k = min(1.0, THUMB_SIDE / max(w, h))
    size = (max(1, round(w * k)), max(1, round(h * k)))
    small = image if size == (w, h) else image.resize(size, Image.Resampling.LANCZOS, None, 3.0)
    buf = io.BytesIO()
    small.convert("RGB").save(buf, "JPEG", quality=THUMB_QUALITY)
    return buf.getvalue()


def _check_sha(sha: str) -> str:
    if not isinstance(sha, str) or not _SHA.fullmatch(sha):
        raise ValueError("not a SHA-256 hex digest")
    return sha


class PhotoService:
    """Photos of cases. Each public method is one transaction (plus the file write in `add`)."""

    max_bytes = MAX_BYTES
    max_pixels = MAX_PIXELS

    def __init__(self, ctx: Context, store: PhotoStore | None = None) -> None:
        self.ctx = ctx
        self.store = store or PhotoStore(ctx.home)

    def add(self, case_id: str, source: Path | bytes, *, taken_on: Any = None) -> Photo:
        """Check, store and record a photo of a case; the same photo twice is one row.

        The file is written before the row commits, never the other way round: if the program
        dies in between, an orphan file is left (harmless: adding the photo again finds it, and
        files are named by content), but a row never points to a missing file.
        """
        require(self.ctx.role, Action.CREATE)
        day = self.taken_on_day(taken_on)
        loaded = load_photo(source, max_bytes=self.max_bytes, max_pixels=self.max_pixels)
        with self.ctx.db.read() as s:
            self._case(s, case_id)  # an unknown case stores no file
        return self.record_loaded(case_id, loaded, day)

    def record_loaded(self, case_id: str, loaded: LoadedPhoto, day: dt.date | None) -> Photo:
        """Store an already checked photo (file first, then its row) without a face
        descriptor: a photo kept with its case but not matched."""
        require(self.ctx.role, Action.CREATE)
        self.store.put(loaded)
        with self.ctx.db.write() as s:
            case = self._case(s, case_id)
            existing = s.scalar(
                select(Photo).where(Photo.case_id == case.id, Photo.sha256 == loaded.sha256)
            )
            if existing is not None:
                return existing
            photo = Photo(
                id=new_id(),
                case_id=case.id,
                sha256=loaded.sha256,
                mime=loaded.mime,
                width=loaded.width,
                height=loaded.height,
                taken_on=day,
                added_at=self.ctx.clock(),
                added_by=self.ctx.actor,
            )
            s.add(photo)
            s.flush()
            audit.record(s, self.ctx, "photo_add", "case", case.id, sha256=loaded.sha256)
        return photo

    def list(self, case_id: str) -> builtins.list[Photo]:
        """A case's photos, oldest first (by date taken, undated last, then by when added)."""
        with self.ctx.db.read() as s:
            case = self._case(s, case_id)
            return builtins.list(
                s.scalars(
                    select(Photo)
                    .where(Photo.case_id == case.id)
                    .order_by(Photo.taken_on.is_(None), Photo.taken_on, Photo.added_at, Photo.id)
                )
            )

    def open_for_view(self, photo_id: str) -> bytes:
        """The original photo (decrypted, hash-checked) to show a person; every view is
        recorded in the audit trail."""
        require(self.ctx.role, Action.VIEW)
        with self.ctx.db.write() as s:
            photo = s.get(Photo, photo_id.strip()) if photo_id else None
            if photo is None:
                raise NotFoundError(f"No photo with id {photo_id!r} in this register.")
            if self.store.path(photo.sha256) is None:
                raise NotFoundError(
                    f"The file of this photo is missing from {self.store.photos}; "
                    "restore the data folder from a backup."
                )
            data = self.store.read(photo.sha256)
            details = {"photo_id": photo.id, "sha256": photo.sha256}
            audit.record(s, self.ctx, "photo_view", "case", photo.case_id, **details)
        return data

    def taken_on_day(self, value: Any) -> dt.date | None:
        """The day a photo was taken (YYYY-MM-DD, not in the future), or None."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            day = parse_date(value)
        except ValueError as exc:
            raise ValidationError([FieldError("taken_on", "bad_date", str(exc))]) from None
        if day > self.ctx.today():
            raise ValidationError(
                [FieldError("taken_on", "future_date", f"{day.isoformat()} is in the future")]
            )
        return day

    _taken_on = taken_on_day  # the old name, for match_batch until it takes the public one

    def _case(self, s: Session, case_id: str) -> Case:
        case = s.get(Case, case_id.strip()) if case_id else None
        if case is None:
            raise NotFoundError(f"No case with id {case_id!r} in this register.")
        return case
