"""Photo intake: what is accepted, what is refused (and nothing written), and how it is stored."""

from __future__ import annotations

import hashlib
import io
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import func, select

from muskan_desktop.cases import CaseService
from muskan_desktop.context import Context
from muskan_desktop.errors import NotFoundError, ValidationError
from muskan_desktop.models import AuditEvent, Photo
from muskan_desktop.photos import PhotoError, PhotoService, PhotoStore, load_photo

from .conftest import shared_dir


@pytest.fixture
def faces() -> Path:
    return shared_dir() / "data" / "faces"


@pytest.fixture
def case_id(ctx: Context) -> str:
    return CaseService(ctx).create({"kind": "found", "sex": "M", "age_years": 9}).id


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def photo_rows(ctx: Context) -> int:
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(Photo)) or 0


def encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def blank_png(width: int, height: int) -> bytes:
    """A 1-bit black PNG built by hand: a few KB on disk however many pixels it claims."""

    def chunk(tag: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(tag + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", crc)

    row = b"\x00" * (1 + (width + 7) // 8)
    comp = zlib.compressobj(9)
    idat = [comp.compress(row * min(1000, height - y)) for y in range(0, height, 1000)]
    idat.append(comp.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", b"".join(idat))
        + chunk(b"IEND", b"")
    )


def mean_diff(a: Image.Image, b: Image.Image) -> float:
    return float(np.abs(np.asarray(a, np.int16) - np.asarray(b, np.int16)).mean())


# -- accepted ---------------------------------------------------------------------------------
def test_obama_loads_as_rgb_with_its_hash(faces: Path):
    path = faces / "obama.jpg"
    p = load_photo(path)
    assert p.image.mode == "RGB"
    assert (p.width, p.height) == p.image.size == Image.open(path).size
    assert p.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert p.data == path.read_bytes()
    assert (p.format, p.mime) == ("JPEG", "image/jpeg")


def test_same_photo_is_stored_once(ctx: Context, case_id: str, faces: Path, home: Path):
    svc = PhotoService(ctx)
    other = CaseService(ctx).create({"kind": "found", "sex": "F", "age_years": 6}).id
    first = svc.add(case_id, faces / "obama.jpg")
    again = svc.add(case_id, faces / "obama.jpg")
    elsewhere = svc.add(other, faces / "obama.jpg", taken_on="2026-10-01")
    assert again.id == first.id
    assert elsewhere.id != first.id and elsewhere.sha256 == first.sha256
    assert photo_rows(ctx) == 2
    sha = first.sha256
    assert files_under(home / "photos") == [home / "photos" / sha[:2] / f"{sha}.jpg"]
    assert files_under(home / "thumbs") == [home / "thumbs" / sha[:2] / f"{sha}.jpg"]
    assert (first.mime, first.width, first.height) == ("image/jpeg", 910, 1137)
    store = PhotoStore(home)
    assert store.read(sha) == (faces / "obama.jpg").read_bytes()
    assert store.path("0" * 64) is None and store.thumbnail("0" * 64) is None
    with ctx.db.read() as s:
        adds = s.scalars(select(AuditEvent).where(AuditEvent.action == "photo_add")).all()
    assert [(a.entity_id, a.details) for a in adds] == [
        (case_id, {"sha256": sha}),
        (other, {"sha256": sha}),
    ]


def test_list_orders_by_date_taken(ctx: Context, case_id: str, faces: Path):
    svc = PhotoService(ctx)
    late = svc.add(case_id, faces / "obama.jpg", taken_on="2026-09-01")
    undated = svc.add(case_id, faces / "biden.jpg")
    early = svc.add(case_id, faces / "obama2.jpg", taken_on="2025-01-15")
    assert [p.id for p in svc.list(case_id)] == [early.id, late.id, undated.id]
    with pytest.raises(NotFoundError):
        svc.list("no-such-case")


def test_rgba_png_becomes_rgb_over_white(faces: Path, tmp_path: Path):
    p = load_photo(faces / "32bit.png")
    assert p.image.mode == "RGB" and p.format == "PNG" and p.mime == "image/png"
    rgba = Image.new("RGBA", (20, 10), (200, 0, 0, 255))
    rgba.paste((0, 0, 0, 0), (10, 0, 20, 10))
    out = load_photo(encode(rgba, "PNG")).image
    assert out.getpixel((2, 2)) == (200, 0, 0)
    assert out.getpixel((15, 5)) == (255, 255, 255)


def test_other_modes_and_formats_load(faces: Path, tmp_path: Path):
    orig = Image.open(faces / "obama.jpg").convert("RGB")
    cmyk = load_photo(encode(orig.convert("CMYK"), "JPEG", quality=95))
    assert cmyk.image.mode == "RGB" and cmyk.image.size == orig.size
    assert mean_diff(cmyk.image, orig) < 10

    grey = load_photo(encode(orig.convert("L"), "PNG"))
    assert grey.image.mode == "RGB" and grey.image.size == orig.size

    # phones write JPEGs with appended previews, which Pillow reports as MPO: still a JPEG
    mpo = encode(orig, "MPO", save_all=True, append_images=[orig.resize((90, 110))])
    assert Image.open(io.BytesIO(mpo)).format == "MPO"
    assert (load_photo(mpo).format, load_photo(mpo).mime) == ("JPEG", "image/jpeg")

    for fmt, mime in (("WEBP", "image/webp"), ("BMP", "image/bmp")):
        path = tmp_path / f"obama.{fmt.lower()}"
        orig.save(path, fmt)
        p = load_photo(path)
        assert (p.format, p.mime, p.image.mode, p.image.size) == (fmt, mime, "RGB", orig.size)
        assert mean_diff(p.image, orig) < 8


def test_16_bit_grey_is_scaled_not_clipped():
    ramp = np.tile(np.linspace(0, 65535, 256).astype(np.uint16), (16, 1))
    src = Image.fromarray(ramp)
    assert src.mode.startswith("I;16")
    data = encode(src, "PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I")  # really a 16-bit PNG
    out = np.asarray(load_photo(data).image)
    assert out.shape == (16, 256, 3)
    assert out[0, 0].tolist() == [0, 0, 0]
    assert out[0, -1].tolist() == [255, 255, 255]
    assert 120 <= out[0, 128, 0] <= 135
    assert np.all(np.diff(out[0, :, 0].astype(int)) >= 0)  # still a ramp


def test_palette_with_transparency_is_over_white():
    img = Image.new("P", (20, 10), 0)
    img.putpalette([0, 0, 0, 0, 0, 255])
    img.paste(1, (0, 0, 10, 10))
    data = encode(img, "PNG", transparency=0)
    out = load_photo(data).image
    assert out.mode == "RGB"
    assert out.getpixel((5, 5)) == (0, 0, 255)
    assert out.getpixel((15, 5)) == (255, 255, 255)


@pytest.mark.parametrize("orientation", [6, 8])
def test_exif_orientation_is_applied(faces: Path, tmp_path: Path, orientation: int):
    upright = load_photo(faces / "obama.jpg").image
    # the camera stored the pixels turned; the EXIF tag says how to turn them back
    stored = upright.transpose(
        Image.Transpose.ROTATE_90 if orientation == 6 else Image.Transpose.ROTATE_270
    )
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "turned.jpg"
    stored.save(path, "JPEG", quality=95, exif=exif.tobytes())
    assert Image.open(path).size == (upright.height, upright.width)
    p = load_photo(path)
    assert (p.width, p.height) == upright.size == p.image.size
    assert mean_diff(p.image, upright) < 3


# -- refused, nothing written ------------------------------------------------------------------
def refused(ctx: Context, case_id: str, source: Path | bytes, code: str) -> PhotoError:
    with pytest.raises(PhotoError) as info:
        PhotoService(ctx).add(case_id, source)
    assert info.value.code == code
    assert photo_rows(ctx) == 0
    assert files_under(ctx.home / "photos") == files_under(ctx.home / "thumbs") == []
    return info.value


def test_truncated_jpeg(ctx: Context, case_id: str, faces: Path, tmp_path: Path):
    data = (faces / "obama.jpg").read_bytes()
    path = tmp_path / "half.jpg"
    path.write_bytes(data[: len(data) // 2])
    err = refused(ctx, case_id, path, "truncated")
    assert "half.jpg" in err.message and "cut short" in err.message


def test_truncated_png(ctx: Context, case_id: str, faces: Path):
    data = encode(Image.open(faces / "obama.jpg"), "PNG")
    refused(ctx, case_id, data[: len(data) // 2], "truncated")


def test_corrupt_png(ctx: Context, case_id: str, faces: Path, tmp_path: Path):
    data = encode(Image.open(faces / "obama.jpg"), "PNG")
    mid = len(data) // 2
    path = tmp_path / "damaged.png"
    path.write_bytes(data[:mid] + bytes(1000) + data[mid + 1000 :])
    err = refused(ctx, case_id, path, "corrupt")
    assert "damaged.png is damaged" in err.message and "PNG" in err.message


def test_text_file_named_jpg(ctx: Context, case_id: str, tmp_path: Path):
    path = tmp_path / "notes.jpg"
    path.write_text("FIR 123/2026, last seen near the bus stand\n" * 20)
    err = refused(ctx, case_id, path, "not_an_image")
    assert err.message == "notes.jpg is not an image (JPEG, PNG, WebP or BMP)."


def test_empty_file(ctx: Context, case_id: str, tmp_path: Path):
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    assert "empty.jpg is empty" in refused(ctx, case_id, path, "empty").message


def test_gif_is_unsupported(ctx: Context, case_id: str, faces: Path, tmp_path: Path):
    path = tmp_path / "obama.gif"
    Image.open(faces / "obama.jpg").save(path, "GIF")
    err = refused(ctx, case_id, path, "unsupported_format")
    assert "obama.gif is a GIF image" in err.message
    assert "JPEG, PNG, WebP or BMP" in err.message


def test_missing_file_is_unreadable(tmp_path: Path):
    with pytest.raises(PhotoError) as info:
        load_photo(tmp_path / "gone.jpg")
    assert info.value.code == "unreadable" and "gone.jpg does not exist" in info.value.message


def test_file_over_the_byte_limit(ctx: Context, case_id: str, faces: Path):
    with pytest.raises(PhotoError) as info:
        load_photo(faces / "obama.jpg", max_bytes=100_000)
    assert info.value.code == "too_large_file"
    assert info.value.message.startswith("obama.jpg is 273 KB; the limit is 97.7 KB.")
    svc = PhotoService(ctx)
    svc.max_bytes = 100_000
    with pytest.raises(PhotoError) as info:
        svc.add(case_id, faces / "obama.jpg")
    assert info.value.code == "too_large_file"
    assert photo_rows(ctx) == 0 and files_under(ctx.home / "photos") == []


def test_too_many_pixels_below_pillows_own_limit(ctx: Context, case_id: str, tmp_path: Path):
    path = tmp_path / "photo.png"
    path.write_bytes(blank_png(8000, 8000))  # 64 MP: Pillow itself would only warn
    err = refused(ctx, case_id, path, "too_many_pixels")
    assert err.message == (
        "photo.png is 8000 × 8000 pixels (64 megapixels); the limit is 40 megapixels."
    )


def test_decompression_bomb_is_refused(ctx: Context, case_id: str, tmp_path: Path):
    start = time.perf_counter()
    data = blank_png(20_000, 20_000)
    assert time.perf_counter() - start < 2 and len(data) < 200_000
    path = tmp_path / "bomb.png"
    path.write_bytes(data)
    err = refused(ctx, case_id, path, "too_many_pixels")
    assert err.message == (
        "bomb.png is 20000 × 20000 pixels (400 megapixels); the limit is 40 megapixels."
    )


BOMB_PROBE = """
import resource, sys
from pathlib import Path
from muskan_desktop.photos import PhotoError, load_photo
unit = 1 if sys.platform == "darwin" else 1024
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit
try:
    load_photo(Path(sys.argv[1]))
    code = "accepted"
except PhotoError as exc:
    code = exc.code
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit
print(code, after - before)
"""


def test_decompression_bomb_memory_stays_bounded(tmp_path: Path):
    pytest.importorskip("resource")
    path = tmp_path / "bomb.png"
    path.write_bytes(blank_png(20_000, 20_000))
    out = subprocess.run(
        [sys.executable, "-c", BOMB_PROBE, str(path)], capture_output=True, text=True, check=True
    )
    code, grew = out.stdout.split()
    assert code == "too_many_pixels"
    assert int(grew) < 100 * 1024 * 1024, f"peak memory grew by {int(grew) / 1e6:.0f} MB"


def test_future_date_and_unknown_case(ctx: Context, case_id: str, faces: Path):
    svc = PhotoService(ctx)
    with pytest.raises(ValidationError) as info:
        svc.add(case_id, faces / "obama.jpg", taken_on="2026-11-02")
    assert [(e.field, e.code) for e in info.value.errors] == [("taken_on", "future_date")]
    with pytest.raises(ValidationError) as info:
        svc.add(case_id, faces / "obama.jpg", taken_on="02/10/2026")
    assert info.value.errors[0].code == "bad_date"
    with pytest.raises(NotFoundError):
        svc.add("no-such-case", faces / "obama.jpg")
    assert photo_rows(ctx) == 0
    assert files_under(ctx.home / "photos") == []


# -- thumbnails and viewing --------------------------------------------------------------------
def test_thumbnail_is_a_small_jpeg(ctx: Context, case_id: str, faces: Path, home: Path):
    photo = PhotoService(ctx).add(case_id, faces / "biden.jpg")
    thumb = PhotoStore(home).thumbnail_bytes(photo.sha256)
    assert thumb is not None
    with Image.open(io.BytesIO(thumb)) as t:
        assert t.format == "JPEG" and max(t.size) == 256
        assert t.size == (round(970 * 256 / 2204), 256)


def test_every_view_is_audited(ctx: Context, case_id: str, faces: Path, home: Path):
    svc = PhotoService(ctx)
    photo = svc.add(case_id, faces / "two_people.jpg")
    data = svc.open_for_view(photo.id)
    assert data == (faces / "two_people.jpg").read_bytes()
    svc.open_for_view(photo.id)
    with ctx.db.read() as s:
        views = s.scalars(select(AuditEvent).where(AuditEvent.action == "photo_view")).all()
    assert len(views) == 2
    assert views[0].actor == "SI Test" and views[0].entity_id == case_id
    assert views[0].details["photo_id"] == photo.id
    with pytest.raises(NotFoundError):
        svc.open_for_view("no-such-photo")
