"""Photo intake: every photo is checked, decoded, stored once by its SHA-256 and recorded.

`load_photo` refuses what should never reach the register (huge files, decompression bombs,
non-images, formats we do not accept, cut-short or damaged files) with a message a person can
act on, and returns the upright RGB image the face engine and the thumbnails work from.
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
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .context import Context
from .errors import FieldError, MuskanError, NotFoundError, StorageError, ValidationError
from .ids import new_id
from .models import Case, Photo
from .roles import Action, require
from .validation import parse_date

log = logging.getLogger(__name__)

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMB_SIDE = 256
THUMB_QUALITY = 85
# Pillow format -> (mime, file extension)
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}
FORMATS |= {"WEBP": ("image/webp", "webp"), "BMP": ("image/bmp", "bmp")}
ACCEPTED = "JPEG, PNG, WebP or BMP"
_SHA = re.compile(r"[0-9a-f]{64}")


class PhotoError(MuskanError):
    """A photo that cannot be taken in; `code` is stable (for translation in the UI)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class LoadedPhoto:
    data: bytes  # the original file, byte for byte
    sha256: str
    mime: str
    format: str  # JPEG, PNG, WEBP or BMP
    image: Image.Image  # RGB, upright (EXIF orientation applied)
    width: int
    height: int

    @property
    def ext(self) -> str:
        return FORMATS[self.format][1]


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.3g} MB"
    if n >= 1024:
        return f"{n / 1024:.3g} KB"
    return f"{n} bytes"


def _mp(n: int) -> str:
    return f"{n / 1e6:.3g} megapixels" if n >= 1_000_000 else f"{n:,} pixels"


def load_photo(
    source: Path | str | bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
    name: str | None = None,
) -> LoadedPhoto:
    """Check and decode one photo (a file or its bytes); PhotoError says what is wrong.

    Nothing larger than `max_bytes` is read and nothing larger than `max_pixels` is decoded:
    the size is taken from the file's header before any pixel memory is allocated.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        label = name or "The photo"
        data = bytes(source)
        if len(data) > max_bytes:
            raise _too_large(label, len(data), max_bytes)
    else:
        path = Path(source)
        label = name or path.name
        data = _read_file(path, label, max_bytes)
    if not data:
        raise PhotoError("empty", f"{label} is empty (0 bytes); choose the photo file again.")

    try:
        img = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise PhotoError("not_an_image", f"{label} is not an image ({ACCEPTED}).") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # over Pillow's own limit: refused before our check; read the size just for the message
        if (size := _header_size(data)) is not None:
            raise _too_many(label, *size, max_pixels) from None
        msg = f"{label} has far more pixels than the limit of {_mp(max_pixels)}."
        raise PhotoError("too_many_pixels", msg) from None
    except Exception as exc:  # a header that is there but broken
        raise _broken(label, exc, None) from None

    # MPO is what Pillow calls the JPEGs many phones write (a JPEG with previews appended)
    fmt = "JPEG" if img.format == "MPO" else (img.format or "")
    if fmt not in FORMATS:
        kind = f"a {fmt} image" if fmt else "an image of a kind Muskan does not accept"
        raise PhotoError(
            "unsupported_format",
            f"{label} is {kind}; Muskan accepts {ACCEPTED} photos. "
            "Save it as JPEG or PNG and add it again.",
        )
    w, h = img.size
    if w * h > max_pixels:  # checked on the header, before any pixel is decoded
        raise _too_many(label, w, h, max_pixels)
    if w < 1 or h < 1:
        raise PhotoError("corrupt", f"{label} has no pixels ({w} × {h}).")
    # ImageFile.LOAD_TRUNCATED_IMAGES stays False (Pillow's default; never set here), so a
    # cut-short file raises instead of being padded with grey.
    try:
        img.load()
        _upright(img)
        rgb = _to_rgb(img)
    except Exception as exc:
        raise _broken(label, exc, fmt) from None
    return LoadedPhoto(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        mime=FORMATS[fmt][0],
        format=fmt,
        image=rgb,
        width=rgb.width,
        height=rgb.height,
    )


def _read_file(path: Path, label: str, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_large(label, size, max_bytes)
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since stat
    except FileNotFoundError:
        raise PhotoError("unreadable", f"{label} does not exist (was it moved?).") from None
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        raise PhotoError("unreadable", f"{label} cannot be read: {why}.") from None
    if len(data) > max_bytes:
        raise _too_large(label, len(data), max_bytes)
    return data


def _too_large(label: str, size: int, limit: int) -> PhotoError:
    return PhotoError(
        "too_large_file",
        f"{label} is {_size(size)}; the limit is {_size(limit)}. Use a smaller copy of the photo.",
    )


def _too_many(label: str, w: int, h: int, limit: int) -> PhotoError:
    return PhotoError(
        "too_many_pixels",
        f"{label} is {w} × {h} pixels ({_mp(w * h)}); the limit is {_mp(limit)}.",
    )


def _header_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from an accepted format's header, without Pillow's bomb check."""
    Image.init()
    for fmt in FORMATS:
        factory, accept = Image.OPEN.get(fmt, (None, None))
        if factory is not None and (accept is None or accept(data[:16]) is True):
            with suppress(Exception):
                return factory(io.BytesIO(data), "").size
    return None


def _broken(label: str, exc: BaseException, fmt: str | None) -> PhotoError:
    if isinstance(exc, EOFError) or "truncated" in str(exc).lower():
        return PhotoError(
            "truncated",
            f"{label} is incomplete: the file is cut short (an unfinished download or copy). "
            "Copy the photo again from where it came from.",
        )
    kind = f"a {fmt} image" if fmt else "an image"
    return PhotoError(
        "corrupt", f"{label} is damaged and cannot be read as {kind}; use another copy."
    )


def _upright(img: Image.Image) -> None:
    """Turn the picture (in place) as the EXIF orientation says; a bad EXIF block is ignored."""
    try:
        ImageOps.exif_transpose(img, in_place=True)
    except Exception:
        log.warning("photo EXIF orientation could not be read; kept as stored")


def _to_rgb(img: Image.Image) -> Image.Image:
    """8-bit RGB: transparency over white, CMYK converted, 16/32-bit grey scaled (not clipped)."""
    mode = img.mode
    if mode.startswith("I") or mode == "F":
        arr = np.asarray(img, dtype=np.float64)  # PNG's 16-bit grey opens as I;16 or I
        top = 65535.0 if mode.startswith("I;16") or arr.max() > 255 else 255.0
        grey = np.clip(arr * (255.0 / top) + 0.5, 0, 255).astype(np.uint8)
        return Image.fromarray(grey).convert("RGB")
    if img.has_transparency_data:
        rgba = img.convert("RGBA")
        out = Image.new("RGB", rgba.size, (255, 255, 255))
        out.paste(rgba, mask=rgba.getchannel("A"))
        return out
    return img if mode == "RGB" else img.convert("RGB")


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
            _ensure_dir(target.parent)
            _atomic_write(target, data)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                msg = f"The disk holding {self.home} is full; the photo was not saved."
            else:
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


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder; NTFS journals the rename itself
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _ensure_dir(folder: Path) -> None:
    """Create `folder` (and missing parents), making each new entry durable in its parent."""
    if folder.is_dir():
        return
    _ensure_dir(folder.parent)
    with suppress(FileExistsError):
        folder.mkdir()
    _fsync_dir(folder.parent)


def _atomic_write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


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
        day = self._taken_on(taken_on)
        loaded = load_photo(source, max_bytes=self.max_bytes, max_pixels=self.max_pixels)
        with self.ctx.db.read() as s:
            self._case(s, case_id)  # an unknown case stores no file
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

    def _taken_on(self, value: Any) -> dt.date | None:
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

    def _case(self, s: Session, case_id: str) -> Case:
        case = s.get(Case, case_id.strip()) if case_id else None
        if case is None:
            raise NotFoundError(f"No case with id {case_id!r} in this register.")
        return case
