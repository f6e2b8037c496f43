"""The register window driven as a station officer would: keyboard, typing, clicking."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QLineEdit, QMessageBox
from sqlalchemy import select

from muskan_desktop import places
from muskan_desktop.cases import CaseService
from muskan_desktop.context import open_context
from muskan_desktop.models import Case, Photo
from ui.app import build_window
from ui.tasks import TaskRunner

from .conftest import shared_dir

pytestmark = pytest.mark.usefixtures("modal_boxes")


@pytest.fixture
def window(qtbot, home):
    ctx = open_context(home)
    with ctx.db.write() as s:
        CaseService(ctx).set_own_station(s, places.find_station("Ambikapur")[0])
    ctx.db.close()
    win = build_window(home, runner=TaskRunner(inline=True))
    qtbot.addWidget(win)
    win.show()
    win.start()
    assert win.ctx is not None
    yield win
    for w in win.case_windows:
        if hasattr(w, "dirty"):
            w.dirty = False
    win.ctx.db.close()


def type_into(qtbot, widget, text):
    """Latin letters as key presses; Devanagari as a Hindi keyboard (input method) sends it."""
    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        ev = QInputMethodEvent()
        ev.setCommitString(text)
        QApplication.sendEvent(widget, ev)


def drop_files(widget, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    ev = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(ev)


def fill_step(qtbot, view, values: dict[str, str]) -> None:
    """Answer the step dialog once it is up; if it comes back (refused), cancel it."""
    state = {"filled": None}

    def fill():
        dlg = getattr(view, "step_dialog", None)
        try:
            visible = dlg is not None and dlg.isVisible()
        except RuntimeError:  # the view is gone
            return
        if state["filled"] is not None:  # one look after OK: was it refused?
            if visible and dlg is state["filled"]:
                view.step_errors = [e.text() for e in dlg.errors.values() if e.text()]
                dlg.reject()
            return
        if not visible:
            QTimer.singleShot(20, fill)
            return
        state["filled"] = dlg
        for name, value in values.items():
            w = dlg.fields[name]
            if isinstance(w, QComboBox):
                w.setCurrentIndex(w.findData(value))
            else:
                w.clear()
                qtbot.keyClicks(w, value)
        QTimer.singleShot(20, fill)
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill)


def click_action(qtbot, view, action: str) -> None:
    from PySide6.QtWidgets import QPushButton

    button = view.findChild(QPushButton, f"action_{action}")
    assert button is not None, f"no '{action}' button"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_missing_report_from_entry_to_restored(qtbot, window, tmp_path):
    win = window
    today = dt.date.today()
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = win.case_windows[-1]
    assert form.kind == "missing" and form.isVisible()

    # The Hindi name typed in Latin letters: the Devanagari spelling is offered and taken.
    deva = form.widgets["name_deva"]
    type_into(qtbot, deva, "sunita")
    assert deva.suggestions()[0] == "सुनीता"
    popup = deva.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert deva.text() == "सुनीता"
    type_into(qtbot, deva, " मिंज")
    type_into(qtbot, form.widgets["sex"], "Girl")
    assert form.widgets["sex"].currentData() == "F"
    type_into(qtbot, form.widgets["age_years"], "12")
    type_into(qtbot, form.widgets["guardian_phone"], "9826123456")

    # A date in the future gets its message next to the field, at once.
    future = (today + dt.timedelta(days=10)).isoformat()
    type_into(qtbot, form.widgets["last_seen_on"], future)
    err = form.error_labels["last_seen_on"]
    assert err.isVisible() and "future" in err.text()
    form.widgets["last_seen_on"].clear()
    type_into(qtbot, form.widgets["last_seen_on"], (today - dt.timedelta(days=1)).isoformat())
    assert not err.isVisible()

    photo = tmp_path / "sunita.jpg"
    shutil.copy(shared_dir() / "data" / "faces" / "obama.jpg", photo)
    drop_files(form.photos, [photo])
    assert form.photos.paths == [photo]

    qtbot.mouseClick(
        form.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert not form.isVisible()
    with win.ctx.db.read() as s:
        case = s.scalars(select(Case)).one()
        assert case.name_deva == "सुनीता मिंज" and case.name_latin is None
        assert case.guardian_phone == "+919826123456"
        assert s.scalar(select(Photo.case_id)) == case.id

    # Found in the register by the Hindi name typed in Latin letters, with a spelling variant.
    qtbot.keyClick(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert win.name_edit.hasFocus()
    qtbot.keyClicks(win.name_edit, "Suneeta")
    qtbot.waitUntil(lambda: win.model.rowCount() == 1, timeout=3000)
    assert win.model.case_id(0) == case.id
    win.table.setFocus()
    win.table.selectRow(0)
    qtbot.keyClick(win.table, Qt.Key.Key_Return)
    view = win.case_windows[-1]
    assert view.case_id == case.id
    assert "सुनीता मिंज" in view.header.text()

    yesterday = (today - dt.timedelta(days=1)).isoformat()
    # A date before the report is refused in the dialog, next to the field.
    fill_step(
        qtbot,
        view,
        {"located_state": "Delhi", "located_place": "Anand Vihar", "located_on": yesterday},
    )
    click_action(qtbot, view, "trace")
    assert view.data["status"] == "missing"
    assert any("before the case was reported" in e for e in view.step_errors)
    fill_step(
        qtbot,
        view,
        {"located_state": "Delhi", "located_place": "Anand Vihar", "located_on": today.isoformat()},
    )
    click_action(qtbot, view, "trace")
    assert view.data["status"] == "traced"
    for action, values in (
        ("recover", {"recovered_on": today.isoformat()}),
        ("restore", {"restored_on": today.isoformat(), "restored_to": "Ramesh Minj"}),
    ):
        fill_step(qtbot, view, values)
        click_action(qtbot, view, action)
    assert view.data["status"] == "restored"
    assert view.timeline.count() == 4  # reported + three steps
    with win.ctx.db.read() as s:
        assert s.get(Case, case.id).status == "restored"


def test_switch_to_hindi_changes_labels_and_is_remembered(qtbot, window, home):
    win = window
    english = win.act_new_missing.text()
    header = win.model.headerData(0, Qt.Orientation.Horizontal)
    win.act_hindi.trigger()
    assert win.act_new_missing.text() != english
    assert any("\u0900" <= ch <= "\u097f" for ch in win.act_new_missing.text())
    assert win.model.headerData(0, Qt.Orientation.Horizontal) != header
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() != "Cancel"  # Qt's own, too
    assert '"language": "hi"' in (home / "settings.json").read_text()
    win.act_english.trigger()
    assert win.act_new_missing.text() == english


def test_closing_with_unsaved_changes_asks_first(qtbot, window, monkeypatch):
    win = window
    asked = []

    def answer(choice):
        def fake(*args, **kwargs):
            asked.append(args[1] if len(args) > 1 else "")
            return choice

        return fake

    qtbot.keyClick(
        win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    form = win.case_windows[-1]
    assert form.kind == "found"
    type_into(qtbot, form.widgets["found_place"], "Ambikapur railway station")
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    form.close()
    assert asked and form.isVisible()
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Discard))
    form.close()
    assert not form.isVisible()
    with win.ctx.db.read() as s:
        assert s.scalars(select(Case)).all() == []


def test_filters_and_counts_on_a_demo_register(qtbot, window):
    from muskan_desktop.demo import DemoGenerator

    DemoGenerator(window.ctx, seed=3).generate(800)
    win = window
    win.run_search()
    assert win.model.rowCount() == 800
    assert "Missing" in win.counts_label.text()
    win.status_combo.setCurrentIndex(win.status_combo.findData("traced"))
    win.district_combo.setCurrentIndex(win.district_combo.findData("Jashpur"))
    win.run_search()
    n = win.model.rowCount()
    with win.ctx.db.read() as s:
        expected = len(
            s.scalars(
                select(Case.id).where(Case.status == "traced", Case.district == "Jashpur")
            ).all()
        )
    assert n == expected > 0
    assert all(win.model.data(win.model.index(r, 5)) == "Traced" for r in range(n))
    win.on_clear_filters()
    assert win.model.rowCount() == 800
    assert isinstance(win.name_edit, QLineEdit)
    assert QApplication.instance() is not None
