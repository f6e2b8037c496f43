"""Officer accounts in the window, for the SHO or the district IT admin: every officer of the
register with role and status, and the day-to-day fixes (add, reset a forgotten password,
unlock after wrong passwords, disable and enable) without the command line.

Every call goes through AccountService (permissions and the audit trail live there) on the
task runner's "db" pool: a password is hashed with argon2id (~0.4 s). A refusal is shown in
the window; the list is read again after each action and the chosen officer stays chosen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from muskan_desktop.accounts import AccountService, OfficerInfo
from muskan_desktop.context import Context

from .login_dialog import OfficerDialog, PasswordDialog, _Form, _message, _password_edit, role_label
from .tasks import TaskRunner

# The service's refusals that an officer meets here, in the officer's language.
_KNOWN = frozenset({QT_TRANSLATE_NOOP("AccountMessages", "You cannot disable your own account.")})


def _refusal(exc: BaseException) -> str:
    text = _message(exc)
    return QCoreApplication.translate("AccountMessages", text) if text in _KNOWN else text


def _local(at: dt.datetime, fmt: str) -> str:
    """The register keeps UTC; the officer reads the laptop's local time."""
    return at.replace(tzinfo=dt.UTC).astimezone().strftime(fmt)


class ResetPasswordDialog(_Form):
    """The SHO or an administrator sets another officer's password; the old one is not
    needed (the officer forgot it). The new one is typed twice."""

    def __init__(
        self,
        ctx: Context,
        runner: TaskRunner,
        officer: OfficerInfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, runner, parent)
        self.officer = officer
        self.setMinimumWidth(440)
        self.setWindowTitle(self.tr("Reset password"))
        self.intro.setText(
            self.tr(
                "A new password for %1 (%2). The old one is not needed. Give the new one "
                "to the officer in person."
            )
            .replace("%1", officer.username)
            .replace("%2", role_label(officer.role))
        )
        self.new = _password_edit(self)
        self.new.setObjectName("resetPassword")
        self.repeat = _password_edit(self)
        self.repeat.setObjectName("resetRepeat")
        self.form.addRow(self.tr("New password"), self.new)
        self.form.addRow(self.tr("New password again"), self.repeat)

    def on_ok(self) -> None:
        if self.new.text() != self.repeat.text():
            self.show_error(self.tr("The two passwords differ."))
            return
        name, new = self.officer.username, self.new.text()
        self.submit(
            lambda: AccountService(self.ctx).change_password(name, None, new),
            lambda _r: self.accept(),
        )


COLUMNS = 6


class OfficersDialog(QDialog):
    """The register's officers and what the SHO/admin may do to each account."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("officersDialog")
        self.ctx, self.runner = ctx, runner
        self.officers: list[OfficerInfo] = []
        self.busy = False
        self.child: QDialog | None = None  # the add / reset dialog, while open
        self.resize(900, 460)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setObjectName("officersTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self.update_buttons)
        layout.addWidget(self.table)
        self.message = QLabel(self)
        self.message.setObjectName("officersMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        bar = QHBoxLayout()
        self.add_button = self._button("officerAdd", self.on_add, bar)
        self.reset_button = self._button("officerReset", self.on_reset, bar)
        self.unlock_button = self._button("officerUnlock", self.on_unlock, bar)
        self.disable_button = self._button("officerDisable", lambda: self.on_active(False), bar)
        self.enable_button = self._button("officerEnable", lambda: self.on_active(True), bar)
        bar.addStretch(1)
        self.close_button = self._button("officersClose", self.close, bar)
        layout.addLayout(bar)
        # a lock runs out by itself: the status column follows the clock
        self.tick = QTimer(self)
        self.tick.setInterval(30_000)
        self.tick.timeout.connect(lambda: self._fill())
        self.tick.start()
        self.retranslate()
        self.reload()

    def _button(self, name: str, slot: Callable[[], Any], bar: QHBoxLayout) -> QPushButton:
        b = QPushButton(self)
        b.setObjectName(name)
        # no default button: Enter on a row must not reset a password or close the window
        b.setAutoDefault(False)
        b.setDefault(False)
        b.clicked.connect(slot)
        bar.addWidget(b)
        return b

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Officer accounts"))
        self.intro.setText(
            self.tr(
                "The officers who may log in on this register. Choose an officer, then an "
                "action; every change is recorded in the audit trail."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Login name"),
                self.tr("Full name"),
                self.tr("Role"),
                self.tr("Status"),
                self.tr("Failed tries"),
                self.tr("Last login"),
            ]
        )
        self.add_button.setText(self.tr("Add an officer…"))
        self.reset_button.setText(self.tr("Reset password…"))
        self.unlock_button.setText(self.tr("Unlock"))
        self.disable_button.setText(self.tr("Disable"))
        self.enable_button.setText(self.tr("Enable"))
        self.close_button.setText(self.tr("Close"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the list ---------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        keep = select or self.selected_name()
        self.busy = True
        self.update_buttons()
        self.runner.run(
            lambda _c: AccountService(self.ctx).list(),
            on_done=lambda rows: self._loaded(rows, keep),
            on_error=self._failed,
            pool="db",
            label="officers",
            busy=self,
        )

    def _loaded(self, rows: list[OfficerInfo], keep: str | None) -> None:
        self.busy = False
        self.officers = rows
        self._fill(keep)

    def _fill(self, keep: str | None = None) -> None:
        keep = keep or self.selected_name()
        now = self.ctx.clock()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.officers))
        for i, o in enumerate(self.officers):
            cells = (
                o.username,
                o.full_name or "",
                role_label(o.role),
                self.status_text(o, now),
                str(o.failed_logins),
                _local(o.last_login_at, "%Y-%m-%d %H:%M") if o.last_login_at else "—",
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if o.username == self.ctx.actor:
                    font = item.font()
                    font.setBold(True)  # the officer at the keyboard
                    item.setFont(font)
                self.table.setItem(i, col, item)
        self.table.clearSelection()
        for i, o in enumerate(self.officers):
            if o.username == keep:
                self.table.selectRow(i)
                self.table.setCurrentCell(i, 0)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.update_buttons()

    def status_text(self, o: OfficerInfo, now: dt.datetime) -> str:
        if not o.active:
            return self.tr("Disabled")
        if o.locked_until is not None and o.locked_until > now:
            return self.tr("Locked until %1").replace("%1", _local(o.locked_until, "%H:%M"))
        return self.tr("Active")

    def selected(self) -> OfficerInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.officers):
            return None
        return self.officers[rows[0].row()]

    def selected_name(self) -> str | None:
        o = self.selected()
        return o.username if o else None

    def update_buttons(self) -> None:
        o = None if self.busy else self.selected()
        self.add_button.setEnabled(not self.busy)
        self.reset_button.setEnabled(o is not None)
        self.unlock_button.setEnabled(
            o is not None
            and (
                o.failed_logins > 0
                or (o.locked_until is not None and o.locked_until > self.ctx.clock())
            )
        )
        self.disable_button.setEnabled(o is not None and o.active)
        self.enable_button.setEnabled(o is not None and not o.active)

    # -- feedback ---------------------------------------------------------------------------
    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b3261e" if error else "color: #1e7b34")
        self.message.setText(text)
        self.message.show()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.say(_refusal(exc), error=True)
        self.update_buttons()

    def _act(self, work: Callable[[], Any], done_text: str, name: str) -> None:
        """Run one account change off the GUI thread; then say so (or show the refusal) and
        read the list again."""
        self.busy = True
        self.message.hide()
        self.update_buttons()

        def done(_r: Any) -> None:
            self.busy = False
            self.say(done_text.replace("%1", name))
            self.reload(name)

        def refused(exc: BaseException) -> None:
            self._failed(exc)
            self.reload(name)  # the refusal may come from a change made elsewhere (sync)

        self.runner.run(
            lambda _c: work(),
            on_done=done,
            on_error=refused,
            pool="db",
            label="officers",
            busy=self,
        )

    # -- actions ----------------------------------------------------------------------------
    def on_add(self) -> None:
        dlg = OfficerDialog(self.ctx, self.runner, self, first=False)
        dlg.created.connect(self._added)
        self.child = dlg
        dlg.open()

    def _added(self, info: OfficerInfo) -> None:
        self.say(self.tr("Officer %1 added.").replace("%1", info.username))
        self.reload(info.username)

    def on_reset(self) -> None:
        o = self.selected()
        if o is None:
            return
        dlg: QDialog
        if o.username == self.ctx.actor:  # one's own: the usual change, with the old one
            dlg = PasswordDialog(self.ctx, self.runner, self)
        else:
            dlg = ResetPasswordDialog(self.ctx, self.runner, o, self)
        name = o.username
        dlg.accepted.connect(lambda: self._reset(name))
        self.child = dlg
        dlg.open()

    def _reset(self, name: str) -> None:
        self.say(self.tr("The password of %1 is changed.").replace("%1", name))
        self.reload(name)

    def on_unlock(self) -> None:
        o = self.selected()
        if o is not None:
            name = o.username
            self._act(
                lambda: AccountService(self.ctx).unlock(name),
                self.tr("%1 is unlocked and can log in again."),
                name,
            )

    def on_active(self, active: bool) -> None:
        o = self.selected()
        if o is None:
            return
        name = o.username
        self._act(
            lambda: AccountService(self.ctx).set_active(name, active),
            self.tr("%1 can log in again.") if active else self.tr("%1 can no longer log in."),
            name,
        )
