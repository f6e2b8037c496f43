"""More of the window as an officer meets it: first run, import from the menu, the duplicate
warning, the station filter, sorting, and the language kept across a restart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox
from sqlalchemy import func, select

from muskan_desktop import places
from muskan_desktop.cases import CaseService
from muskan_desktop.context import open_context
from muskan_desktop.models import AuditEvent, Case, Meta, Station
from ui.app import build_window
from ui.tasks import TaskRunner

from .test_ui_register import type_into

pytestmark = pytest.mark.usefixtures("modal_boxes")


def start(qtbot, home):
    win = build_window(home, runner=TaskRunner(inline=True))
    qtbot.addWidget(win)
    win.show()
    win.start()
    return win


@pytest.fixture
def window(qtbot, home):
    ctx = open_context(home)
    svc = CaseService(ctx)
    with ctx.db.write() as s:
        svc.set_own_station(s, places.find_station("Ambikapur")[0])
    svc.create(
        {"kind": "missing", "name_latin": "Sunita Minj", "sex": "F", "age_years": 12},
        district="Surguja",
    )
    svc.create(
        {"kind": "missing", "name_latin": "Amit Ekka", "sex": "M", "age_years": 9},
        station="Kunkuri",
    )
    ctx.db.close()
    win = start(qtbot, home)
    yield win
    for w in win.case_windows:
        w.dirty = False
    win.ctx.db.close()


def test_first_run_asks_for_the_station_from_lists(qtbot, home):
    picked = {}

    def answer():
        dlg = QApplication.activeModalWidget()
        if dlg is None or not hasattr(dlg, "station"):  # not up yet: look again shortly
            QTimer.singleShot(20, answer)
            return
        dlg.district.setCurrentIndex(dlg.district.findData("Jashpur"))
        dlg.subdivision.setCurrentIndex(dlg.subdivision.findData("Jashpur"))
        dlg.station.setCurrentIndex(dlg.station.findData("JASHPUR-KUNKURI"))
        picked["stations"] = [dlg.station.itemText(i) for i in range(dlg.station.count())]
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, answer)
    win = start(qtbot, home)
    assert "Kunkuri" in picked["stations"]
    with win.ctx.db.read() as s:
        sid = s.scalar(select(Meta.value).where(Meta.key == "station_id"))
        assert s.get(Station, sid).name_en == "Kunkuri"
    win.ctx.db.close()


def test_import_from_the_menu_reports_bad_rows_and_saves_the_report(
    qtbot, window, tmp_path, monkeypatch
):
    from ui.transfer_dialogs import import_csv_dialog

    src = tmp_path / "register.csv"
    src.write_text(
        "kind,name_latin,sex,age_years,last_seen_on\n"
        "missing,Pooja Toppo,F,11,2026-10-01\n"
        "missing,Rekha Minj,F,19,2026-10-02\n"
        "found,,M,7,\n",
        encoding="utf-8",
    )
    import_csv_dialog(window, src)
    dlg = window.last_import_dialog
    assert dlg.isVisible()
    assert "row 3, age_years" in dlg.text.toPlainText()
    out = tmp_path / "errors.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert "19" in out.read_text(encoding="utf-8-sig")
    assert window.model.rowCount() == 4  # two before, two imported
    assert window.progress.isHidden()


def test_duplicate_warning_before_saving(qtbot, window, modal_boxes, monkeypatch):
    win = window
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = win.case_windows[-1]
    type_into(qtbot, form.widgets["name_latin"], "Suneeta Minj")
    type_into(qtbot, form.widgets["sex"], "Girl")
    type_into(qtbot, form.widgets["age_years"], "13")
    qtbot.mouseClick(
        form.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert [k for k, *_ in modal_boxes] == ["question"]
    assert "already in the register" in modal_boxes[0][2]
    assert form.isVisible()
    with win.ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 2
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Save)
    )
    qtbot.mouseClick(
        form.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert not form.isVisible()
    with win.ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 3


def test_station_filter_follows_the_district(qtbot, window):
    win = window
    win.district_combo.setCurrentIndex(win.district_combo.findData("Jashpur"))
    names = [win.station_combo.itemText(i) for i in range(win.station_combo.count())]
    assert "Kunkuri" in names and "Ambikapur" not in names
    win.station_combo.setCurrentIndex(win.station_combo.findData("JASHPUR-KUNKURI"))
    assert win.model.rowCount() == 1
    assert win.model.data(win.model.index(0, 1)) == "Amit Ekka"


def test_sort_by_clicking_a_column(qtbot, window):
    win = window
    header = win.table.horizontalHeader()
    header.setSortIndicator(1, Qt.SortOrder.AscendingOrder)  # Name, A to Z
    assert [win.model.data(win.model.index(r, 1)) for r in range(2)] == ["Amit Ekka", "Sunita Minj"]
    header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)
    assert win.model.data(win.model.index(0, 1)) == "Sunita Minj"


def test_language_is_remembered_across_a_restart(qtbot, window, home):
    window.act_hindi.trigger()
    window.close()
    again = start(qtbot, home)
    assert again.prefs.language == "hi"
    assert any("\u0900" <= ch <= "\u097f" for ch in again.act_new_missing.text())
    again.switch_language("en")
    again.ctx.db.close()


def test_every_case_view_is_audited(qtbot, window):
    win = window
    win.table.selectRow(0)
    qtbot.keyClick(win.table, Qt.Key.Key_Return)
    with win.ctx.db.read() as s:
        assert s.scalar(select(func.count()).where(AuditEvent.action == "case_view")) == 1


def test_a_locked_register_gets_a_plain_message_and_keeps_the_form(
    qtbot, window, modal_boxes, monkeypatch
):
    import muskan_desktop.db as dbmod
    from muskan_desktop.db import connect_raw

    win = window
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 300)
    win.ctx.db.engine.dispose()  # new connections pick up the short wait
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = win.case_windows[-1]
    type_into(qtbot, form.widgets["name_latin"], "Kavita Lakra")
    type_into(qtbot, form.widgets["sex"], "Girl")
    type_into(qtbot, form.widgets["age_years"], "8")
    other = connect_raw(win.ctx.db.path, win.ctx.db.keys, isolation_level=None)
    other.execute("PRAGMA busy_timeout=0")
    other.execute("BEGIN EXCLUSIVE")
    try:
        monkeypatch.setattr(
            QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Save)
        )
        qtbot.mouseClick(
            form.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    warnings = [text for kind, _title, text in modal_boxes if kind == "warning"]
    assert warnings and "locked" in warnings[0]
    assert form.isVisible() and form.widgets["name_latin"].text() == "Kavita Lakra"


def test_a_bug_shows_the_crash_dialog_naming_the_log(qtbot, window, monkeypatch, home):
    shown = {}

    def fake_exec(box):
        shown["text"] = box.text()
        shown["details"] = box.detailedText()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    window.runner.on_error(RuntimeError("an unexpected state"))
    assert str(home / "logs" / "muskan.log") in shown["text"]
    assert "RuntimeError: an unexpected state" in shown["details"]


def test_review_report_from_the_window_with_preview(qtbot, window, tmp_path):
    import datetime as dt

    from pypdf import PdfReader

    win = window
    qtbot.keyClick(win, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dlg = win.reports_dialog
    today = dt.date.today()
    dlg.date_from.setDate(today.replace(day=1))
    dlg.date_to.setDate(today)
    dlg.language.setCurrentIndex(dlg.language.findData("hi"))
    qtbot.mouseClick(dlg.generate_button, Qt.MouseButton.LeftButton)
    assert dlg.pdf is not None and dlg.pdf.exists()
    assert not dlg.preview.pixmap().isNull() and dlg.preview.pixmap().width() > 500
    target = tmp_path / "review.pdf"
    dlg.save_to(target)
    text = PdfReader(str(target)).pages[0].extract_text()
    assert "गुमशुदा" in text
    with win.ctx.db.read() as s:
        assert s.scalar(select(func.count()).where(AuditEvent.action == "report_review")) == 1
    dlg.close()


def test_notice_from_the_case_view(qtbot, window, tmp_path):
    from pypdf import PdfReader

    win = window
    win.table.selectRow(0)
    qtbot.keyClick(win.table, Qt.Key.Key_Return)
    view = win.case_windows[-1]
    out = tmp_path / "notice.pdf"
    view.on_notice(str(out))  # the phone question is answered No (Cancel) by modal_boxes
    assert len(PdfReader(str(out)).pages) == 1
