"""Face finding, quality checks and descriptors: the real dlib model on the shared photos."""

from __future__ import annotations

import io
import math
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from alembic import command
from PIL import Image, ImageFilter

from muskan_desktop import faces
from muskan_desktop.context import open_context
from muskan_desktop.db import alembic_config, make_engine
from muskan_desktop.faces import (
    FaceBlurredError,
    FaceSettings,
    FaceTooSmallError,
    FaceTurnedError,
    NoFaceError,
    NoSuchFaceError,
    SeveralFacesError,
    encode_face,
    estimate_yaw,
    face_distance,
)
from muskan_desktop.paths import DB_FILENAME
from muskan_desktop.photos import load_photo

from .conftest import shared_dir

SAME_PERSON = [
    "obama2.jpg",
    "obama3.jpg",
    "32bit.png",
    "obama_partial_face.jpg",
    "obama_partial_face2.jpg",
]


@pytest.fixture(scope="module")
def face_dir() -> Path:
    return shared_dir() / "data" / "faces"


@pytest.fixture(scope="module")
def encoded(face_dir: Path) -> dict[str, faces.FaceEncoding]:
    """Each single-face shared photo encoded once for the module."""
    names = ["obama.jpg", "biden.jpg", *SAME_PERSON]
    return {n: encode_face(load_photo(face_dir / n).image, label=n) for n in names}


def import_face_recognition():
    """face_recognition, for comparison only. Importing it sets Pillow's global
    LOAD_TRUNCATED_IMAGES (cut-short photos would then load as grey): put it back."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    with warnings.catch_warnings():  # its model package imports the deprecated pkg_resources
        warnings.simplefilter("ignore", UserWarning)
        import face_recognition

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    return face_recognition


def jpeg(img: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=92, **kw)
    return buf.getvalue()


def test_one_face_is_found_checked_and_encoded(encoded):
    enc = encoded["obama.jpg"]
    assert enc.vector.shape == (128,) and enc.vector.dtype == np.float32
    assert enc.faces_found == 1 and enc.face_index == 1
    assert enc.model == "dlib_face_recognition_resnet_model_v1"
    assert enc.model_version  # dlib's version
    # the box is at the original's scale although the detector saw a smaller copy
    assert 200 < enc.box.width < 320 and 100 < enc.box.top < 200
    q = enc.quality
    assert q.eye_distance > 90 and q.sharpness > 100 and abs(q.yaw) < 10 and q.upsample == 0
    assert faces.blob_to_vector(enc.blob()).tolist() == enc.vector.tolist()


def test_descriptors_are_face_recognitions_bit_for_bit(face_dir, encoded):
    """DlibFaces makes face_recognition's calls on the same models, loading fewer of them."""
    face_recognition = import_face_recognition()

    img = load_photo(face_dir / "obama2.jpg").image
    arr = np.asarray(img)
    enc = encoded["obama2.jpg"]
    theirs = face_recognition.face_encodings(arr, [enc.box.css()], num_jitters=1, model="small")
    assert np.array_equal(np.asarray(theirs[0], dtype=np.float32), enc.vector)
    work = np.asarray(faces.detection_copy(img))
    assert faces._engine().face_locations(work, 1) == face_recognition.face_locations(
        work, number_of_times_to_upsample=1, model="hog"
    )
    marks = face_recognition.face_landmarks(arr, [enc.box.css()], model="small")[0]
    left, right, nose = faces._engine().eyes_and_nose(faces._engine().shape(arr, enc.box))
    assert left.tolist() == np.mean(marks["left_eye"], axis=0).tolist()
    assert right.tolist() == np.mean(marks["right_eye"], axis=0).tolist()
    assert nose.tolist() == list(marks["nose_tip"][0])


@pytest.mark.parametrize("name", SAME_PERSON)
def test_same_person_is_close_and_other_person_far(encoded, name):
    """The RGBA PNG and both partial faces (cut by the photo's edge) all work."""
    d_same = face_distance(encoded["obama.jpg"].vector, encoded[name].vector)
    d_other = face_distance(encoded["biden.jpg"].vector, encoded[name].vector)
    assert d_same < 0.4, d_same
    assert d_other > 0.7, d_other


def test_two_people_asks_which_face_and_lists_both(face_dir, encoded):
    img = load_photo(face_dir / "two_people.jpg").image
    with pytest.raises(SeveralFacesError) as err:
        encode_face(img, label="two_people.jpg")
    e = err.value
    assert e.code == "several_faces" and len(e.boxes) == 2
    assert e.boxes[0].left < e.boxes[1].left  # counted from the left
    assert "2 faces" in e.message and "1 at x" in e.message and "2 at x" in e.message
    left = encode_face(img, face=1)
    right = encode_face(img, face=2)
    assert left.box == e.boxes[0] and right.box == e.boxes[1]
    obama, biden = encoded["obama.jpg"].vector, encoded["biden.jpg"].vector
    assert face_distance(left.vector, obama) < 0.45 < face_distance(left.vector, biden)
    assert face_distance(right.vector, biden) < 0.45 < face_distance(right.vector, obama)
    with pytest.raises(NoSuchFaceError, match="no face 3"):
        encode_face(img, face=3)


def test_blurred_copy_is_refused_as_too_blurred(face_dir):
    img = load_photo(face_dir / "obama.jpg").image.filter(ImageFilter.GaussianBlur(4))
    with pytest.raises(FaceBlurredError) as err:
        encode_face(img, label="blurred.jpg")
    assert err.value.code == "face_too_blurred"
    assert "too blurred" in err.value.message and "blurred.jpg" in err.value.message


def test_tiny_copy_is_refused_as_too_small(face_dir):
    big = load_photo(face_dir / "obama.jpg").image
    tiny = big.resize((big.width // 10, big.height // 10), Image.Resampling.LANCZOS)
    with pytest.raises(FaceTooSmallError) as err:
        encode_face(tiny, label="tiny.jpg")
    assert err.value.code == "face_too_small" and "between the eyes" in err.value.message


def test_photo_without_a_face(face_dir):
    ramp = np.tile(np.linspace(0, 255, 320, dtype=np.uint8), (240, 1))
    img = Image.fromarray(np.dstack([ramp, ramp[::-1], ramp]))
    with pytest.raises(NoFaceError) as err:
        encode_face(img, label="wall.jpg")
    assert err.value.code == "no_face" and err.value.boxes == ()


def test_photo_turned_by_its_exif_tag_only(face_dir, encoded, tmp_path):
    """Pixels stored sideways with Orientation=6 (as phones write): upright after load_photo."""
    upright = load_photo(face_dir / "obama.jpg").image
    sideways = upright.transpose(Image.Transpose.ROTATE_90)  # what the sensor stored
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    path = tmp_path / "phone.jpg"
    path.write_bytes(jpeg(sideways, exif=exif))
    loaded = load_photo(path)
    assert loaded.image.size == upright.size
    assert np.abs(np.asarray(loaded.image, np.int16) - np.asarray(upright, np.int16)).mean() < 3
    enc = encode_face(loaded.image)
    assert face_distance(enc.vector, encoded["obama.jpg"].vector) < 0.15
    # without the tag the face lies on its side, and the frontal detector does not see it
    with pytest.raises(NoFaceError):
        encode_face(Image.open(io.BytesIO(jpeg(sideways))).convert("RGB"))


def test_detector_kept_in_the_data_folder_finds_the_same_faces(face_dir, tmp_path):
    work = np.asarray(faces.detection_copy(load_photo(face_dir / "two_people.jpg").image))
    made = faces.DlibFaces(cache=tmp_path)  # built by dlib, then saved
    assert (tmp_path / faces.DETECTOR_FILE).is_file()
    loaded = faces.DlibFaces(cache=tmp_path)  # read back
    assert loaded.face_locations(work, 0) == made.face_locations(work, 0)
    assert len(made.face_locations(work, 0)) == 2
    (tmp_path / faces.DETECTOR_FILE).write_bytes(b"damaged")
    assert faces.DlibFaces(cache=tmp_path).face_locations(work, 0) == made.face_locations(work, 0)


def test_encoding_never_imports_face_recognition(face_dir):
    """It would switch Pillow to accepting truncated files for the whole process."""
    code = (
        "import sys; from PIL import ImageFile; from muskan_desktop import faces, photos;"
        f"faces.encode_face(photos.load_photo({str(face_dir / 'obama.jpg')!r}).image);"
        "print('face_recognition' in sys.modules, ImageFile.LOAD_TRUNCATED_IMAGES)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_yaw_estimate_from_landmarks():
    yaw, iod = estimate_yaw((100, 100), (200, 100), (150, 130))
    assert abs(yaw) < 1e-9 and iod == 100
    yaw, _ = estimate_yaw((100, 100), (200, 100), (150 + 55, 130))  # offset = 0.55 iod
    assert yaw == pytest.approx(45.0)
    # a tilted head (roll) is not a turned one: the same face rotated by 30°
    c, s = math.cos(math.radians(30)), math.sin(math.radians(30))

    def rot(p):
        return (p[0] * c - p[1] * s, p[0] * s + p[1] * c)

    yaw, iod = estimate_yaw(rot((100, 100)), rot((200, 100)), rot((150, 130)))
    assert abs(yaw) < 1e-6 and iod == pytest.approx(100)


def test_turned_face_is_refused_by_the_yaw_limit(face_dir, encoded):
    # obama2.jpg is turned about 14°: with a 10° limit it is refused, by default it passes
    assert 10 < abs(encoded["obama2.jpg"].quality.yaw) < 35
    img = load_photo(face_dir / "obama2.jpg").image
    with pytest.raises(FaceTurnedError) as err:
        encode_face(img, settings=FaceSettings(max_yaw=10))
    assert err.value.code == "face_turned" and "turned too far" in err.value.message


def test_small_face_in_a_large_photo_is_found_by_upsampling(face_dir, encoded):
    """A face that is small in a big photo: missed in the detector's scaled copy at first,
    found on the upsampled pass, encoded at full resolution."""
    face = load_photo(face_dir / "obama.jpg").image
    canvas = Image.new("RGB", (4000, 4000), (128, 128, 128))
    canvas.paste(face.resize((400, 500)), (1500, 1500))  # 64 px in the detector's copy
    enc = encode_face(canvas)
    assert enc.quality.upsample >= 1
    assert enc.box.left >= 1500 and enc.box.right <= 1900
    assert face_distance(enc.vector, encoded["obama.jpg"].vector) < 0.2


def test_upgrade_from_0003_adds_face_embeddings_and_keeps_cases(home):
    home.mkdir()
    engine = make_engine(home / DB_FILENAME)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO stations (id, code, name_en, district_en, state_en) "
            "VALUES ('s1', 'SURGUJA-AMBIKAPUR', 'Ambikapur', 'Surguja', 'Chhattisgarh')"
        )
        conn.exec_driver_sql(
            "INSERT INTO cases (id, kind, status, station_id, district, reported_on, sex, "
            "age_is_estimate, created_at, created_by, updated_at, updated_by, version) VALUES "
            "('c1', 'found', 'registered', 's1', 'Surguja', '2026-10-01', 'F', 1, "
            "'2026-10-01 10:00:00', 'x', '2026-10-01 10:00:00', 'x', 1)"
        )
    engine.dispose()
    ctx = open_context(home)
    try:
        assert list((home / "backups").glob("muskan-before-*.db"))  # named after the new head
        with ctx.db.engine.connect() as c:
            assert c.exec_driver_sql("SELECT id FROM cases").scalars().all() == ["c1"]
            assert c.exec_driver_sql("SELECT count(*) FROM face_embeddings").scalar() == 0
            sql = c.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'face_embeddings'"
            ).scalar()
            assert "AUTOINCREMENT" in sql
    finally:
        ctx.db.close()


def test_a_face_in_a_large_photo_encodes_as_in_the_whole_photo(face_dir):
    """encode_face works on a piece around the face: the descriptor is still the one of the
    whole photo, bit for bit (the piece is cut on dlib's pyramid grid), wherever the face is."""
    face_recognition = import_face_recognition()
    face = load_photo(face_dir / "obama.jpg").image
    face = face.resize((face.width * 2, face.height * 2))  # a big face: dlib uses its pyramid
    for x, y in ((1037, 601), (1611, 97)):  # odd offsets, and near an edge
        big = Image.new("RGB", (3500, 3000), (230, 225, 220))
        big.paste(face, (x, y))
        enc = encode_face(big)
        arr = np.asarray(big)
        theirs = face_recognition.face_encodings(arr, [enc.box.css()], num_jitters=1, model="small")
        assert np.array_equal(np.asarray(theirs[0], dtype=np.float32), enc.vector)
        assert enc.box.left > x and enc.box.top > y
