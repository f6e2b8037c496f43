"""Checking and decoding a photo: what the face engine and the thumbnails work from.

Split from photos.py (which re-exports all of it) so the batch intake's worker processes
can decode photos without importing the register's modules (SQLAlchemy and the models: half
a second at every worker start). Nothing here touches the data folder or the database.
"""

from __future__ import annotations

import hashlib
import io
import logging
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import MuskanError

log = logging.getLogger("muskan_desktop.photos")

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMB_SIDE = 256
THUMB_QUALITY = 85
# Pillow format -> (mime, file extension)
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}
FORMATS |= {"WEBP": ("image/webp", "webp"), "BMP": ("image/bmp", "bmp")}
ACCEPTED = "JPEG, PNG, WebP or BMP"


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
