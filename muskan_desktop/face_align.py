"""Eye-aligned face crops, so an officer compares two faces at the same pose and scale.

Two photos of one child rarely match in size or tilt: one is a school photo, the other a
phone picture taken at a child care home. Comparing features (eye spacing, nose, mouth,
ears) is only fair when both faces are turned upright and scaled alike. A similarity
transform (rotation, uniform scale, shift) built from the two eye centres puts the eyes
level, `EYE_SPAN` of the crop's width apart, at height `EYE_Y` — the same pixels in every
crop. Nothing is stretched: the face's own proportions are kept.

Coordinates: dlib's landmarks are pixel indices (a pixel's centre at an integer); Pillow's
affine transform works on a continuous plane (a pixel's centre at i + 0.5). The matrix here
maps pixel indices to pixel indices; `align_face` converts at the boundary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .faces import FaceBox

CROP_SIDE = 256  # px, the aligned crop's width and height
EYE_Y = 0.38  # the eyes' height, as a share of the crop's height
EYE_SPAN = 0.30  # the distance between the eye centres, as a share of the crop's width


@dataclass(frozen=True)
class FaceLandmarks:
    """dlib landmark points of one face, in pixels of the upright photo (5 or 68 points)."""

    points: np.ndarray  # float64, shape (n, 2): x, y

    @property
    def kind(self) -> str:
        return f"{len(self.points)}-point"

    def eyes(self) -> tuple[np.ndarray, np.ndarray]:
        """Eye centres: the one on the photo's left first (the child's right eye)."""
        return eye_centres(self.points)


def eye_centres(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two eye centres from dlib's 68-point (mean of each eye's six points) or 5-point
    model (mean of each eye's two corners), the photo-left eye first."""
    pts = np.asarray(points, dtype=np.float64)
    if len(pts) == 68:
        a, b = pts[36:42].mean(axis=0), pts[42:48].mean(axis=0)
    elif len(pts) == 5:
        a, b = pts[2:4].mean(axis=0), pts[0:2].mean(axis=0)
    else:
        raise ValueError(f"expected 5 or 68 landmark points, not {len(pts)}")
    return (a, b) if a[0] <= b[0] else (b, a)


def eye_targets(side: int = CROP_SIDE) -> tuple[tuple[float, float], tuple[float, float]]:
    """Where the eye centres land in every aligned crop (pixel indices)."""
    mid = (side - 1) / 2.0
    half = EYE_SPAN * side / 2.0
    y = EYE_Y * side
    return (mid - half, y), (mid + half, y)


def alignment_matrix(left: np.ndarray, right: np.ndarray, side: int = CROP_SIDE) -> np.ndarray:
    """2 x 3 similarity transform (photo pixels -> crop pixels) that puts `left` and
    `right` on the crop's eye targets."""
    left, right = np.asarray(left, np.float64), np.asarray(right, np.float64)
    dx, dy = right - left
    dist = math.hypot(dx, dy)
    if dist < 1e-6:
        raise ValueError("the two eye centres coincide")
    (tlx, tly), (trx, _) = eye_targets(side)
    scale = (trx - tlx) / dist
    angle = math.atan2(dy, dx)
    c, s = scale * math.cos(-angle), scale * math.sin(-angle)
    rot = np.array([[c, -s], [s, c]])
    mid_src = (left + right) / 2.0
    mid_dst = np.array([(tlx + trx) / 2.0, tly])
    shift = mid_dst - rot @ mid_src
    return np.hstack([rot, shift[:, None]])


def transform_points(matrix: np.ndarray, points: np.ndarray) -> np.ndarray:
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    moved: np.ndarray = pts @ matrix[:, :2].T + matrix[:, 2]
    return moved


@dataclass(frozen=True)
class AlignedFace:
    """An eye-aligned crop and where the landmarks fall in it."""

    image: Image.Image  # RGB, CROP_SIDE x CROP_SIDE
    matrix: np.ndarray  # photo pixels -> crop pixels
    points: np.ndarray  # the landmarks in crop pixels

    def eyes(self) -> tuple[np.ndarray, np.ndarray]:
        return eye_centres(self.points)


def align_face(
    image: Image.Image,
    landmarks: FaceLandmarks,
    side: int = CROP_SIDE,
    fill: tuple[int, int, int] = (128, 128, 128),
) -> AlignedFace:
    """The face turned so the eyes are level and scaled so they are EYE_SPAN apart."""
    left, right = landmarks.eyes()
    fwd = alignment_matrix(left, right, side)
    # Pillow asks for the inverse map (crop -> photo) on its continuous plane: shift by half
    # a pixel on both sides so pixel indices line up with dlib's.
    full = np.vstack([fwd, [0.0, 0.0, 1.0]])
    inv = np.linalg.inv(full)
    half = np.array([[1.0, 0.0, -0.5], [0.0, 1.0, -0.5], [0.0, 0.0, 1.0]])
    unhalf = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.0, 0.0, 1.0]])
    cont = unhalf @ inv @ half  # continuous crop coords -> continuous photo coords
    data = tuple(float(v) for v in cont[:2].ravel())
    crop = image.convert("RGB").transform(
        (side, side),
        Image.Transform.AFFINE,
        data,
        resample=Image.Resampling.BICUBIC,
        fillcolor=fill,
    )
    return AlignedFace(crop, fwd, transform_points(fwd, landmarks.points))


def detect_landmarks(image: Image.Image, box: FaceBox, points: int = 68) -> FaceLandmarks:
    """dlib's landmarks of the face in `box` (68 points for the overlay; 5 if asked, or if
    the 68-point model file is not installed)."""
    from .faces import FaceEngineError, _engine, _rgb

    engine = _engine()
    arr = _rgb(image)
    try:
        shape = engine.shape(arr, box, "large" if points == 68 else "small")
    except FaceEngineError:
        shape = engine.shape(arr, box, "small")
    pts = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
    return FaceLandmarks(pts)


def landmark_runs(points: np.ndarray) -> list[list[int]]:
    """Index runs of the 68-point model to draw as lines (jaw, brows, nose, eyes, lips);
    for 5 points, none (the points alone are drawn)."""
    if len(points) != 68:
        return []
    runs = [
        list(range(0, 17)),
        list(range(17, 22)),
        list(range(22, 27)),
        list(range(27, 31)),
        list(range(31, 36)),
        [*range(36, 42), 36],
        [*range(42, 48), 42],
        [*range(48, 60), 48],
        [*range(60, 68), 60],
    ]
    return runs
