"""Login in the window: the login dialog at start, lockout, roles on the window's actions,
the first run's SHO account, the audit view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton
from sqlalchemy import select, update

from muskan_desktop import places
from muskan_desktop.accounts import MAX_FAILURES, AccountService, has_accounts
from muskan_desktop.cases import CaseService
from muskan_desktop.context import open_context
from muskan_desktop.models import AuditEvent
from muskan_desktop.roles import PermissionDenied
from ui.app import build_window
from ui.tasks import TaskRunner

from .test_ui_register import fill_step, type_into

pytestmark = pytest.mark.usefixtures("modal_boxes")

PASSWORDS = {"sho": "sho-password-1", "op": "operator-pw-1", "viewer": "viewer-pw-1"}


@pytest.fixture
def register(home):
    ctx = open_context(home)
    svc = CaseService(ctx)
    with ctx.db.write() as s:
        svc.set_own_station(s, places.find_station("Ambikapur")[0])
    case = svc.create({"kind": "missing", "name_latin": "Sunita Minj", "sex": "F", "age_years": 12})
    acc = AccountService(ctx)
    acc.add("sho", "sho", PASSWORDS["sho"])
    acc.add("op", "operator", PASSWORDS["op"])
    acc.add("viewer", "viewer", PASSWORDS["viewer"])
    acc.add("guest", "viewer", "guest-password-1")
    acc.add("it.cell", "admin", "admin-password-1")
    ctx.db.close()
    return case.id


@pytest.fixture
def window(qtbot, home, register):
    win = build_window(home, runner=TaskRunner(inline=True))
    qtbot.addWidget(win)
    win.show()
    win.start()
    yield win
    for w in win.case_windows:
        w.dirty = False
    if win.ctx is not None:
        win.ctx.db.close()


def log_in(qtbot, win, name, password):
    dlg = win.officers.login_dialog
    assert dlg is not None and dlg.isVisible()
    dlg.username.clear()
    type_into(qtbot, dlg.username, name)
    type_into(qtbot, dlg.password, password)
    qtbot.mouseClick(
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    return dlg


def test_login_at_start_lockout_and_what_each_role_may_do(qtbot, window, register, modal_boxes):
    win = window
    assert win.officers.login_dialog.isVisible()
    assert win.model.rowCount() == 0  # nothing of the register before a login
    assert not win.act_export.isEnabled() and not win.act_new_missing.isEnabled()

    for i in range(MAX_FAILURES):
        dlg = log_in(qtbot, win, "guest", f"guess-{i}")
        assert dlg.isVisible() and dlg.error.isVisible()
    assert "locked" in dlg.error.text()
    assert win.model.rowCount() == 0

    log_in(qtbot, win, "op", PASSWORDS["op"])
    assert not win.officers.login_dialog.isVisible()
    qtbot.waitUntil(lambda: win.model.rowCount() == 1)
    assert win.act_new_missing.isEnabled() and win.act_import.isEnabled()
    assert not win.act_export.isEnabled()  # an operator does not export ...
    with pytest.raises(PermissionDenied):  # ... nor delete (close as a duplicate)
        CaseService(win.ctx).transition(register, "close", {"closed_reason": "duplicate_report"})
    win.open_case(register)  # and in the case view: the step is refused, nothing changes
    view = win.case_windows[-1]
    fill_step(qtbot, view, {"closed_reason": "duplicate_report"})
    view.findChild(QPushButton, "action_close").click()
    assert any("may not delete" in text for kind, _t, text in modal_boxes if kind == "warning")
    assert CaseService(win.ctx).details(register)["status"] == "missing"
    view.close()
    assert not win.officers.act_audit.isEnabled()

    win.officers.act_logout.trigger()
    assert win.model.rowCount() == 0 and not win.act_new_missing.isEnabled()
    log_in(qtbot, win, "viewer", PASSWORDS["viewer"])
    qtbot.waitUntil(lambda: win.model.rowCount() == 1)
    assert not win.act_export.isEnabled() and not win.act_new_missing.isEnabled()
    assert not win.act_import.isEnabled() and win.act_reports.isEnabled()
    win.open_case(register)
    view = win.case_windows[-1]
    edit = view.findChild(QPushButton, "action_edit")
    assert edit is not None and not edit.isEnabled()
    assert not view.tracing_add.isEnabled()
    with pytest.raises(PermissionDenied):
        CaseService(win.ctx).update(register, {"name_latin": "Sunitha Minj"})
    view.close()

    win.officers.act_logout.trigger()
    log_in(qtbot, win, "sho", PASSWORDS["sho"])
    qtbot.waitUntil(lambda: win.act_export.isEnabled())
    assert win.officers.act_audit.isEnabled()
    with win.ctx.db.read() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert "account_locked" in actions and actions.count("logout") == 2
    assert [a for a in actions if a == "login"] == ["login"] * 3
    win.close()  # closing the window ends the session
    with win.ctx.db.read() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    assert (last.action, last.actor) == ("logout", "sho")


def test_audit_view_verifies_and_names_a_tampered_row(qtbot, window):
    win = window
    log_in(qtbot, win, "sho", PASSWORDS["sho"])
    win.officers.act_audit.trigger()
    view = win.officers.audit_view
    qtbot.addWidget(view)
    assert view.table.rowCount() >= 6
    shown = {view.table.item(r, 3).text() for r in range(view.table.rowCount())}
    assert {"login", "officer_add", "case_create"} <= shown
    view.verify_button.click()
    assert "intact" in view.result.text()
    with win.ctx.db.read() as s:
        seq = s.scalar(select(AuditEvent.seq).where(AuditEvent.action == "case_create"))
    with win.ctx.db.write() as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == seq).values(actor="nobody"))
    view.verify_button.click()
    assert f"broken at row {seq} " in view.result.text()


def test_first_run_asks_for_the_station_then_the_sho_account(qtbot, home, modal_boxes):
    def answer_station():
        dlg = QApplication.activeModalWidget()
        if dlg is None or not hasattr(dlg, "station"):
            QTimer.singleShot(20, answer_station)
            return
        dlg.station.setCurrentIndex(max(0, dlg.station.findData("SURGUJA-AMBIKAPUR")))
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, answer_station)
    win = build_window(home, runner=TaskRunner(inline=True))
    qtbot.addWidget(win)
    win.show()
    win.start()
    dlg = win.officers.officer_dialog
    assert dlg is not None and dlg.isVisible() and dlg.role.count() == 1  # the SHO only
    type_into(qtbot, dlg.username, "sho.ambikapur")
    type_into(qtbot, dlg.password, "a-good-password")
    type_into(qtbot, dlg.repeat, "another-password")
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dlg.isVisible() and "differ" in dlg.error.text()
    dlg.repeat.clear()
    type_into(qtbot, dlg.repeat, "a-good-password")
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dlg.isVisible()
    assert any(kind == "information" for kind, _t, _x in modal_boxes)
    with win.ctx.db.read() as s:
        assert has_accounts(s)
    assert win.ctx.actor == "sho.ambikapur" and win.ctx.role == "sho"
    win.ctx.db.close()
    # the next start asks for a login
    again = build_window(home, runner=TaskRunner(inline=True))
    qtbot.addWidget(again)
    again.show()
    again.start()
    assert again.officers.login_dialog is not None and again.officers.login_dialog.isVisible()
    log_in(qtbot, again, "sho.ambikapur", "a-good-password")
    assert again.ctx.role == "sho"
    again.ctx.db.close()


def test_password_change_and_an_administrator_sees_no_cases(qtbot, window):
    win = window
    log_in(qtbot, win, "op", PASSWORDS["op"])
    win.officers.act_password.trigger()
    dlg = win.officers.password_dialog
    type_into(qtbot, dlg.old, "not-the-password")
    type_into(qtbot, dlg.new, "new-operator-pw")
    type_into(qtbot, dlg.repeat, "new-operator-pw")
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dlg.isVisible() and "current password is wrong" in dlg.error.text()
    dlg.old.clear()
    type_into(qtbot, dlg.old, PASSWORDS["op"])
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dlg.isVisible()
    win.officers.act_logout.trigger()
    log_in(qtbot, win, "op", PASSWORDS["op"])
    assert win.officers.login_dialog.isVisible()  # the old password no longer works
    log_in(qtbot, win, "op", "new-operator-pw")
    assert not win.officers.login_dialog.isVisible()
    win.officers.act_logout.trigger()
    log_in(qtbot, win, "it.cell", "admin-password-1")
    assert not win.officers.login_dialog.isVisible()
    assert win.model.rowCount() == 0 and not win.act_new_missing.isEnabled()
    assert win.officers.act_accounts.isEnabled() and win.officers.act_audit.isEnabled()


def test_without_a_keyring_the_window_asks_for_the_passphrase_again(
    qtbot, tmp_path, monkeypatch, modal_boxes
):
    import keyring
    from keyring.backends import null

    from muskan_desktop import keystore

    old = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    home = tmp_path / "laptop"
    try:
        monkeypatch.setenv("MUSKAN_PASSPHRASE", "the station passphrase")
        ctx = open_context(home)
        CaseService(ctx).create({"kind": "found", "sex": "F", "age_years": "5"})
        ctx.db.close()
        keystore.forget(home)
        monkeypatch.delenv("MUSKAN_PASSPHRASE")
        answers = iter(["a wrong guess", "the station passphrase"])
        asked = []

        def ask(parent, backend):
            asked.append(backend)
            return next(answers)

        monkeypatch.setattr("ui.login_dialog.ask_passphrase", ask)
        win = build_window(home, runner=TaskRunner(inline=True))
        qtbot.addWidget(win)
        win.show()
        win.start()
        assert len(asked) == 2 and "null" in asked[0]
        assert any("Wrong passphrase" in text for kind, _t, text in modal_boxes)
        assert win.ctx is not None
        qtbot.waitUntil(lambda: win.model.rowCount() == 1)
        win.ctx.db.close()
    finally:
        keyring.set_keyring(old)
        keystore.set_session_passphrase(None)
        keystore.forget(home)
