"""Login at start, the station's first (SHO) account, password change, officer accounts,
and the passphrase where the computer has no keyring.

Checking a password costs argon2id's deliberate ~0.4 s, so it runs on the task runner's
"db" pool and the dialog stays responsive; a refusal (wrong password, locked account) is
shown in the dialog itself.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from muskan_desktop.accounts import MIN_PASSWORD, AccountService, OfficerInfo
from muskan_desktop.context import Context
from muskan_desktop.errors import FieldError, MuskanError, ValidationError
from muskan_desktop.roles import Role

from .tasks import TaskRunner


def _password_edit(parent: QWidget) -> QLineEdit:
    e = QLineEdit(parent)
    e.setEchoMode(QLineEdit.EchoMode.Password)
    return e


# The core's refusals about a new account or password, in the officer's language.
_FIELD_MESSAGES: dict[tuple[str, str], Any] = {
    ("password", "too_short"): QT_TRANSLATE_NOOP(
        "AccountMessages", "The password must be at least %1 characters long."
    ),
    ("password", "same_as_name"): QT_TRANSLATE_NOOP(
        "AccountMessages", "The password must not be the officer's login name."
    ),
    ("username", "bad_value"): QT_TRANSLATE_NOOP(
        "AccountMessages",
        "Login name: use 2-40 letters a-z, digits, '.', '_' or '-' (e.g. si.verma).",
    ),
    ("username", "taken"): QT_TRANSLATE_NOOP(
        "AccountMessages", "An officer with this login name already exists."
    ),
}


def _field_message(e: FieldError) -> str:
    text = _FIELD_MESSAGES.get((e.field, e.code))
    if text is None:
        return e.message
    return QCoreApplication.translate("AccountMessages", text).replace("%1", str(MIN_PASSWORD))


def _message(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "\n".join(_field_message(e) for e in exc.errors)
    return exc.message if isinstance(exc, MuskanError) else str(exc)


class _Form(QDialog):
    """A small form with an error line and OK/Cancel; work runs on the runner's db pool."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = self.box = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.error = QLabel(self)
        self.error.setObjectName("loginError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.on_ok)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.buttons.setEnabled(True)
        # grow to fit the message; otherwise the wrapped intro is squeezed and cut off
        need = self.box.totalHeightForWidth(self.width())
        if need > self.height():
            self.resize(self.width(), need)

    def submit(self, work: Any, done: Any) -> None:
        self.error.hide()
        self.buttons.setEnabled(False)
        self.runner.run(
            lambda _c: work(),
            on_done=done,
            on_error=lambda exc: self.show_error(_message(exc)),
            pool="db",
            label="login",
            busy=self,
        )

    def on_ok(self) -> None:
        raise NotImplementedError


class LoginDialog(_Form):
    """Who is at the keyboard. On success the context acts as that officer."""

    loggedIn = Signal(object)  # OfficerInfo

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.setWindowTitle(self.tr("Log in — Muskan Desktop"))
        self.intro.setText(self.tr("Log in with your officer name and password."))
        self.username = QLineEdit(self)
        self.username.setObjectName("loginName")
        self.password = _password_edit(self)
        self.password.setObjectName("loginPassword")
        self.form.addRow(self.tr("Officer"), self.username)
        self.form.addRow(self.tr("Password"), self.password)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Log in"))

    def on_ok(self) -> None:
        name, pw = self.username.text(), self.password.text()
        self.password.clear()

        def done(info: OfficerInfo) -> None:
            self.loggedIn.emit(info)
            self.accept()

        self.submit(lambda: AccountService(self.ctx).login(name, pw), done)


class OfficerDialog(_Form):
    """A new account. On a register without accounts this is the station's first: the SHO."""

    created = Signal(object)

    def __init__(
        self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None, *, first: bool
    ) -> None:
        super().__init__(ctx, runner, parent)
        self.first = first
        self.setWindowTitle(self.tr("Officer account"))
        self.intro.setText(
            self.tr(
                "Create the station house officer's account. From now on everyone logs in, "
                "and the SHO adds the other officers."
            )
            if first
            else self.tr("A new officer account for this station.")
        )
        self.username = QLineEdit(self)
        self.username.setObjectName("officerName")
        self.full_name = QLineEdit(self)
        self.role = QComboBox(self)
        roles = [Role.SHO] if first else [Role.OPERATOR, Role.VIEWER, Role.SHO, Role.ADMIN]
        for r in roles:
            self.role.addItem(role_label(r), r.value)
        self.password = _password_edit(self)
        self.password.setObjectName("officerPassword")
        self.repeat = _password_edit(self)
        self.repeat.setObjectName("officerRepeat")
        self.form.addRow(self.tr("Login name"), self.username)
        self.form.addRow(self.tr("Full name"), self.full_name)
        self.form.addRow(self.tr("Role"), self.role)
        self.form.addRow(self.tr("Password"), self.password)
        self.form.addRow(self.tr("Password again"), self.repeat)

    def on_ok(self) -> None:
        if self.password.text() != self.repeat.text():
            self.show_error(self.tr("The two passwords differ."))
            return
        args = (self.username.text(), self.role.currentData(), self.password.text())
        full = self.full_name.text()

        def done(info: OfficerInfo) -> None:
            self.created.emit(info)
            self.accept()

        self.submit(lambda: AccountService(self.ctx).add(*args, full), done)


class PasswordDialog(_Form):
    """The logged-in officer changes their own password."""

    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(ctx, runner, parent)
        self.setWindowTitle(self.tr("Change password"))
        self.intro.setText(self.tr("Change the password of %1.").replace("%1", ctx.actor))
        self.old = _password_edit(self)
        self.old.setObjectName("oldPassword")
        self.new = _password_edit(self)
        self.new.setObjectName("newPassword")
        self.repeat = _password_edit(self)
        self.repeat.setObjectName("repeatPassword")
        self.form.addRow(self.tr("Current password"), self.old)
        self.form.addRow(self.tr("New password"), self.new)
        self.form.addRow(self.tr("New password again"), self.repeat)

    def on_ok(self) -> None:
        if self.new.text() != self.repeat.text():
            self.show_error(self.tr("The two passwords differ."))
            return
        old, new = self.old.text(), self.new.text()
        actor = self.ctx.actor
        self.submit(
            lambda: AccountService(self.ctx).change_password(actor, old, new),
            lambda _r: self.accept(),
        )


ROLE_NAMES: dict[Role, Any] = {
    Role.SHO: QT_TRANSLATE_NOOP("Role", "Station house officer"),
    Role.OPERATOR: QT_TRANSLATE_NOOP("Role", "Data-entry operator"),
    Role.VIEWER: QT_TRANSLATE_NOOP("Role", "Viewer (range/district officer)"),
    Role.ADMIN: QT_TRANSLATE_NOOP("Role", "Administrator"),
}


def role_label(role: Role | str) -> str:
    return QCoreApplication.translate("Role", ROLE_NAMES.get(Role(role), str(role)))


def ask_passphrase(parent: QWidget | None, backend: str) -> str | None:
    """Where the computer has no keyring: the register's passphrase, or None (cancelled)."""
    text, ok = QInputDialog.getText(
        parent,
        QCoreApplication.translate("LoginDialog", "Register passphrase"),
        QCoreApplication.translate(
            "LoginDialog",
            "This computer has no keyring to keep the register's key (%1). Enter the "
            "register's passphrase (a new register is protected with it; keep it safe).",
        ).replace("%1", backend),
        QLineEdit.EchoMode.Password,
    )
    return text if ok and text else None
