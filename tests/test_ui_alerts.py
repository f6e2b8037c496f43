"""The match alert inbox, the comparison view, verdicts and search by photo, driven as an
officer would: real dlib on the shared photos, real widgets offscreen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sqlalchemy import select

from muskan_desktop import places
from muskan_desktop.cases import CaseService
from muskan_desktop.context import Context, open_context
from muskan_desktop.matching import MatchService
from muskan_desktop.models import AuditEvent, Case, CaseLink, MatchCandidate, Photo
from ui.app import build_window
from ui.tasks import TaskRunner

from .conftest import fixed, shared_dir

pytestmark = [
    pytest.mark.usefixtures("modal_boxes"),
    # Qt 6 has only the QPoint form of QDragEnterEvent, which PySide marks deprecated
    pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning"),
]


@pytest.fixture(scope="module")
def faces_dir() -> Path:
    return shared_dir() / "data" / "faces"


def missing_case(ctx: Context, **more: Any) -> str:
    fields = {
        "kind": "missing",
        "name_latin": "Ramesh Minj",
        "sex": "M",
        "age_years": 11,
        "last_seen_on": "2026-03-01",
        "last_seen_place": "Ambikapur bus stand",
        "languages": "Hindi, Sadri",
        "identification_marks": "mole on left cheek",
        "investigating_officer": "SI Kujur",
    } | more
    return CaseService(ctx).create(fields, district="Surguja").id


def found_case(ctx: Context, **more: Any) -> str:
    fields = {
        "kind": "found",
        "name_latin": "Ramu",
        "sex": "M",
        "age_years": 12,
        "found_on": "2026-10-20",
        "found_place": "Jashpur bus stand",
        "cci_name": "Balgrih Jashpur",
        "cci_address": "Collectorate Road, Jashpur Nagar",
        "cci_contact": "07763222333",
        "languages": "Sadri",
        "identification_marks": "small mole on cheek",
    } | more
    return CaseService(ctx).create(fields, district="Jashpur").id


@pytest.fixture
def register(home, faces_dir):
    """A missing boy with obama.jpg, a found boy with no photo yet."""
    ctx = fixed(open_context(home, actor="SI Test"))
    with ctx.db.write() as s:
        CaseService(ctx).set_own_station(s, places.find_station("Ambikapur")[0])
    ids = {"missing": missing_case(ctx), "found": found_case(ctx)}
    MatchService(ctx).add_photo(ids["missing"], faces_dir / "obama.jpg")
    ctx.db.close()
    return ids


@pytest.fixture
def window(qtbot, home, register):
    win = build_window(home, runner=TaskRunner(inline=True))
    qtbot.addWidget(win)
    win.show()
    win.start()
    fixed(win.ctx)
    yield win
    for w in win.case_windows:
        w.dirty = False
    win.ctx.db.close()


def add_photo_in_the_app(qtbot, win, case_id: str, photo: Path) -> None:
    """The officer opens the found child's record, adds a photo and saves."""
    from ui.case_form import CaseForm

    form = CaseForm(win.ctx, win.runner, "found", case_id=case_id, parent=win)
    form.saved.connect(win.on_case_saved)
    form.show()
    form.on_photos_added([photo])
    assert form.photos.paths == [photo]
    form.on_save()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=20000)


def answer_step_dialog(seen: dict[str, Any]) -> None:
    dlg = QApplication.activeModalWidget()
    if dlg is None or not hasattr(dlg, "fields"):
        QTimer.singleShot(20, lambda: answer_step_dialog(seen))
        return
    seen.update(
        {
            name: (w.currentData() if hasattr(w, "currentData") else w.text())
            for name, w in dlg.fields.items()
        }
    )
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_alert_in_inbox_confirmed_links_cases_closes_and_is_audited(
    qtbot, window, register, faces_dir, tmp_path
):
    alerts = window.alerts
    assert alerts.badge.count == 0
    add_photo_in_the_app(qtbot, window, register["found"], faces_dir / "obama2.jpg")
    qtbot.waitUntil(lambda: alerts.badge.count == 1, timeout=10000)
    assert "1" in alerts.badge.text()

    qtbot.mouseClick(alerts.badge, Qt.MouseButton.LeftButton)
    inbox = alerts.inbox
    assert inbox is not None and inbox.isVisible()
    assert len(inbox.rows) == 1
    row = inbox.rows[0]
    assert row["missing"]["case_id"] == register["missing"]
    assert row["found"]["case_id"] == register["found"]
    assert row["distance"] < 0.5
    assert inbox.table.item(0, 4).text() == f"{row['distance']:.2f}"
    assert "Balgrih Jashpur" in inbox.table.item(0, 5).text()  # where the child is now
    assert "Boy" in inbox.table.item(0, 1).text() and "11" in inbox.table.item(0, 1).text()
    for col in (0, 2):  # both thumbnails
        assert not inbox.table.item(0, col).icon().isNull()

    inbox.table.selectRow(0)
    qtbot.mouseClick(inbox.compare_button, Qt.MouseButton.LeftButton)
    view = alerts.windows[-1]
    assert view.isVisible()
    for side in ("missing", "found"):  # both faces, boxed, and eye-aligned
        pane = view.panes[side]
        assert pane.pixmap_item is not None and pane.box_item is not None
        assert not view.aligned[side].pixmap().isNull()
    assert not view.blend_pane.pixmap().isNull()
    assert view.current["found"] == row["found"]["photo_sha256"]
    texts = {
        view.records.item(r, 0).text(): view.records.item(r, 3).text()
        for r in range(view.records.rowCount())
    }
    assert texts["Sex"] == "agrees" and texts["Age then → now"] == "agrees"
    assert view.cand_table.rowCount() >= 1  # the ranked list beside it
    assert "face distance" in view.cand_table.item(0, 3).text()

    view.verdict_buttons["confirmed"].setChecked(True)
    qtbot.mouseClick(view.record_button, Qt.MouseButton.LeftButton)  # no note: refused
    assert view.verdict_error.isVisible()
    with window.ctx.db.read() as s:
        assert s.scalar(select(MatchCandidate.status)) == "open"
    qtbot.keyClicks(view.note_edit, "Photos and mole compared; CCI called, boy named his village")
    qtbot.mouseClick(view.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: alerts.badge.count == 0, timeout=10000)
    assert len(inbox.rows) == 0 and "No open alerts" in inbox.summary.text()
    with window.ctx.db.read() as s:
        cand = s.scalar(select(MatchCandidate))
        assert cand.status == "confirmed"
        link = s.scalar(select(CaseLink))
        assert (link.missing_case_id, link.found_case_id) == (
            register["missing"],
            register["found"],
        )
        ev = s.scalar(select(AuditEvent).where(AuditEvent.action == "match_verdict"))
        assert ev.entity_id == cand.id and ev.actor == window.ctx.actor
        assert ev.details["verdict"] == "confirmed" and ev.details["link"] == "linked"
    assert window.ctx.actor in view.history.text() and "CCI called" in view.history.text()

    # the confirmation sheet, printed from the view
    assert view.sheet_button.isVisible()
    sheet = tmp_path / "match.pdf"
    view.on_match_sheet(str(sheet))
    assert sheet.read_bytes().startswith(b"%PDF")

    # the next lifecycle step, with where the found child is filled in
    assert view.trace_button.isVisible()
    seen: dict[str, Any] = {}
    QTimer.singleShot(0, lambda: answer_step_dialog(seen))
    qtbot.mouseClick(view.trace_button, Qt.MouseButton.LeftButton)
    assert seen["located_state"] == "Chhattisgarh"
    assert "Balgrih Jashpur" in seen["located_place"]
    assert "07763222333" in seen["note"] or "7763222333" in seen["note"]
    with window.ctx.db.read() as s:
        assert s.get(Case, register["missing"]).status == "traced"
    assert not view.trace_button.isVisible()


def test_rejected_pair_never_alerts_again(qtbot, window, register, faces_dir):
    alerts = window.alerts
    add_photo_in_the_app(qtbot, window, register["found"], faces_dir / "obama2.jpg")
    qtbot.waitUntil(lambda: alerts.badge.count == 1, timeout=10000)
    inbox = alerts.open_inbox()
    view = alerts.open_compare(inbox.rows[0])
    view.verdict_buttons["rejected"].setChecked(True)  # no note needed to reject
    qtbot.mouseClick(view.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: alerts.badge.count == 0, timeout=10000)

    # the same photo again, on another found child's record: the pair stays suppressed
    ctx = window.ctx
    other = found_case(ctx, name_latin="Raju")
    add_photo_in_the_app(qtbot, window, other, faces_dir / "obama2.jpg")
    MatchService(ctx).add_photo(register["found"], faces_dir / "obama2.jpg")
    alerts.watcher.poke()
    inbox.reload()
    assert alerts.badge.count == 0 and inbox.rows == []
    with ctx.db.read() as s:
        assert [c.status for c in s.scalars(select(MatchCandidate))] == ["rejected"]
        assert s.scalar(select(Photo.id).where(Photo.case_id == other)) is not None
    # a different photo of the same child is a new pair and does alert
    MatchService(ctx).add_photo(other, faces_dir / "obama3.jpg")
    alerts.watcher.poke()
    assert alerts.badge.count == 1


def drop_file(target, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    pos = QPointF(target.rect().center())
    for kind in ("enter", "drop"):
        if kind == "enter":
            from PySide6.QtGui import QDragEnterEvent

            ev: Any = QDragEnterEvent(
                QPoint(int(pos.x()), int(pos.y())),
                Qt.DropAction.CopyAction,
                mime,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
            )
        else:
            ev = QDropEvent(
                pos,
                Qt.DropAction.CopyAction,
                mime,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
            )
        QApplication.sendEvent(target, ev)
        assert ev.isAccepted()


def test_drop_of_another_face_shows_no_candidate_above_the_alert_level(
    qtbot, window, register, faces_dir
):
    alerts = window.alerts
    drop_file(window, faces_dir / "biden.jpg")
    search = alerts.windows[-1]
    assert search.objectName() == "photoSearch" and search.error is None
    assert search.face is not None and search.face.aligned is not None
    assert search.above_alert_level() == []
    assert "No candidate is close enough to alert" in search.summary.text()
    for r in range(search.table.rowCount()):
        assert float(search.table.item(r, 3).text()) > 0.5
    # the same child's photo, dropped the same way, does rank the missing boy above it
    drop_file(window, faces_dir / "obama2.jpg")
    search = alerts.windows[-1]
    close = search.above_alert_level()
    assert [x.case_id for x in close] == [register["missing"]]
    assert search.table.item(0, 1).text().startswith("1. Ramesh Minj")
    with window.ctx.db.read() as s:  # a search stores nothing
        assert s.scalar(select(MatchCandidate.id)) is None


def test_a_photo_dropped_on_a_case_window_searches_too(qtbot, window, register, faces_dir):
    window.open_case(register["found"])
    view = window.case_windows[-1]
    view.activateWindow()
    view.tabs.setFocus()
    qtbot.waitUntil(view.acceptDrops, timeout=5000)
    drop_file(view, faces_dir / "obama2.jpg")
    search = window.alerts.windows[-1]
    assert search.objectName() == "photoSearch"
    assert [x.case_id for x in search.above_alert_level()] == [register["missing"]]


def test_dropped_file_that_is_not_a_photo_of_a_face_says_why(qtbot, window, tmp_path):
    bad = tmp_path / "notes.jpg"
    bad.write_text("not a photo")
    drop_file(window, bad)
    search = window.alerts.windows[-1]
    assert search.error and "not an image" in search.error
    assert search.table.rowCount() == 0


def test_alerts_raised_elsewhere_appear_without_restart_and_filter(
    qtbot, window, register, faces_dir, home
):
    """Another program on the register (the command line, a batch import, sync) raises an
    alert: the badge and the open inbox pick it up from the database."""
    alerts = window.alerts
    alerts.watcher.timer.setInterval(100)
    inbox = alerts.open_inbox()
    assert inbox.rows == []
    other = fixed(open_context(home, actor="SI Other"))
    try:
        MatchService(other).add_photo(register["found"], faces_dir / "obama2.jpg")
    finally:
        other.db.close()
    qtbot.waitUntil(lambda: alerts.badge.count == 1, timeout=10000)
    qtbot.waitUntil(lambda: len(inbox.rows) == 1, timeout=10000)
    # district filter: either child's district matches
    inbox.district_combo.setCurrentIndex(inbox.district_combo.findData("Jashpur"))
    assert len(inbox.rows) == 1
    inbox.district_combo.setCurrentIndex(inbox.district_combo.findData("Koriya"))
    assert inbox.rows == [] and inbox.table.rowCount() == 0
    inbox.district_combo.setCurrentIndex(0)
    # date filter on the day the alert was raised (the fixed clock: 2026-11-01)
    inbox.from_edit.setText("2026-11-02")
    inbox.reload()
    assert inbox.rows == []
    inbox.from_edit.setText("2026-11-01")
    inbox.to_edit.setText("2026-11-01")
    inbox.reload()
    assert len(inbox.rows) == 1
    inbox.to_edit.setText("2026-13-01")  # not a date: marked, the list kept
    inbox.reload()
    assert len(inbox.rows) == 1 and "fde8e8" in inbox.to_edit.styleSheet()


def test_comparison_zoom_and_pan_move_both_photos(qtbot, window, register, faces_dir):
    ctx = window.ctx
    MatchService(ctx).add_photo(register["found"], faces_dir / "obama2.jpg")
    alerts = window.alerts
    alerts.watcher.poke()
    view = alerts.open_compare(alerts.open_inbox().rows[0])
    m, f = view.panes["missing"], view.panes["found"]
    view.zoom_slider.setValue(300)
    assert m.transform().m11() == pytest.approx(f.transform().m11())
    m.horizontalScrollBar().setValue(m.horizontalScrollBar().value() + 40)
    cm = m.mapToScene(m.viewport().rect().center())
    cf = f.mapToScene(f.viewport().rect().center())
    assert abs(cm.x() - cf.x()) < 2 and abs(cm.y() - cf.y()) < 2
    view.marks_box.setChecked(True)
    assert m.marks_item is not None and m.marks_item.isVisible()
    view.blend_slider.setValue(0)
    at_missing = view.blend_pane.pixmap().toImage()
    view.blend_slider.setValue(100)
    assert view.blend_pane.pixmap().toImage() != at_missing


def test_strip_and_ranked_list_switch_what_is_compared(qtbot, window, register, faces_dir):
    ctx = window.ctx
    svc = MatchService(ctx)
    svc.add_photo(register["missing"], faces_dir / "obama3.jpg", taken_on="2025-01-15")
    svc.add_photo(register["found"], faces_dir / "obama2.jpg")
    other = found_case(ctx, name_latin="Raju", languages="Hindi")
    svc.add_photo(other, faces_dir / "obama_partial_face.jpg")
    alerts = window.alerts
    alerts.watcher.poke()
    rows = alerts.open_inbox().rows
    view = alerts.open_compare(next(r for r in rows if r["found"]["case_id"] == register["found"]))
    strip = view.strips["missing"]
    assert strip.count() == 2  # every photo of the case, oldest first
    assert strip.item(0).text() == "2025-01-15"
    first = view.current["missing"]
    other_sha = next(
        strip.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(strip.count())
        if strip.item(i).data(Qt.ItemDataRole.UserRole) != first
    )
    view.show_photo("missing", other_sha)
    assert view.panes["missing"].face.sha256 == other_sha
    assert not view.aligned["missing"].pixmap().isNull()
    ranked = [lead.case_id for lead, _ in view.candidates]
    assert set(ranked) == {register["found"], other}
    view.on_candidate(ranked.index(other))
    assert view.ids["found"] == other
    assert view.panes["found"].face is not None
    assert "Raju" in view.titles["found"].text()


def test_no_alerts_for_an_officer_who_may_not_see_case_data(qtbot, window, register, faces_dir):
    """Logged out, or an administrator: no count, no inbox, no search, and the core refuses."""
    from muskan_desktop.match_alerts import AlertService
    from muskan_desktop.roles import PermissionDenied

    alerts = window.alerts
    MatchService(window.ctx).add_photo(register["found"], faces_dir / "obama2.jpg")
    alerts.watcher.poke()
    assert alerts.badge.count == 1 and alerts.badge.isEnabled()
    inbox = alerts.open_inbox()
    assert inbox is not None and inbox in window.case_windows  # closed with them on logout
    window.ctx.role = "admin"
    alerts.watcher.poke()
    assert alerts.badge.count == 0 and not alerts.badge.isEnabled()
    assert not alerts.act_inbox.isEnabled()
    assert alerts.open_inbox() is None
    assert alerts.open_search(faces_dir / "obama2.jpg") is None
    with pytest.raises(PermissionDenied):
        AlertService(window.ctx).inbox()
    window.ctx.role = "sho"
    alerts.refresh()
    assert alerts.badge.count == 1 and alerts.badge.isEnabled()
