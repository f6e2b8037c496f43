"""One use case, one behaviour, whichever door it comes through (issue 16, item 2).

- Adding a case with photos: the case form and `muskan cases add --photo` keep the same
  rule (a photo that cannot be read is refused, one without a usable face is kept
  unmatched), and a photo step that fails after the case was saved leaves the form editing
  that case: Save again makes no second case.
- Search by photo: the window's search and `muskan match --json` rank the same cases with
  the same settings and face choice.
- Listing alerts: one joined query, however many alerts (not one more per alert).

Real parts throughout: real dlib on the shared photos, real Qt widgets offscreen, the real
`muskan` command as a subprocess, real SQLite registers.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import event, func, select

from muskan_desktop import intake, places
from muskan_desktop.cases import CaseService
from muskan_desktop.context import Context, open_context
from muskan_desktop.match_alerts import AlertService, raise_alert
from muskan_desktop.match_rules import DEFAULT_MATCH
from muskan_desktop.matching import MatchService
from muskan_desktop.models import Case, FaceEmbedding, MatchVerdict, Photo
from muskan_desktop.photos import PhotoStore
from ui.case_form import CaseForm
from ui.photo_search import PhotoSearchWindow
from ui.tasks import TaskRunner

from .conftest import fixed, shared_dir

pytestmark = pytest.mark.usefixtures("modal_boxes")

ENV = {**os.environ, "MUSKAN_OFFICER": "SI Test"}
ENV.pop("MUSKAN_HOME", None)
MUSKAN = (sys.executable, "-m", "muskan_desktop.cli")
CHILD = {"name_latin": "Asha Ekka", "sex": "F", "age_years": "10"}


def muskan(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MUSKAN, "--home", str(home), *args],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="module")
def faces_dir() -> Path:
    return shared_dir() / "data" / "faces"


@pytest.fixture
def station_ctx(home: Path) -> Iterator[Context]:
    ctx = fixed(open_context(home, actor="SI Test"))
    with ctx.db.write() as s:
        CaseService(ctx).set_own_station(s, places.find_station("Ambikapur")[0])
    yield ctx
    ctx.db.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def faceless_photo(faces_dir: Path, out: Path) -> Path:
    """A real photo's lower quarter (the shirt): a readable photo with no face in it."""
    im = Image.open(faces_dir / "obama.jpg").convert("RGB")
    w, h = im.size
    im.crop((0, int(h * 0.75), w, h)).save(out, "JPEG", quality=92)
    return out


def cut_short(src: Path, out: Path) -> Path:
    """A photo file cut off after its first kilobyte (a copy that stopped half-way)."""
    out.write_bytes(src.read_bytes()[:1024])
    return out


def new_form(ctx: Context, qtbot: Any, kind: str = "missing") -> CaseForm:
    form = CaseForm(ctx, TaskRunner(inline=True), kind)
    qtbot.addWidget(form)
    form.show()
    for name, value in CHILD.items():
        w = form.widgets[name]
        if name == "sex":
            w.setCurrentIndex(w.findData(value))  # type: ignore[attr-defined]
        else:
            w.setFocus()
            qtbot.keyClicks(w, value)
    return form


def press_save(qtbot: Any, form: CaseForm) -> None:
    qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.LeftButton)


def register_photos(ctx: Context) -> tuple[int, list[tuple[str, str, bool]]]:
    """The number of cases, and every photo as (case id, sha256, has a face descriptor)."""
    with ctx.db.read() as s:
        n = s.scalar(select(func.count()).select_from(Case))
        encoded = set(s.execute(select(FaceEmbedding.case_id, FaceEmbedding.photo_sha256)).all())
        rows = [
            (c, h, (c, h) in encoded)
            for c, h in s.execute(select(Photo.case_id, Photo.sha256).order_by(Photo.sha256))
        ]
    return int(n or 0), rows


# -- adding a case with photos -------------------------------------------------------------
def test_form_photo_step_fails_after_the_case_is_saved_save_again_makes_no_second_case(
    qtbot, station_ctx, faces_dir, monkeypatch, modal_boxes
):
    """The disk fills up while the second photo is written: the case (and the first photo)
    are on disk. The form now edits that case; once there is room, Save again adds the
    missing photo to it. One case in the register, with both photos."""
    ctx = station_ctx
    good, second = faces_dir / "obama.jpg", faces_dir / "obama2.jpg"
    form = new_form(ctx, qtbot)
    form.on_photos_added([good, second])
    assert form.photos.paths == [good, second]

    real_write = PhotoStore._write
    full = {"on": True}

    def write(self: PhotoStore, target: Path, data: bytes) -> None:
        if full["on"] and target.name.startswith(sha(second)):
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real_write(self, target, data)

    monkeypatch.setattr(PhotoStore, "_write", write)
    press_save(qtbot, form)

    assert form.isVisible(), "the form stays open: a photo is not saved yet"
    (told,) = [text for _k, _t, text in modal_boxes]
    assert "case is saved" in told and "obama2.jpg" in told and "disk is full" in told
    assert "nothing was saved" not in told
    n, photos = register_photos(ctx)
    assert n == 1
    (case_id,) = {c for c, _h, _e in photos}
    assert form.case_id == case_id, "the form holds the saved case"
    assert photos == [(case_id, sha(good), True)]
    assert form.windowTitle() == "Edit case"

    assert form.widgets["name_latin"].text() == "Asha Ekka"  # type: ignore[attr-defined]

    full["on"] = False  # the officer freed some space, and adds an alias meanwhile
    form.widgets["aliases"].setFocus()
    qtbot.keyClicks(form.widgets["aliases"], "Ashu")
    press_save(qtbot, form)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=30000)
    n, photos = register_photos(ctx)
    assert n == 1, "Save again saved the same case, not a second one"
    assert sorted(photos) == sorted([(case_id, sha(good), True), (case_id, sha(second), True)])
    with ctx.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None and (case.aliases, case.version) == ("Ashu", 2)


def test_cli_and_form_keep_the_same_photo_rule(qtbot, tmp_path, faces_dir, modal_boxes):
    """The same child with three photos (no face in one, one that cannot be read, one good)
    through the command line and through the form: the same case and the same photos in
    each register, and each door says which photo was kept unmatched and which refused."""
    faceless = faceless_photo(faces_dir, tmp_path / "shirt.jpg")
    good = faces_dir / "obama.jpg"

    cli_home = tmp_path / "cli"
    broken = cut_short(faces_dir / "obama2.jpg", tmp_path / "broken.jpg")
    r = muskan(
        cli_home,
        *("cases", "add", "--kind", "missing", "--name", "Asha Ekka", "--sex", "F"),
        *("--age", "10", "--json"),
        *("--photo", str(faceless), "--photo", str(broken), "--photo", str(good)),
    )
    assert r.returncode == 5, r.stderr  # some input refused, the rest went in
    out = json.loads(r.stdout)
    assert [p["status"] for p in out["photos"]] == ["kept", "refused", "encoded"]
    assert out["photos"][0]["code"] == "no_face"
    assert "shirt.jpg" in r.stderr and "not used for matching" in r.stderr
    assert "broken.jpg" in r.stderr and "not saved" in r.stderr

    form_home = tmp_path / "form"
    ctx = fixed(open_context(form_home, actor="SI Test"))
    try:
        form = new_form(ctx, qtbot)
        readable = tmp_path / "broken-later.jpg"  # readable when added, cut short by Save
        readable.write_bytes((faces_dir / "obama2.jpg").read_bytes())
        form.on_photos_added([faceless, readable, good])
        assert len(form.photos.paths) == 3
        cut_short(faces_dir / "obama2.jpg", readable)
        press_save(qtbot, form)
        qtbot.waitUntil(lambda: not form.isVisible(), timeout=30000)
        told = "\n".join(text for kind, _t, text in modal_boxes if kind == "information")
        assert "shirt.jpg" in told and "not used for matching" in told
        assert "broken-later.jpg" in told and "not saved" in told
        form_n, form_photos = register_photos(ctx)
    finally:
        ctx.db.close()

    cli_ctx = fixed(open_context(cli_home, actor="SI Test"))
    try:
        cli_n, cli_photos = register_photos(cli_ctx)
    finally:
        cli_ctx.db.close()
    assert cli_n == form_n == 1
    expected = sorted([(sha(faceless), False), (sha(good), True)])
    assert sorted((h, e) for _c, h, e in cli_photos) == expected
    assert sorted((h, e) for _c, h, e in form_photos) == expected


def test_cli_photo_step_fails_after_the_case_is_saved_prints_its_id(
    tmp_path, faces_dir, monkeypatch, capsys
):
    """`cases add --photo` when the disk fills up at the second photo: the case and the first
    photo are saved, stdout gives the case's id, stderr says which photo was not saved and how
    to add it, and the exit code is the full disk's (4)."""
    from muskan_desktop.cli import main

    good, second = faces_dir / "obama.jpg", faces_dir / "obama2.jpg"
    real_write = PhotoStore._write

    def write(self: PhotoStore, target: Path, data: bytes) -> None:
        if target.name.startswith(sha(second)):
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real_write(self, target, data)

    monkeypatch.setattr(PhotoStore, "_write", write)
    monkeypatch.setenv("MUSKAN_OFFICER", "SI Test")
    home = tmp_path / "cli"
    code = main(
        [
            *("--home", str(home), "cases", "add", "--kind", "missing", "--name", "Asha"),
            *("--sex", "F", "--age", "10", "--photo", str(good), "--photo", str(second)),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 4, err
    ctx = open_context(home, actor="SI Test")
    try:
        n, photos = register_photos(ctx)
    finally:
        ctx.db.close()
    assert n == 1
    (case_id,) = {c for c, _h, _e in photos}
    assert out.strip() == case_id
    assert photos == [(case_id, sha(good), True)]
    assert "disk is full" in err and str(second) in err and "nothing was saved" not in err
    assert f"muskan photos add {case_id}" in err
    assert f"{good}: added, face encoded" in err  # each photo's outcome


# -- search by photo -----------------------------------------------------------------------
def test_window_search_and_muskan_match_rank_alike_with_non_default_settings(
    qtbot, station_ctx, faces_dir
):
    """A group photo, its right-hand face chosen, leads listed up to 0.9 (not the default
    0.6): the window's list and `muskan match --json` hold the same cases in the same
    order, including the other person's cases that only the wider limit lists."""
    ctx = station_ctx
    svc, ms = CaseService(ctx), MatchService(ctx)
    ids = []
    for kind, photo, sex in (
        ("missing", "obama.jpg", "M"),
        ("found", "obama3.jpg", "M"),
        ("missing", "biden.jpg", "M"),
        ("found", "obama_partial_face.jpg", "M"),
    ):
        cid = svc.create({"kind": kind, "name_latin": "Ravi", "sex": sex, "age_years": 12}).id
        ms.add_photo(cid, faces_dir / photo)
        ids.append(cid)
    query = faces_dir / "two_people.jpg"
    settings = dataclasses.replace(DEFAULT_MATCH, list_distance=0.9)

    r = muskan(
        ctx.home,
        *("match", str(query), "--face", "2", "--max-distance", "0.9", "--top", "20", "--json"),
    )
    assert r.returncode == 0, r.stderr
    cli = [x["case_id"] for x in json.loads(r.stdout)]

    w = PhotoSearchWindow(ctx, TaskRunner(inline=True), query, settings=settings, face=2)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.face is not None or w.error is not None, timeout=30000)
    assert w.error is None
    window = [lead.case_id for lead in w.leads]
    assert window == cli
    assert sorted(window) == sorted(ids)  # both people: the wider limit was used by both
    shown = [w.table.item(i, 3).text() for i in range(w.table.rowCount())]
    assert shown == [f"{lead.distance:.2f}" for lead in w.leads]


# -- listing alerts ------------------------------------------------------------------------
def _alerts(ctx: Context, n: int) -> None:
    """n open alerts between a missing child and n found children, half with a verdict."""
    svc = CaseService(ctx)
    m = svc.create({"kind": "missing", "name_latin": "Asha", "sex": "F", "age_years": 10}).id
    for i in range(n):
        f = svc.create({"kind": "found", "sex": "F", "age_years": 11}, district="Jashpur").id
        with ctx.db.write() as s:
            cand = raise_alert(
                s, ctx, (m, f, "a" * 64, f"{i:064x}"), distance=0.3 + i / 100, score=0.7, reasons=[]
            )
            cid = cand.id
        if i % 2:
            AlertService(ctx).verdict(cid, "inconclusive", "called the home; call back")
            with ctx.db.write() as s:  # back to the inbox with its verdict on record
                s.get(type(cand), cid).status = "open"  # type: ignore[union-attr]


def _statements(ctx: Context, fn: Any) -> tuple[int, Any]:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *a: Any) -> None:
        seen.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", count)
    try:
        out = fn()
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", count)
    return len(seen), out


@pytest.mark.parametrize("door", ["cli", "window"])
def test_listing_alerts_is_a_bounded_number_of_statements(tmp_path, door):
    """1 alert or 20: the same number of SQL statements (no query per alert), for the
    listing the command line prints and the one the window's inbox shows."""
    counts = {}
    for n in (1, 20):
        ctx = fixed(open_context(tmp_path / f"{door}{n}", actor="SI Test"))
        try:
            _alerts(ctx, n)
            if door == "cli":
                k, rows = _statements(ctx, lambda c=ctx: intake.list_alerts(c, "open"))
            else:
                k, rows = _statements(ctx, lambda c=ctx: AlertService(c).inbox(order="newest"))
        finally:
            ctx.db.close()
        assert len(rows) == n
        assert sum(len(r["verdicts"]) for r in rows) == n // 2
        assert all(r["missing"]["name"] == "Asha" for r in rows)
        counts[n] = k
    assert counts[1] == counts[20], counts


def test_cli_alerts_list_json_keeps_its_fields(station_ctx, faces_dir):
    """`muskan alerts list --json` from the one listing: what scripts read is all there."""
    ctx = station_ctx
    _alerts(ctx, 3)
    r = muskan(ctx.home, "alerts", "list", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) == 3
    for a in rows:
        assert {"alert_id", "status", "distance", "score", "reasons", "created_at"} <= set(a)
        assert {"case_id", "name", "station", "station_phone", "investigating_officer"} <= set(
            a["missing"]
        )
        assert {"case_id", "cci_name", "station", "found_on"} <= set(a["found"])
    assert [len(a["verdicts"]) for a in rows] == [0, 1, 0]
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(MatchVerdict)) == 1
