"""The batch intake's worker processes: decode, check and encode photos, nothing else.

A worker imports only this module, faces.py and photo_decode.py (numpy, Pillow, dlib): no
SQLAlchemy, no models, no keys. That keeps a worker's start at about 0.15 s of CPU
(half a second less than importing the register's modules), and the data folder and its keys
out of the workers' hands: they send back the original's bytes and a thumbnail-sized picture,
and the importing process stores them (match_batch.py).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PIL import Image

from .errors import MuskanError
from .faces import (
    DEFAULT_SETTINGS,
    FaceEncoding,
    FaceError,
    FaceSettings,
    encode_face,
    quick_copy,
)
from .photo_decode import THUMB_SIDE, LoadedPhoto, PhotoError, load_photo

Encoded = tuple[LoadedPhoto, FaceEncoding]  # the photo (picture: thumbnail-sized) and face

_settings: FaceSettings = DEFAULT_SETTINGS


def init_worker(home: str, settings: FaceSettings) -> None:
    global _settings
    _settings = settings
    from .faces import _engine, use_model_cache

    use_model_cache(Path(home) / "index")
    _engine()  # load dlib and the models once per worker


def thumbnail_sized(image: Image.Image) -> Image.Image:
    """The picture at the thumbnail's size, resampled as `photos.make_thumbnail` does (which
    then only encodes it): made in the worker, from the detector's first-look copy."""
    w, h = image.size
    k = min(1.0, THUMB_SIDE / max(w, h))
    size = (max(1, round(w * k)), max(1, round(h * k)))
    return image if size == (w, h) else image.resize(size, Image.Resampling.LANCZOS, None, 3.0)


def encode_one(job: tuple[int, str, int | None]) -> tuple[int, Encoded | str]:
    """Load, check and encode one photo (decoded once); refusals come back as text."""
    row, path, face = job
    try:
        loaded = load_photo(Path(path))
        quick = quick_copy(loaded.image, _settings)  # the detector's first look, and the thumbnail
        enc = encode_face(
            loaded.image, face=face, label=Path(path).name, settings=_settings, quick=quick
        )
        # the original's bytes go back with a small picture, not the decoded full size
        return row, (dataclasses.replace(loaded, image=thumbnail_sized(quick)), enc)
    except (PhotoError, FaceError, MuskanError) as exc:  # e.g. no face, a damaged file
        # sent back as plain text: PhotoError's constructor does not survive pickling
        return row, exc.message
