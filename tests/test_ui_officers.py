"""Officer accounts in the window: the SHO sees every officer with role and status, and
unlocks, resets a password, disables and enables accounts; each change is audited."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from muskan_desktop import places
from muskan_desktop.accounts import MAX_FAILURES, AccountService, LoginError
from muskan_desktop.cases import CaseService
from muskan_desktop.context import open_context
from muskan_desktop.models import AuditEvent, Officer
from ui.app import build_window
from ui.officers_dialog import OfficersDialog, ResetPasswordDialog
from ui.tasks import TaskRunner

from .test_ui_register import type_into

pytestmark = pytest.mark.usefixtures("modal_boxes")

PASSWORDS = {
    "sho": "sho-password-1",
    "op": "operator-pw-1",
    "viewer": "viewer-pw-1",
    "it.cell": "admin-password-1",
}
ROLES = {"sho": "sho", "op": "operator", "viewer": "viewer", "it.cell": "admin"}


@pytest.fixture
def register(home):
    ctx = open_context(home)
    with ctx.db.write() as s:
        CaseService(ctx).set_own_station(s, places.find_station("Ambikapur")[0])
    acc = AccountService(ctx)
    for name, role in ROLES.items():
        acc.add(name, role, PASSWORDS[name], "SI Rekha Minj" if name == "op" else None)
    ctx.db.close()


def make_window(qtbot, home, runner):
    win = build_window(home, runner=runner)
    qtbot.addWidget(win)
    win.show()
    win.start()
    return win


@pytest.fixture
def window(qtbot, home, register):
    win = make_window(qtbot, home, TaskRunner(inline=True))
    yield win
    if win.ctx is not None:
        win.ctx.db.close()


def log_in(qtbot, win, name, password):
    dlg = win.officers.login_dialog
    assert dlg is not None and dlg.isVisible()
    dlg.username.clear()
    dlg.password.clear()
    type_into(qtbot, dlg.username, name)
    type_into(qtbot, dlg.password, password)
    qtbot.mouseClick(
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    return dlg


def can_log_in(win, name, password) -> bool:
    """A login check on a copy of the window's context (the window's officer stays)."""
    try:
        AccountService(dataclasses.replace(win.ctx)).login(name, password)
    except LoginError:
        return False
    return True


def open_accounts(qtbot, win) -> OfficersDialog:
    assert win.officers.act_accounts.isEnabled()
    win.officers.act_accounts.trigger()
    dlg = win.officers.accounts_view
    assert dlg is not None and dlg.isVisible()
    qtbot.waitUntil(lambda: dlg.table.rowCount() == len(ROLES))
    return dlg


def row_of(dlg, name) -> int:
    names = [dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())]
    return names.index(name)


def cells(dlg, name) -> list[str]:
    r = row_of(dlg, name)
    return [dlg.table.item(r, c).text() for c in range(dlg.table.columnCount())]


def choose(qtbot, dlg, name) -> None:
    r = row_of(dlg, name)
    rect = dlg.table.visualRect(dlg.table.model().index(r, 0))
    qtbot.mouseClick(dlg.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dlg.selected_name() == name


def audit_rows(win, action):
    with win.ctx.db.read() as s:
        ids = {o.id: o.username for o in s.scalars(select(Officer))}
        rows = s.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
        return [(e.actor, ids.get(e.entity_id or ""), dict(e.details or {})) for e in rows]


def test_sho_sees_officers_and_unlocks_an_operator_locked_by_wrong_passwords(qtbot, window):
    win = window
    for i in range(MAX_FAILURES):
        dlg = log_in(qtbot, win, "op", f"guess-{i}")
    assert dlg.isVisible() and "locked" in dlg.error.text()
    log_in(qtbot, win, "op", PASSWORDS["op"])
    assert dlg.isVisible()  # the right password does not open a locked account

    log_in(qtbot, win, "sho", PASSWORDS["sho"])
    assert not dlg.isVisible()
    accounts = open_accounts(qtbot, win)
    assert accounts.windowTitle() == "Officer accounts"
    op = cells(accounts, "op")
    assert op[1:3] == ["SI Rekha Minj", "Data-entry operator"]
    assert op[3].startswith("Locked until ") and len(op[3]) == len("Locked until HH:MM")
    assert cells(accounts, "sho")[2:4] == ["Station house officer", "Active"]
    assert cells(accounts, "it.cell")[2] == "Administrator"
    assert cells(accounts, "viewer")[2] == "Viewer (range/district officer)"
    assert not accounts.unlock_button.isEnabled()  # nothing chosen yet
    real = win.ctx.clock  # the lock runs out by itself after 15 minutes: the list follows
    win.ctx.clock = lambda: real() + dt.timedelta(minutes=16)
    accounts.tick.timeout.emit()
    assert cells(accounts, "op")[3] == "Active"
    win.ctx.clock = real
    accounts.tick.timeout.emit()
    assert cells(accounts, "op")[3].startswith("Locked until ")

    choose(qtbot, accounts, "viewer")
    assert not accounts.unlock_button.isEnabled()  # not locked
    choose(qtbot, accounts, "op")
    assert accounts.unlock_button.isEnabled()
    qtbot.mouseClick(accounts.unlock_button, Qt.MouseButton.LeftButton)
    assert cells(accounts, "op")[3] == "Active"
    assert accounts.selected_name() == "op"  # the chosen officer stays chosen
    assert "op is unlocked" in accounts.message.text()
    assert not accounts.unlock_button.isEnabled()
    assert audit_rows(win, "officer_unlock") == [("sho", "op", {})]

    win.officers.act_logout.trigger()
    assert win.officers.accounts_view is None and not accounts.isVisible()
    log_in(qtbot, win, "op", PASSWORDS["op"])
    assert not win.officers.login_dialog.isVisible()
    assert win.ctx.actor == "op"


def test_reset_password_the_new_one_works_and_the_old_one_not(qtbot, window):
    win = window
    log_in(qtbot, win, "sho", PASSWORDS["sho"])
    accounts = open_accounts(qtbot, win)
    choose(qtbot, accounts, "viewer")
    qtbot.mouseClick(accounts.reset_button, Qt.MouseButton.LeftButton)
    reset = accounts.child
    assert isinstance(reset, ResetPasswordDialog) and reset.isVisible()
    assert "viewer" in reset.intro.text()
    type_into(qtbot, reset.new, "fresh-viewer-pw")
    type_into(qtbot, reset.repeat, "fresh-viewer-px")
    reset.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert reset.isVisible() and "differ" in reset.error.text()
    reset.new.clear()
    reset.repeat.clear()
    type_into(qtbot, reset.new, "short")
    type_into(qtbot, reset.repeat, "short")
    reset.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert reset.isVisible() and "at least 8" in reset.error.text()  # the service's refusal
    assert audit_rows(win, "password_change") == []
    reset.new.clear()
    reset.repeat.clear()
    type_into(qtbot, reset.new, "fresh-viewer-pw")
    type_into(qtbot, reset.repeat, "fresh-viewer-pw")
    reset.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not reset.isVisible()
    assert "password of viewer is changed" in accounts.message.text()
    assert accounts.selected_name() == "viewer"
    assert audit_rows(win, "password_change") == [("sho", "viewer", {"own": False})]

    assert not can_log_in(win, "viewer", PASSWORDS["viewer"])
    assert can_log_in(win, "viewer", "fresh-viewer-pw")
    # through the window too
    win.officers.act_logout.trigger()
    log_in(qtbot, win, "viewer", "fresh-viewer-pw")
    assert not win.officers.login_dialog.isVisible() and win.ctx.actor == "viewer"


def test_disable_and_enable_and_the_sho_cannot_disable_themself(qtbot, window):
    win = window
    log_in(qtbot, win, "sho", PASSWORDS["sho"])
    accounts = open_accounts(qtbot, win)
    choose(qtbot, accounts, "op")
    assert accounts.disable_button.isEnabled() and not accounts.enable_button.isEnabled()
    qtbot.mouseClick(accounts.disable_button, Qt.MouseButton.LeftButton)
    assert cells(accounts, "op")[3] == "Disabled"
    assert accounts.selected_name() == "op"
    assert accounts.enable_button.isEnabled() and not accounts.disable_button.isEnabled()
    assert not can_log_in(win, "op", PASSWORDS["op"])

    qtbot.mouseClick(accounts.enable_button, Qt.MouseButton.LeftButton)
    assert cells(accounts, "op")[3] == "Active" and accounts.selected_name() == "op"
    assert can_log_in(win, "op", PASSWORDS["op"])
    assert audit_rows(win, "officer_disable") == [("sho", "op", {})]
    assert audit_rows(win, "officer_enable") == [("sho", "op", {})]

    choose(qtbot, accounts, "sho")
    qtbot.mouseClick(accounts.disable_button, Qt.MouseButton.LeftButton)
    assert accounts.message.isVisible()
    assert accounts.message.text() == "You cannot disable your own account."
    assert cells(accounts, "sho")[3] == "Active" and accounts.selected_name() == "sho"
    assert accounts.disable_button.isEnabled()  # the window is usable again
    assert audit_rows(win, "officer_disable") == [("sho", "op", {})]  # nothing more
    with win.ctx.db.read() as s:
        assert s.scalar(select(Officer.active).where(Officer.username == "sho")) is True


def test_add_an_officer_from_the_accounts_window_and_keys_do_nothing(qtbot, window):
    win = window
    log_in(qtbot, win, "sho", PASSWORDS["sho"])
    accounts = open_accounts(qtbot, win)
    choose(qtbot, accounts, "op")
    # Enter on a row must not open a reset, Delete must not remove anyone
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Delete):
        qtbot.keyClick(accounts.table, key)
    assert accounts.child is None and accounts.isVisible()
    assert accounts.table.rowCount() == len(ROLES) and accounts.selected_name() == "op"

    qtbot.mouseClick(accounts.add_button, Qt.MouseButton.LeftButton)
    add = accounts.child
    assert add is not None and add.isVisible() and add.role.count() == 4
    type_into(qtbot, add.username, "hc.tirkey")
    type_into(qtbot, add.full_name, "HC Anil Tirkey")
    add.role.setCurrentIndex(add.role.findData("operator"))
    type_into(qtbot, add.password, "tirkey-password")
    type_into(qtbot, add.repeat, "tirkey-password")
    add.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not add.isVisible()
    assert accounts.table.rowCount() == len(ROLES) + 1
    assert cells(accounts, "hc.tirkey")[1:5] == [
        "HC Anil Tirkey",
        "Data-entry operator",
        "Active",
        "0",
    ]
    assert accounts.selected_name() == "hc.tirkey"
    assert ("sho", "hc.tirkey", {"role": "operator"}) in audit_rows(win, "officer_add")
    assert can_log_in(win, "hc.tirkey", "tirkey-password")


@pytest.mark.parametrize("name", ["op", "viewer"])
def test_operator_and_viewer_do_not_get_the_accounts_window(qtbot, window, name):
    win = window
    assert not win.officers.act_accounts.isEnabled()  # before any login
    log_in(qtbot, win, name, PASSWORDS[name])
    assert not win.officers.login_dialog.isVisible()
    assert not win.officers.act_accounts.isEnabled()
    win.officers.act_accounts.trigger()  # a disabled action does nothing
    assert win.officers.accounts_view is None


def test_the_administrator_manages_accounts_off_the_gui_thread(qtbot, home, register):
    """With the real thread pools: the list and a reset arrive back on the GUI thread."""
    runner = TaskRunner()
    win = make_window(qtbot, home, runner)
    try:
        qtbot.waitUntil(lambda: win.officers.login_dialog is not None, timeout=10000)
        log_in(qtbot, win, "it.cell", PASSWORDS["it.cell"])
        qtbot.waitUntil(lambda: not win.officers.login_dialog.isVisible(), timeout=10000)
        qtbot.waitUntil(lambda: win.officers.act_accounts.isEnabled())
        accounts = open_accounts(qtbot, win)
        choose(qtbot, accounts, "op")
        qtbot.mouseClick(accounts.reset_button, Qt.MouseButton.LeftButton)
        reset = accounts.child
        type_into(qtbot, reset.new, "it-set-password")
        type_into(qtbot, reset.repeat, "it-set-password")
        reset.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert not reset.buttons.isEnabled()  # hashing runs off the GUI thread
        qtbot.waitUntil(lambda: not reset.isVisible(), timeout=10000)
        qtbot.waitUntil(lambda: "changed" in accounts.message.text(), timeout=10000)
        qtbot.waitUntil(lambda: accounts.add_button.isEnabled(), timeout=10000)
        assert accounts.selected_name() == "op"
        assert audit_rows(win, "password_change") == [("it.cell", "op", {"own": False})]
        assert can_log_in(win, "op", "it-set-password")
    finally:
        runner.wait_all()
        if win.ctx is not None:
            win.ctx.db.close()


def test_in_hindi_the_window_and_its_refusals_are_in_hindi(qtbot, window):
    win = window
    log_in(qtbot, win, "sho", PASSWORDS["sho"])
    win.switch_language("hi")
    try:
        accounts = open_accounts(qtbot, win)
        assert accounts.windowTitle() == "अधिकारी खाते"
        assert accounts.table.horizontalHeaderItem(2).text() == "भूमिका"
        assert cells(accounts, "sho")[2:4] == ["थाना प्रभारी", "सक्रिय"]
        assert accounts.unlock_button.text() == "अनलॉक करें"
        choose(qtbot, accounts, "sho")
        qtbot.mouseClick(accounts.disable_button, Qt.MouseButton.LeftButton)
        assert accounts.message.text() == "आप अपना ही खाता निष्क्रिय नहीं कर सकते।"
        choose(qtbot, accounts, "op")
        qtbot.mouseClick(accounts.reset_button, Qt.MouseButton.LeftButton)
        reset = accounts.child
        type_into(qtbot, reset.new, "short")
        type_into(qtbot, reset.repeat, "short")
        reset.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert reset.error.text() == "पासवर्ड कम से कम 8 अक्षरों का होना चाहिए।"
        reset.reject()
        win.switch_language("en")  # the open window follows the language
        qtbot.waitUntil(lambda: cells(accounts, "sho")[2] == "Station house officer")
        assert accounts.unlock_button.text() == "Unlock"
    finally:
        win.switch_language("en")
