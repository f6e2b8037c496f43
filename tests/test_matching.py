"""Leads, alerts, verdicts, the descriptor index, the command line and batch intake.

Real dlib on the shared photos. Descriptors are computed once per test session (a photo's
pixels are its key), so the file stays fast while every service runs its real code.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageOps
from sqlalchemy import func, select

from muskan_desktop import faces, matching
from muskan_desktop.cases import CaseService
from muskan_desktop.context import Context
from muskan_desktop.db import connect_raw, db_errors
from muskan_desktop.errors import NotFoundError, ValidationError
from muskan_desktop.faces import FaceBlurredError, SeveralFacesError
from muskan_desktop.keystore import KeyUnavailable, load_keys
from muskan_desktop.match_alerts import AlertService
from muskan_desktop.match_index import EmbeddingIndex, cache_path
from muskan_desktop.match_rules import screen
from muskan_desktop.matching import MatchService, attach_photos
from muskan_desktop.models import (
    AuditEvent,
    Case,
    FaceEmbedding,
    MatchCandidate,
    MatchVerdict,
    Photo,
)
from muskan_desktop.paths import DB_FILENAME

from .conftest import shared_dir
from .test_faces import import_face_recognition

ENV = {**os.environ, "MUSKAN_OFFICER": "SI Test"}
ENV.pop("MUSKAN_HOME", None)
MUSKAN = (sys.executable, "-m", "muskan_desktop.cli")

_CACHE: dict[Any, Any] = {}
_real_encode = faces.encode_face


def _cached_encode(image: Image.Image, **kw: Any) -> faces.FaceEncoding:
    key = (
        hashlib.sha1(image.tobytes()).hexdigest(),
        image.size,
        kw.get("face"),
        kw.get("settings"),
    )
    if key not in _CACHE:
        try:
            _CACHE[key] = _real_encode(image, **kw)
        except faces.FaceError as exc:
            _CACHE[key] = exc
    hit = _CACHE[key]
    if isinstance(hit, faces.FaceError):
        raise type(hit)(hit.message.replace("The photo", kw.get("label", "The photo")), hit.boxes)
    return hit


@pytest.fixture(autouse=True)
def _encode_once(monkeypatch):
    monkeypatch.setattr(matching, "encode_face", _cached_encode)


@pytest.fixture(scope="module")
def face_dir() -> Path:
    return shared_dir() / "data" / "faces"


def new_case(ctx: Context, kind: str, sex: str = "M", age: int = 12, **more: Any) -> str:
    fields: dict[str, Any] = {"kind": kind, "sex": sex, "age_years": age}
    if kind == "missing":
        fields |= {
            "name_latin": "Ramesh Minj",
            "last_seen_on": "2026-03-01",
            "investigating_officer": "SI Kujur",
            "languages": "Hindi, Sadri",
        }
    else:
        fields |= {
            "name_latin": "Unknown boy",
            "found_on": "2026-10-20",
            "found_place": "Raipur railway station",
            "cci_name": "Balgrih Raipur",
            "cci_address": "Mana Camp, Raipur",
            "cci_contact": "0771 2411234",
            "languages": "Sadri",
        }
    fields |= more
    district = fields.pop("district", None)
    return CaseService(ctx).create(fields, district=district).id


def candidates(ctx: Context) -> list[MatchCandidate]:
    with ctx.db.read() as s:
        return list(s.scalars(select(MatchCandidate).order_by(MatchCandidate.created_at)))


def count(ctx: Context, model: Any) -> int:
    with ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


# -- leads and alerts ----------------------------------------------------------------------
def test_same_person_ranks_first_and_alerts(ctx, face_dir):
    svc = MatchService(ctx)
    missing = new_case(ctx, "missing")
    other = new_case(ctx, "found", district="Jashpur")
    svc.add_photo(other, face_dir / "biden.jpg")
    assert svc.add_photo(missing, face_dir / "obama.jpg").alerts == []  # biden: no alert
    found = new_case(ctx, "found", age=13)
    res = svc.add_photo(found, face_dir / "obama2.jpg", taken_on="2026-10-21")
    assert [a["case_id"] for a in res.alerts] == [missing]
    (cand,) = candidates(ctx)
    assert (cand.missing_case_id, cand.found_case_id, cand.status) == (missing, found, "open")
    assert 0.25 < cand.distance < 0.4
    codes = [r["code"] for r in cand.reasons]
    assert codes[:3] == ["face_distance", "sex_agrees", "age_fits"]
    texts = " | ".join(r["text"] for r in cand.reasons)
    assert "face distance 0.3" in texts and "languages: Sadri" in texts
    assert "age fits: 12 at missing + 0.6 y, apparent 13" in texts
    with ctx.db.read() as s:
        emb = s.scalars(select(FaceEmbedding).where(FaceEmbedding.case_id == found)).one()
        assert emb.model == "dlib_face_recognition_resnet_model_v1" and len(emb.vector) == 512
        assert set(emb.quality) >= {"sharpness", "yaw", "eye_distance", "box_size"}
        assert s.scalar(select(Photo.taken_on).where(Photo.case_id == found)) == dt.date(
            2026, 10, 21
        )
    # a search ranks the same person first, then nobody else under the list distance
    leads = svc.match_photo(face_dir / "obama3.jpg")
    assert [lead.case_id for lead in leads][:2] == sorted(
        [missing, found], key=lambda c: next(x.distance for x in leads if x.case_id == c)
    )
    assert other not in [lead.case_id for lead in leads]
    assert leads == sorted(leads, key=lambda x: -x.score)


def test_alert_list_says_where_the_child_is_and_who_investigates(ctx, face_dir):
    svc = MatchService(ctx)
    missing = new_case(ctx, "missing")
    svc.add_photo(missing, face_dir / "obama.jpg")
    found = new_case(ctx, "found", age=13)
    svc.add_photo(found, face_dir / "obama2.jpg")
    (alert,) = AlertService(ctx).list_alerts()
    assert alert["status"] == "open"
    assert alert["missing"]["investigating_officer"] == "SI Kujur"
    assert alert["missing"]["station"] and alert["missing"]["last_seen_on"] == "2026-03-01"
    f = alert["found"]
    assert (f["cci_name"], f["cci_address"], f["cci_contact"]) == (
        "Balgrih Raipur",
        "Mana Camp, Raipur",
        "+917712411234",  # as the phone check writes it
    )
    assert f["found_on"] == "2026-10-20" and f["found_place"] == "Raipur railway station"
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).where(AuditEvent.action == "alert_list")) == 1


@pytest.mark.parametrize(
    "found_fields",
    [
        {"sex": "F"},  # never a girl for a boy
        {"age": 17},  # 12 in March, apparent 17 in October: beyond ±2.2 years
        {"found_on": "2026-01-10"},  # found before he went missing
    ],
    ids=["sex", "age", "found_before_missing"],
)
def test_record_contradiction_suppresses_the_alert(ctx, face_dir, found_fields):
    svc = MatchService(ctx)
    missing = new_case(ctx, "missing")
    svc.add_photo(missing, face_dir / "obama.jpg")
    found = new_case(ctx, "found", **found_fields)
    assert svc.add_photo(found, face_dir / "obama2.jpg").alerts == []
    assert candidates(ctx) == []


def test_sex_x_agrees_with_either(ctx, face_dir):
    svc = MatchService(ctx)
    missing = new_case(ctx, "missing", sex="X")
    svc.add_photo(missing, face_dir / "obama.jpg")
    found = new_case(ctx, "found", sex="F", age=13)
    (alert,) = svc.add_photo(found, face_dir / "obama2.jpg").alerts
    (cand,) = candidates(ctx)
    assert [r["code"] for r in cand.reasons][:3] == ["face_distance", "sex_open", "age_fits"]


def test_age_tolerance_grows_with_time():
    def case(**kw: Any) -> Case:
        base = {"sex": "F", "district": "Surguja", "reported_on": dt.date(2026, 1, 1)}
        return Case(**(base | kw))

    gone = case(kind="missing", age_years=8, last_seen_on=dt.date(2020, 1, 1))
    # 8 + 6.8 years = 14.8; tolerance 2 + 6.8/3 = 4.3: 11 fits, 10 does not
    fits = screen(gone, case(kind="found", age_years=11, found_on=dt.date(2026, 10, 20)))
    assert fits.passes
    assert any(r["text"].startswith("age fits: 8 at missing + 6.8 y") for r in fits.reasons)
    assert not screen(gone, case(kind="found", age_years=10, found_on=dt.date(2026, 10, 20))).passes
    # a month after: ±2 years only
    recent = case(kind="missing", age_years=8, last_seen_on=dt.date(2026, 9, 20))
    assert not screen(
        recent, case(kind="found", age_years=11, found_on=dt.date(2026, 10, 20))
    ).passes
    # a date of birth beats the approximate age
    born = case(kind="missing", date_of_birth=dt.date(2014, 6, 1), last_seen_on=dt.date(2020, 1, 1))
    assert screen(born, case(kind="found", age_years=13, found_on=dt.date(2026, 10, 20))).passes
    # a shared language and district add a bonus, as reasons
    a = case(
        kind="missing", age_years=8, languages="Hindi; Kurukh", last_seen_on=dt.date(2026, 9, 1)
    )
    b = case(kind="found", age_years=8, languages="kurukh", found_on=dt.date(2026, 10, 1))
    sc = screen(a, b)
    assert sc.bonus == pytest.approx(0.03)
    assert [r["text"] for r in sc.reasons][-2:] == ["languages: Kurukh", "same district (Surguja)"]


def test_rejected_pair_never_alerts_again_and_verdicts_are_audited(ctx, face_dir):
    svc = MatchService(ctx)
    missing = new_case(ctx, "missing")
    svc.add_photo(missing, face_dir / "obama.jpg")
    found = new_case(ctx, "found", age=13)
    (a,) = svc.add_photo(found, face_dir / "obama2.jpg").alerts
    with pytest.raises(ValidationError) as err:
        AlertService(ctx).verdict(a["alert_id"], "confirmed", "  ")
    assert err.value.errors[0].field == "note"
    with pytest.raises(ValidationError):
        AlertService(ctx).verdict(a["alert_id"], "identified", "x")
    with pytest.raises(NotFoundError):
        AlertService(ctx).verdict("01a00000-0000-7000-8000-000000000000", "rejected", "x")
    AlertService(ctx).verdict(a["alert_id"], "rejected", "Spoke to the family: not their son")
    # the same two photos again (a second found record with the same photo, a re-add)
    again = new_case(ctx, "found", age=13)
    assert svc.add_photo(again, face_dir / "obama2.jpg").alerts == []
    assert svc.add_photo(found, face_dir / "obama2.jpg").alerts == []
    assert AlertService(ctx).list_alerts() == []
    # a new photo is new evidence: a new lead for the officer to look at
    (b,) = svc.add_photo(found, face_dir / "obama3.jpg").alerts
    AlertService(ctx).verdict(b["alert_id"], "confirmed", "Mother recognised him on a video call")
    with ctx.db.read() as s:
        statuses = dict(s.execute(select(MatchCandidate.id, MatchCandidate.status)).all())
        assert statuses == {a["alert_id"]: "rejected", b["alert_id"]: "confirmed"}
        verdicts = s.scalars(select(MatchVerdict).order_by(MatchVerdict.at)).all()
        assert [(v.verdict, v.by) for v in verdicts] == [
            ("rejected", "SI Test"),
            ("confirmed", "SI Test"),
        ]
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "match_verdict")).all()
        assert [(e.entity_id, e.details["verdict"]) for e in events] == [
            (a["alert_id"], "rejected"),
            (b["alert_id"], "confirmed"),
        ]
        assert all("Ramesh" not in json.dumps(e.details) for e in events)  # no names
    assert [x["alert_id"] for x in AlertService(ctx).list_alerts("confirmed")] == [b["alert_id"]]


def test_refused_photo_stores_nothing(ctx, face_dir, tmp_path):
    svc = MatchService(ctx)
    case = new_case(ctx, "found")
    with pytest.raises(SeveralFacesError):
        svc.add_photo(case, face_dir / "two_people.jpg")
    blurred = tmp_path / "blurred.jpg"
    from PIL import ImageFilter

    Image.open(face_dir / "obama.jpg").filter(ImageFilter.GaussianBlur(4)).save(blurred)
    with pytest.raises(FaceBlurredError, match="blurred.jpg"):
        svc.add_photo(case, blurred)
    assert count(ctx, Photo) == count(ctx, FaceEmbedding) == 0
    assert not (ctx.home / "photos").exists()
    # --face picks one face of a group photo
    res = svc.add_photo(case, face_dir / "two_people.jpg", face=2)
    assert res.face["index"] == 2 and res.face["faces_found"] == 2


def test_attach_photos_reports_each_photo(ctx, face_dir):
    case = new_case(ctx, "missing")
    out = attach_photos(ctx, case, [face_dir / "obama.jpg", face_dir / "two_people.jpg"])
    assert out[0].result is not None and out[0].error is None
    assert out[1].result is None and getattr(out[1].error, "code", None) == "several_faces"


# -- the descriptor index ------------------------------------------------------------------
def test_index_loads_from_the_table_without_re_encoding(ctx, face_dir, monkeypatch):
    svc = MatchService(ctx)
    missing = new_case(ctx, "missing")
    svc.add_photo(missing, face_dir / "obama.jpg")
    found = new_case(ctx, "found")
    svc.add_photo(found, face_dir / "biden.jpg")
    query = _cached_encode(Image.open(face_dir / "obama2.jpg").convert("RGB")).vector
    face_recognition = import_face_recognition()

    def refuse(*a: Any, **kw: Any) -> Any:
        raise AssertionError("the index must not encode photos")

    monkeypatch.setattr(face_recognition, "face_encodings", refuse)
    monkeypatch.setattr(faces, "encode_face", refuse)
    monkeypatch.setattr(faces.DlibFaces, "descriptor", refuse)
    monkeypatch.setattr(faces.DlibFaces, "face_locations", refuse)
    for use_cache in (False, True, True):  # the table; then the cache written; then read
        idx = EmbeddingIndex.load(ctx.db, use_cache=use_cache)
        if idx.writer is not None:
            idx.writer.join()
        assert len(idx) == 2
        hits = idx.search(query, 5)
        assert [h.kind for h in hits] == ["missing", "found"]
        assert 0.3 < hits[0].distance < 0.4 < 0.7 < hits[1].distance
        assert [h.kind for h in idx.search(query, 5, kind="found")] == ["found"]
    assert cache_path(ctx.home).is_file()


def test_index_cache_follows_the_table(ctx, face_dir):
    svc = MatchService(ctx)
    a = new_case(ctx, "missing")
    svc.add_photo(a, face_dir / "obama.jpg")
    EmbeddingIndex.load(ctx.db, use_cache=False).save_cache(ctx.db)
    b = new_case(ctx, "found")
    svc.add_photo(b, face_dir / "biden.jpg")  # newer than the cache: appended on load
    assert len(EmbeddingIndex.load(ctx.db)) == 2
    with ctx.db.write() as s:  # a row removed: the cache no longer matches, it is rebuilt
        s.query(FaceEmbedding).filter(FaceEmbedding.case_id == a).delete()
    idx = EmbeddingIndex.load(ctx.db)
    assert len(idx) == 1 and [h.kind for h in idx.search(np.zeros(128), 3)] == ["found"]
    cache_path(ctx.home).write_bytes(b"garbage")
    assert len(EmbeddingIndex.load(ctx.db)) == 1


def test_index_search_is_exact():
    rng = np.random.default_rng(7)
    n = 20_000
    x = rng.standard_normal((n, 128)).astype(np.float32)
    kinds = rng.integers(1, 3, n).astype(np.int8)
    idx = EmbeddingIndex(capacity=10)
    for lo in range(0, n, 7000):  # appended in pieces, growing the matrix
        idx.add(np.arange(lo + 1, min(lo + 7000, n) + 1), kinds[lo : lo + 7000], x[lo : lo + 7000])
    for q in rng.standard_normal((5, 128)).astype(np.float32):
        exact = np.linalg.norm(x.astype(np.float64) - q, axis=1)
        want = np.argsort(exact, kind="stable")[:10] + 1
        got = idx.search(q, 10)
        assert [h.seq for h in got] == want.tolist()
        assert [h.distance for h in got] == pytest.approx(np.sort(exact)[:10].tolist())
        found = np.flatnonzero(kinds == 2)
        want = found[np.argsort(exact[found], kind="stable")[:10]] + 1
        assert [h.seq for h in idx.search(q, 10, kind="found")] == want.tolist()


# -- the command line ----------------------------------------------------------------------
def muskan(home: Path, *args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MUSKAN, "--home", str(home), *args],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
        **kw,
    )


def test_cli_photos_add_match_json_alerts_and_verdict(ctx, face_dir):
    missing = new_case(ctx, "missing")
    found = new_case(ctx, "found", age=13)
    other = new_case(ctx, "found", sex="F")
    home = ctx.home
    r = muskan(home, "photos", "add", missing, str(face_dir / "obama.jpg"))
    assert r.returncode == 0, r.stderr
    r = muskan(home, "photos", "add", found, str(face_dir / "two_people.jpg"))
    assert r.returncode == 2
    assert "2 faces" in r.stderr and "--face N" in r.stderr and "1 at x" in r.stderr
    r = muskan(
        home, "photos", "add", found, str(face_dir / "obama2.jpg"), str(face_dir / "biden.jpg")
    )
    assert r.returncode == 0, r.stderr
    assert "alert" in r.stdout and missing in r.stdout
    assert muskan(home, "photos", "add", other, str(face_dir / "biden.jpg")).returncode == 0

    r = muskan(home, "match", str(face_dir / "obama3.jpg"), "--top", "5", "--json")
    assert r.returncode == 0, r.stderr
    leads = json.loads(r.stdout)
    assert [x["case_id"] for x in leads] == sorted(
        [missing, found], key=lambda c: next(x["distance"] for x in leads if x["case_id"] == c)
    )
    for x in leads:
        assert {"case_id", "kind", "name", "distance", "reasons"} <= set(x)
        assert x["distance"] < 0.6
    assert [x["kind"] for x in leads if x["case_id"] == missing] == ["missing"]
    assert leads[0]["distance"] <= leads[1]["distance"]

    r = muskan(home, "match", str(face_dir / "biden.jpg"), "--json", "--kind", "found")
    assert {x["case_id"] for x in json.loads(r.stdout)} == {found, other}

    r = muskan(home, "alerts", "list", "--json")
    (alert,) = json.loads(r.stdout)
    assert (alert["missing"]["case_id"], alert["found"]["case_id"]) == (missing, found)
    r = muskan(home, "alerts", "verdict", alert["alert_id"], "confirmed", "--note", "")
    assert r.returncode == 2 and "note" in r.stderr
    r = muskan(
        home, "alerts", "verdict", alert["alert_id"], "confirmed", "--note", "Family confirmed"
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(muskan(home, "alerts", "list", "--json").stdout) == []


def test_cli_on_an_empty_folder_creates_no_register(tmp_path, face_dir):
    home = tmp_path / "nowhere"
    r = muskan(home, "match", str(face_dir / "obama.jpg"), "--json")
    assert r.returncode == 4 and "no case register" in r.stderr.lower()
    assert not home.exists()


# -- batch intake --------------------------------------------------------------------------
def make_folder(face_dir: Path, folder: Path, n: int) -> list[str]:
    """n different files of the shared faces (resized, mirrored, recompressed)."""
    folder.mkdir()
    sources = ["obama.jpg", "obama2.jpg", "obama3.jpg", "biden.jpg"]
    rows = []
    for i in range(n):
        img = Image.open(face_dir / sources[i % len(sources)]).convert("RGB")
        img = img.resize((int(img.width * (0.6 + 0.03 * i)), int(img.height * (0.6 + 0.03 * i))))
        if i % 2:
            img = ImageOps.mirror(img)
        name = f"child_{i:02d}.jpg"
        img.save(folder / name, quality=80 + i % 15)
        rows.append(name)
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["File", "Name Latin", "Sex", "Age Years", "Found On", "CCI Name"])
        for i, name in enumerate(rows):
            w.writerow([name, f"Resident {i}", "M", 12, "2026-10-01", "Balgrih Ambikapur"])
    return rows


def db_counts(home: Path) -> tuple[int, int, int]:
    con = connect_raw(home / DB_FILENAME, load_keys(home, create=False), timeout=10)
    try:
        return tuple(  # type: ignore[return-value]
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("cases", "photos", "face_embeddings")
        )
    finally:
        con.close()


def test_batch_import_killed_half_way_resumes_without_duplicates(tmp_path, face_dir):
    folder = tmp_path / "balgrih"
    n = 12
    make_folder(face_dir, folder, n)
    home = tmp_path / "home"
    args = ["faces", "import-folder", str(folder), "--kind", "found", "--workers", "2"]
    args += ["--district", "Surguja"]
    proc = subprocess.Popen(
        [*MUSKAN, "--home", str(home), *args],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if db_counts(home)[2] >= 3:
                break
        except (*db_errors(), KeyUnavailable):  # not there yet, or not migrated yet
            pass
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole import, its workers too
    proc.wait()
    cases, photos, embs = db_counts(home)
    assert 3 <= embs < n, "the import finished before it could be killed"
    assert cases == photos == embs  # each photo was one transaction: nothing half-done

    r = muskan(home, *args, "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["skipped"] == embs and report["imported"] == n - embs
    assert db_counts(home) == (n, n, n)
    r = muskan(home, *args, "--json")  # a third run has nothing to do
    assert json.loads(r.stdout)["imported"] == 0 and db_counts(home) == (n, n, n)
    con = connect_raw(home / DB_FILENAME, load_keys(home, create=False))
    names = [r[0] for r in con.execute("SELECT name_latin FROM cases ORDER BY name_latin")]
    con.close()
    assert names == sorted(f"Resident {i}" for i in range(n))


def test_batch_import_attaches_by_case_id_reports_bad_rows_and_alerts(ctx, face_dir, tmp_path):
    from muskan_desktop.match_batch import import_folder

    svc = MatchService(ctx)
    missing = new_case(ctx, "missing")
    svc.add_photo(missing, face_dir / "obama.jpg")
    found = new_case(ctx, "found", age=13)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("obama2.jpg", "two_people.jpg"):
        (folder / name).write_bytes((face_dir / name).read_bytes())
    (folder / "manifest.csv").write_text(
        "file,case_id,face\n"
        f"obama2.jpg,{found},\n"
        f"two_people.jpg,{found},\n"
        "gone.jpg,{found},\n"
        f"two_people.jpg,{found},x\n"
        "obama2.jpg,,\n"
        f"../outside.jpg,{found},\n",
        encoding="utf-8",
    )
    (tmp_path / "outside.jpg").write_bytes((face_dir / "obama3.jpg").read_bytes())
    seen: list[tuple[int, int]] = []
    report = import_folder(ctx, folder, workers=1, progress=lambda d, t: seen.append((d, t)))
    assert report.imported == 1 and [a["case_id"] for a in report.alerts] == [missing]
    assert {(e.row, e.field) for e in report.errors} == {
        (3, "file"),  # two faces: which one?
        (4, "file"),  # not in the folder
        (4, "case_id"),
        (5, "face"),
        (6, "kind"),  # a new case needs its kind, sex and age
        (6, "sex"),
        (6, "age_years"),
        (7, "file"),  # outside the folder
    }
    assert "2 faces" in next(e.message for e in report.errors if e.row == 3)
    assert seen[-1] == (2, 2)


def test_batch_manifest_problems_refuse_the_whole_folder(ctx, tmp_path):
    from muskan_desktop.errors import MuskanError
    from muskan_desktop.match_batch import import_folder

    folder = tmp_path / "in"
    folder.mkdir()
    with pytest.raises(MuskanError, match="manifest.csv not found"):
        import_folder(ctx, folder)
    (folder / "manifest.csv").write_text("photo,case_id\na.jpg,x\n", encoding="utf-8")
    with pytest.raises(MuskanError, match="columns Muskan does not know: photo"):
        import_folder(ctx, folder)
    (folder / "manifest.csv").write_text("case_id\nx\n", encoding="utf-8")
    with pytest.raises(MuskanError, match="no file column"):
        import_folder(ctx, folder)
    assert count(ctx, Photo) == 0
