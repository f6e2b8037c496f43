"""Finding the child's face in a photo, checking it is usable, and encoding it.

dlib's HOG detector (face_recognition's, see `DlibFaces`) runs on a copy scaled down to
`FaceSettings.detect_side` pixels on the longest side: it is the slowest step and its cost
grows with the pixel count, while a face that is usable for matching is still large enough
there. Only when nothing is found is the copy upsampled (once, then twice) to catch small
faces. The boxes are mapped back to the upright original, where the landmarks and the
128-number descriptor are computed.

Before a descriptor may be stored the face must pass three checks, each refused with its
own `FaceError` code: big enough (distance between the eye centres), sharp enough (variance
of the Laplacian of the face scaled to 150 px, the size dlib's network sees), and not turned
too far (yaw estimated from the 5-point landmarks). The thresholds were measured on the
shared test photos (see `FaceSettings`).

dlib and the models are loaded on first use only: the window and the command line
start without them.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import math
import os
import tempfile
import threading
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from .errors import MuskanError

log = logging.getLogger(__name__)

MODEL = "dlib_face_recognition_resnet_model_v1"
VECTOR_DIM = 128
CHIP_SIDE = 150  # dlib's face chip: the resolution the descriptor network works at
# How far the nose tip stands in front of the eyes' plane, as a share of the distance
# between the eyes (adult and child faces: about 0.5-0.6). Turns the 2-D nose offset into
# an angle: offset / eye distance = NOSE_DEPTH * tan(yaw).
NOSE_DEPTH = 0.55


@dataclass(frozen=True)
class FaceSettings:
    """Thresholds of face finding and quality; the defaults are what the tests hold to.

    Measured on the shared photos (distance to obama.jpg's descriptor; same person 0.33-0.35
    at full quality, other person 0.82-0.87):
    - size: scaled down until the eyes are 36 px apart the descriptor moves by < 0.02; at
      24 px by up to 0.05; at 13 px by up to 0.27 (biden) — so 30 px is the floor.
    - sharpness (Laplacian variance of the face at 150 px): the shared photos 136-376; with
      a Gaussian blur of radius 1: 47-169, 2: 14-55, 3: 7-23, 4: 4-12. From radius 3-4 on,
      descriptors drift towards the "average face" (same person 0.35 -> 0.42, biden's
      distance to obama 0.87 -> 0.78): the drift that makes false leads. 15 is the floor.
    """

    # Longest side of the copy the detector searches. HOG's cost grows with the pixels
    # (per photo of the intake benchmark: 960 px 36 ms, 800 px 26 ms, 640 px 17 ms; the
    # descriptor itself takes 73 ms) and a face of 1/8 of the photo's longest side is still
    # 80 px there, dlib's smallest window. Smaller faces: the upsampled passes.
    detect_side: int = 640
    # A first look at a smaller copy (480 px: 10 ms) finds the face of the usual photo of a
    # child (a face of 1/6 of the longest side or more); only when it finds none does the
    # search above run, as it would without it (small faces cost 10 ms more). 0: no first look.
    quick_side: int = 480
    max_upsample: int = 2  # extra passes for small faces when none is found at first
    min_eye_distance: float = 30.0  # px between the eye centres, at original scale
    min_box: int = 60  # px, the detector box's shorter side at original scale
    min_sharpness: float = 15.0
    max_yaw: float = 35.0  # degrees, estimated
    landmarks: str = "small"  # dlib's 5-point predictor (face_recognition's default); "large"
    jitters: int = 1


DEFAULT_SETTINGS = FaceSettings()


class FaceError(MuskanError):
    """A photo whose face cannot be used for matching; nothing was stored. `code` is stable
    (for translation in the UI); `boxes` are the faces found, left to right."""

    exit_code = 2
    code = "face"

    def __init__(self, message: str, boxes: tuple[FaceBox, ...] = ()) -> None:
        super().__init__(message)
        self.boxes = boxes


class NoFaceError(FaceError):
    code = "no_face"


class SeveralFacesError(FaceError):
    code = "several_faces"


class NoSuchFaceError(FaceError):
    code = "no_such_face"


class FaceTooSmallError(FaceError):
    code = "face_too_small"


class FaceBlurredError(FaceError):
    code = "face_too_blurred"


class FaceTurnedError(FaceError):
    code = "face_turned"


@dataclass(frozen=True)
class FaceBox:
    """A face's box in the upright photo, in pixels (dlib's order: top, right, bottom, left)."""

    top: int
    right: int
    bottom: int
    left: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def css(self) -> tuple[int, int, int, int]:
        return (self.top, self.right, self.bottom, self.left)

    def to_json(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaceBox:
        return cls(int(data["top"]), int(data["right"]), int(data["bottom"]), int(data["left"]))

    def describe(self) -> str:
        return f"x {self.left}-{self.right}, y {self.top}-{self.bottom} ({self.width} px wide)"


@dataclass(frozen=True)
class FaceQuality:
    sharpness: float
    yaw: float  # degrees, signed: the sign says which way
    eye_distance: float
    box_size: int
    upsample: int  # detector passes needed to find the face (0: found at first)

    def to_json(self) -> dict[str, Any]:
        return {
            "sharpness": round(self.sharpness, 1),
            "yaw": round(self.yaw, 1),
            "eye_distance": round(self.eye_distance, 1),
            "box_size": self.box_size,
            "upsample": self.upsample,
        }


@dataclass(frozen=True)
class FaceEncoding:
    """One face's descriptor, with where it was and the quality it passed."""

    vector: np.ndarray  # float32, shape (128,)
    box: FaceBox
    quality: FaceQuality
    face_index: int  # 1-based, left to right
    faces_found: int
    model: str
    model_version: str
    landmarks: str

    def blob(self) -> bytes:
        return vector_to_blob(self.vector)


def vector_to_blob(vector: np.ndarray) -> bytes:
    v = np.asarray(vector, dtype="<f4")
    if v.shape != (VECTOR_DIM,):
        raise ValueError(f"a face descriptor has {VECTOR_DIM} numbers, not {v.shape}")
    return v.tobytes()


def blob_to_vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4").astype(np.float32, copy=False)


class FaceEngineError(MuskanError):
    """The face models cannot be loaded: an installation problem, not a photo problem."""


def model_file(name: str) -> str:
    """A model file of the face_recognition_models package, found without importing it (its
    __init__ imports pkg_resources: 65 ms, a deprecation warning, and gone in setuptools 81)."""
    spec = importlib.util.find_spec("face_recognition_models")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / "models" / name
        if path.is_file():
            return str(path)
    raise FaceEngineError(
        f"The face model file {name} (package face_recognition_models) is missing; "
        "reinstall Muskan Desktop."
    )


class DlibFaces:
    """face_recognition's HOG detection, landmark and descriptor calls, made on the same dlib
    models (face_recognition_models' files) but loading only the three that matching uses.

    `import face_recognition` loads five models at import, among them the 68-point landmark
    predictor: 0.5 s of its 0.9 s, paid by every command and every batch worker at start, for
    a model matching never uses. The calls and their results are face_recognition's, bit for
    bit (tests/test_faces.py compares the two).
    """

    def __init__(self, cache: Path | None = None) -> None:
        import dlib

        self._dlib = dlib
        self.detector = _frontal_detector(dlib, cache)
        self.shape_5 = dlib.shape_predictor(model_file("shape_predictor_5_face_landmarks.dat"))
        self.encoder = dlib.face_recognition_model_v1(
            model_file("dlib_face_recognition_resnet_model_v1.dat")
        )
        self._shape_68: Any = None

    def face_locations(self, arr: np.ndarray, upsample: int) -> list[tuple[int, int, int, int]]:
        """(top, right, bottom, left) boxes trimmed to the image, as face_recognition's."""
        h, w = arr.shape[:2]
        return [
            (max(r.top(), 0), min(r.right(), w), min(r.bottom(), h), max(r.left(), 0))
            for r in self.detector(arr, upsample)
        ]

    def shape(self, arr: np.ndarray, box: FaceBox, landmarks: str = "small") -> Any:
        rect = self._dlib.rectangle(box.left, box.top, box.right, box.bottom)
        if landmarks == "small":
            return self.shape_5(arr, rect)
        if self._shape_68 is None:
            path = model_file("shape_predictor_68_face_landmarks.dat")
            self._shape_68 = self._dlib.shape_predictor(path)
        return self._shape_68(arr, rect)

    @staticmethod
    def eyes_and_nose(shape: Any) -> tuple[Any, Any, Any]:
        """Eye centres and nose tip, in the image (5-point or 68-point shapes)."""
        pts = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
        if len(pts) == 5:  # face_recognition's mapping of dlib's 5-point model
            left, right, nose = pts[2:4], pts[0:2], pts[4]
        else:
            left, right, nose = pts[36:42], pts[42:48], pts[30]
        return left.mean(axis=0), right.mean(axis=0), nose

    def descriptor(self, arr: np.ndarray, shape: Any, jitters: int = 1) -> np.ndarray:
        return np.array(self.encoder.compute_face_descriptor(arr, shape, jitters))


DETECTOR_FILE = "frontal_face_detector.svm"
_model_cache: Path | None = None


def use_model_cache(folder: Path) -> None:
    """Keep a ready-to-load copy of the HOG detector in `folder` (the data folder's index/).

    dlib builds its frontal face detector from text embedded in the library: 0.23 s at every
    start of a command or batch worker. Saved once in dlib's own format it loads in 1 ms.
    """
    global _model_cache
    _model_cache = Path(folder)


def _frontal_detector(dlib: Any, cache: Path | None) -> Any:
    path = cache / DETECTOR_FILE if cache is not None else None
    if path is not None and path.is_file():
        try:
            return dlib.fhog_object_detector(str(path))
        except RuntimeError:  # damaged: made again below
            log.warning("face detector cache unreadable; rebuilding it")
    detector = dlib.get_frontal_face_detector()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{DETECTOR_FILE}.")
            os.close(fd)
            detector.save(tmp)
            os.replace(tmp, path)
        except (OSError, RuntimeError) as exc:
            log.warning("face detector cache not written (%s)", exc)
    return detector


_engine_lock = threading.Lock()
_engine_instance: DlibFaces | None = None


def _engine() -> DlibFaces:
    """dlib and the three models, loaded once per process (0.15 s; 0.4 s without the cache)."""
    global _engine_instance
    with _engine_lock:
        if _engine_instance is None:
            _engine_instance = DlibFaces(_model_cache)
        return _engine_instance


@functools.cache
def model_version() -> str:
    import dlib

    return str(dlib.__version__)


def detection_copy(image: Image.Image, settings: FaceSettings = DEFAULT_SETTINGS) -> Image.Image:
    """The copy the detector searches: at most `detect_side` px on the longest side."""
    w, h = image.size
    k = min(1.0, settings.detect_side / max(w, h))
    if k == 1.0:
        return image
    size = (max(1, round(w * k)), max(1, round(h * k)))
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=1.0)


def _rgb(image: Image.Image) -> np.ndarray:
    return np.asarray(image if image.mode == "RGB" else image.convert("RGB"))


def quick_copy(image: Image.Image, settings: FaceSettings = DEFAULT_SETTINGS) -> Image.Image:
    """The copy of the first look (see `FaceSettings.quick_side`)."""
    side = settings.quick_side or settings.detect_side
    return detection_copy(image, replace(settings, detect_side=side))


def find_faces(
    image: Image.Image,
    settings: FaceSettings = DEFAULT_SETTINGS,
    work: Image.Image | None = None,
    quick: Image.Image | None = None,
) -> tuple[list[FaceBox], int]:
    """The faces in an upright RGB photo, left to right, and the upsampling it took.

    `work` and `quick` are the photo's `detection_copy` and `quick_copy` if made already."""
    fr = _engine()
    w, h = image.size
    found: list[tuple[int, int, int, int]] = []
    up = 0
    seen = image  # the copy the boxes were found on
    if 0 < settings.quick_side < settings.detect_side:
        seen = quick if quick is not None else quick_copy(image, settings)
        found = fr.face_locations(_rgb(seen), 0)
    if not found:
        seen = detection_copy(image, settings) if work is None else work
        arr = _rgb(seen)
        for up in range(settings.max_upsample + 1):
            found = fr.face_locations(arr, up)
            if found:
                break
    k = seen.width / w
    boxes = [
        FaceBox(
            top=max(0, math.floor(t / k)),
            right=min(w, math.ceil(r / k)),
            bottom=min(h, math.ceil(b / k)),
            left=max(0, math.floor(left / k)),
        )
        for (t, r, b, left) in found
    ]
    boxes.sort(key=lambda b: (b.left + b.right, b.top))
    return boxes, up


def choose_face(boxes: list[FaceBox], face: int | None, label: str) -> int:
    """The index (0-based) of the child's face; `face` is 1-based, counted left to right."""
    listed = tuple(boxes)
    if not boxes:
        raise NoFaceError(
            f"{label}: no face was found. Use a photo where the child's face is clearly "
            "visible and looking towards the camera."
        )
    if face is not None:
        if not 1 <= face <= len(boxes):
            raise NoSuchFaceError(
                f"{label} has {_faces(len(boxes))}; there is no face {face}. " + _listing(boxes),
                listed,
            )
        return face - 1
    if len(boxes) > 1:
        raise SeveralFacesError(
            f"{label} has {len(boxes)} faces; say which one is the child's (--face N on the "
            "command line, counted from the left). " + _listing(boxes),
            listed,
        )
    return 0


def _faces(n: int) -> str:
    return "1 face" if n == 1 else f"{n} faces"


def _listing(boxes: list[FaceBox]) -> str:
    return "Faces: " + "; ".join(f"{i} at {b.describe()}" for i, b in enumerate(boxes, 1)) + "."


def sharpness(grey: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian: low when the picture is blurred."""
    g = grey.astype(np.float32)
    if g.shape[0] < 3 or g.shape[1] < 3:
        return 0.0
    lap = g[:-2, 1:-1] + g[2:, 1:-1] + g[1:-1, :-2] + g[1:-1, 2:] - 4.0 * g[1:-1, 1:-1]
    return float(lap.var())


def face_sharpness(image: Image.Image, box: FaceBox) -> float:
    """Sharpness of the face alone, scaled to dlib's 150 px chip so faces of any size
    compare (a big face in a sharp photo and a small one score alike)."""
    crop = image.crop((box.left, box.top, box.right, box.bottom)).convert("L")
    chip = crop.resize((CHIP_SIDE, CHIP_SIDE), Image.Resampling.BILINEAR)
    return sharpness(np.asarray(chip))


def estimate_yaw(left_eye: Any, right_eye: Any, nose: Any) -> tuple[float, float]:
    """(yaw in degrees, eye distance): how far the nose tip sits off the eyes' midpoint,
    along the eye line (so a tilted head is not taken for a turned one)."""
    left_eye, right_eye, nose = (
        np.asarray(p, dtype=np.float64) for p in (left_eye, right_eye, nose)
    )
    axis = right_eye - left_eye
    iod = float(np.hypot(*axis))
    if iod == 0.0:
        return 90.0, 0.0
    offset = float(np.dot(nose - (left_eye + right_eye) / 2.0, axis / iod)) / iod
    return math.degrees(math.atan(offset / NOSE_DEPTH)), iod


def encode_face(
    image: Image.Image,
    *,
    face: int | None = None,
    label: str = "The photo",
    settings: FaceSettings = DEFAULT_SETTINGS,
    work: Image.Image | None = None,
    quick: Image.Image | None = None,
) -> FaceEncoding:
    """Find, check and encode the child's face in an upright RGB photo (see `load_photo`).

    Raises a FaceError subclass saying what is wrong; `face` (1-based, left to right) picks
    one face in a photo of several people; `work` and `quick` are the photo's
    `detection_copy` and `quick_copy` if made.
    """
    fr = _engine()
    boxes, upsample = find_faces(image, settings, work, quick)
    i = choose_face(boxes, face, label)
    box = boxes[i]
    # The landmarks and the descriptor only look near the face: they work on a piece of the
    # photo around it (not a copy of all of it, 2-6 ms a photo). The piece reaches twice the
    # face's size beyond it, far past the face chip, and starts on a 64-px grid (in case
    # dlib samples through an image pyramid): the same numbers as the whole photo, bit for
    # bit (tests/test_faces.py).
    arr, local = _around(image, box)
    shape = fr.shape(arr, local, settings.landmarks)
    yaw, iod = estimate_yaw(*fr.eyes_and_nose(shape))
    listed = tuple(boxes)
    if iod < settings.min_eye_distance or min(box.width, box.height) < settings.min_box:
        raise FaceTooSmallError(
            f"{label}: the face is too small to compare ({iod:.0f} px between the eyes, "
            f"{min(box.width, box.height)} px wide; at least {settings.min_eye_distance:.0f} "
            "px between the eyes is needed). Use the original photo or a closer one, not a "
            "copy made smaller.",
            listed,
        )
    sharp = face_sharpness(image, box)
    if sharp < settings.min_sharpness:
        raise FaceBlurredError(
            f"{label}: the face is too blurred to compare (sharpness {sharp:.0f}, at least "
            f"{settings.min_sharpness:.0f} is needed). Use a sharper photo.",
            listed,
        )
    if abs(yaw) > settings.max_yaw:
        raise FaceTurnedError(
            f"{label}: the face is turned too far to the side (about {abs(yaw):.0f}°; at "
            f"most {settings.max_yaw:.0f}°). Use a photo where the child faces the camera.",
            listed,
        )
    vector = fr.descriptor(arr, shape, settings.jitters).astype(np.float32)
    return FaceEncoding(
        vector=vector,
        box=box,
        quality=FaceQuality(sharp, yaw, iod, min(box.width, box.height), upsample),
        face_index=i + 1,
        faces_found=len(boxes),
        model=MODEL,
        model_version=model_version(),
        landmarks="5-point" if settings.landmarks == "small" else "68-point",
    )


def _around(image: Image.Image, box: FaceBox) -> tuple[np.ndarray, FaceBox]:
    """The part of the photo within twice the face's size of it, and the box within that."""
    m = 2 * max(box.width, box.height)
    left, top = max(0, box.left - m) // 64 * 64, max(0, box.top - m) // 64 * 64
    right, bottom = min(image.width, box.right + m), min(image.height, box.bottom + m)
    if (left, top, right, bottom) == (0, 0, image.width, image.height):
        return _rgb(image), box
    piece = _rgb(image.crop((left, top, right, bottom)))
    local = FaceBox(box.top - top, box.right - left, box.bottom - top, box.left - left)
    return piece, local


def face_distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a, np.float32) - np.asarray(b, np.float32)))
