"""The window's side of officer login: the passphrase before opening, the login dialog, the
first SHO account on first run, the Officer menu, and which actions a role may use.

Kept out of main_window.py: the window only calls `before_open`, `register_opened`,
`allows` and `retranslate`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMessageBox

from muskan_desktop import keystore
from muskan_desktop.errors import MuskanError
from muskan_desktop.roles import Action, can

# The accounts, the register context and the dialogs (SQLAlchemy, argon2) load when first
# needed, after the window is on screen: importing them here cost the start-up 0.4 s.
if TYPE_CHECKING:
    from muskan_desktop.context import Context

    from .login_dialog import LoginDialog, OfficerDialog
    from .officers_dialog import OfficersDialog


def has_accounts(s: Any) -> bool:
    from muskan_desktop.accounts import has_accounts as has

    return has(s)


def _accounts_exist(db: Any) -> bool:
    """(Off the GUI thread.) Has the register any officer accounts (or is it in set-up)?"""
    with db.read() as s:
        return has_accounts(s)


def _logout(ctx: Context) -> None:
    from muskan_desktop.accounts import AccountService

    AccountService(ctx).logout()


class OfficerMenu(QObject):
    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.win: QMainWindow = win
        self.ctx: Context | None = None
        self._ready: Callable[[], None] | None = None
        self.login_dialog: LoginDialog | None = None
        self.officer_dialog: OfficerDialog | None = None
        self.accounts_view: OfficersDialog | None = None
        self.logging_out = False
        self.accounts_exist: bool | None = None  # as last read
        self.act_audit = QAction(win)
        self.act_audit.triggered.connect(self.on_audit)
        self.act_accounts = QAction(win)
        self.act_accounts.triggered.connect(self.on_accounts)
        self.act_password = QAction(win)
        self.act_password.triggered.connect(self.on_password)
        self.act_logout = QAction(win)
        self.act_logout.triggered.connect(self.on_logout)
        self.menu = win.menuBar().addMenu("")
        for a in (self.act_password, self.act_accounts, self.act_audit, None, self.act_logout):
            if a is None:
                self.menu.addSeparator()
            else:
                self.menu.addAction(a)
        # what each main-window action needs
        self.needs = {
            "act_new_missing": Action.CREATE,
            "act_new_found": Action.CREATE,
            "act_import": Action.CREATE,
            "act_export": Action.EXPORT,
            "act_reports": Action.REPORT,
        }
        self.update()

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Officer"))
        self.act_audit.setText(self.tr("&Audit trail…"))
        self.act_accounts.setText(self.tr("&Officer accounts…"))
        self.act_password.setText(self.tr("&Change my password…"))
        self.act_logout.setText(self.tr("&Log out"))

    # -- opening ----------------------------------------------------------------------------
    def before_open(self, home: Any) -> bool:
        """On the GUI thread, before the register opens off it: a passphrase if needed."""
        if not keystore.needs_passphrase(home):
            return True
        from .login_dialog import ask_passphrase

        _ok, backend = keystore.keyring_status()
        passphrase = ask_passphrase(self.win, backend)
        if passphrase is None:
            return False
        keystore.set_session_passphrase(passphrase)
        return True

    def open_failed(self, exc: BaseException) -> None:
        """The register did not open: a wrong passphrase is asked for again; anything
        else goes to the window's error handling."""
        if isinstance(exc, keystore.KeyUnavailable) and keystore.needs_passphrase_again():
            QMessageBox.warning(self.win, self.tr("Register passphrase"), exc.message)
            keystore.set_session_passphrase(None)
            self.win.start()  # type: ignore[attr-defined]
            return
        self.win.runner.on_error(exc)  # type: ignore[attr-defined]

    def register_opened(self, ctx: Context, ready: Callable[[], None]) -> None:
        """Log in (if the register has accounts), then `ready()` fills the window."""
        self.ctx, self._ready = ctx, ready
        if ctx.role:  # set-up mode: no accounts yet
            ready()
            self.update()
            return
        self.ask_login()

    def ask_login(self) -> None:
        from .login_dialog import LoginDialog

        assert self.ctx is not None
        dlg = LoginDialog(self.ctx, self.win.runner, self.win)  # type: ignore[attr-defined]
        dlg.loggedIn.connect(self._logged_in)
        dlg.rejected.connect(self.win.close)
        self.login_dialog = dlg
        dlg.open()

    def _logged_in(self, info: Any) -> None:
        from .login_dialog import role_label

        self.win.statusBar().showMessage(
            self.tr("Logged in as %1 (%2).")
            .replace("%1", info.username)
            .replace("%2", role_label(info.role)),
            6000,
        )
        if self._ready is not None and can(info.role, Action.VIEW):
            self._ready()
        elif self._ready is not None:  # an administrator: accounts and the audit trail only
            self.win.statusBar().showMessage(
                self.tr("An administrator manages accounts; case data is not shown.")
            )
        self.update()

    def first_run(self) -> None:
        """Right after the station is chosen on first run: the SHO's account (unless one was
        made meanwhile; read on a pool, never on the GUI thread)."""
        assert self.ctx is not None
        db = self.ctx.db
        self.win.runner.run(  # type: ignore[attr-defined]
            lambda _c: _accounts_exist(db),
            on_done=lambda exist: None if exist else self.on_add_officer(first=True),
            label="accounts",
        )

    # -- permissions ------------------------------------------------------------------------
    def allows(self, action_name: str) -> bool:
        need = self.needs.get(action_name)
        return need is None or (self.ctx is not None and can(self.ctx.role, need))

    def update(self) -> None:
        """The menu for the acting officer's role. Whether the register has accounts at all
        (set-up mode has none: nobody to log out) is read on a pool, then applied."""
        role = self.ctx.role if self.ctx is not None else ""
        self.act_audit.setEnabled(can(role, Action.AUDIT))
        self.act_accounts.setEnabled(can(role, Action.ACCOUNTS))
        self._show_login(role)
        if self.ctx is None or not role:
            return
        db = self.ctx.db
        self.win.runner.run(  # type: ignore[attr-defined]
            lambda _c: _accounts_exist(db), on_done=self._got_accounts, label="accounts"
        )

    def _got_accounts(self, exist: bool) -> None:
        self.accounts_exist = exist
        self._show_login(self.ctx.role if self.ctx is not None else "")

    def _show_login(self, role: str) -> None:
        logged_in = bool(role) and self.ctx is not None and bool(self.accounts_exist)
        self.act_password.setEnabled(logged_in and not self.logging_out)
        self.act_logout.setEnabled(logged_in and not self.logging_out)

    # -- actions ----------------------------------------------------------------------------
    def on_audit(self) -> None:
        from .audit_view import AuditView

        if self.ctx is None:
            return
        self.audit_view = AuditView(self.ctx, self.win.runner, self.win)  # type: ignore[attr-defined]
        self.audit_view.show()

    def on_accounts(self) -> None:
        """The SHO's or administrator's list of officer accounts (one window at a time)."""
        from .officers_dialog import OfficersDialog

        if self.ctx is None:
            return
        if self.accounts_view is not None and self.accounts_view.isVisible():
            self.accounts_view.raise_()
            self.accounts_view.activateWindow()
            return
        self.accounts_view = OfficersDialog(self.ctx, self.win.runner, self.win)  # type: ignore[attr-defined]
        self.accounts_view.show()

    def on_add_officer(self, *, first: bool) -> None:
        """On first run, the station's SHO account (later officers: on_accounts)."""
        from .login_dialog import OfficerDialog

        if self.ctx is None:
            return
        dlg = OfficerDialog(self.ctx, self.win.runner, self.win, first=first)  # type: ignore[attr-defined]
        dlg.created.connect(lambda _i: self._officer_created(first))
        self.officer_dialog = dlg
        dlg.open()

    def _officer_created(self, first: bool) -> None:
        self.update()
        if first:
            QMessageBox.information(
                self.win,
                self.tr("Officer account"),
                self.tr(
                    "The SHO's account is ready. From the next start everyone logs in; add "
                    "the other officers from the Officer menu."
                ),
            )

    def on_password(self) -> None:
        from .login_dialog import PasswordDialog

        if self.ctx is not None:
            self.password_dialog = PasswordDialog(self.ctx, self.win.runner, self.win)  # type: ignore[attr-defined]
            self.password_dialog.open()

    def closing(self) -> None:
        """The window closes: a logged-in officer's session ends (audited as a logout).
        Written on the db pool like every write; the program waits for that pool before it
        exits (app.run), not the window."""
        if self.ctx is None or not self.ctx.role:
            return
        ctx = self.ctx

        def work(_c: Any) -> None:
            if _accounts_exist(ctx.db):  # set-up mode: nobody logged in, nothing to record
                _logout(ctx)

        def ended(_r: Any = None) -> None:
            ctx.role = ""

        def failed(exc: BaseException) -> None:
            ended()
            if not isinstance(exc, MuskanError):  # a locked register must not keep it open
                self.win.runner.on_error(exc)  # type: ignore[attr-defined]

        self.win.runner.run(  # type: ignore[attr-defined]
            work, on_done=ended, on_error=failed, pool="db", label="logout"
        )

    def on_logout(self) -> None:
        if self.ctx is None or self.logging_out:
            return
        for w in list(self.win.case_windows):  # type: ignore[attr-defined]
            if w.isVisible() and not w.close():
                return
        if self.accounts_view is not None:  # the next officer may not manage accounts
            self.accounts_view.close()
            self.accounts_view = None
        ctx = self.ctx
        self.win.on_logged_out()  # type: ignore[attr-defined]  # nothing stays on screen
        self.act_logout.setEnabled(False)
        self.logging_out = True

        def ended(_r: Any = None) -> None:
            # the officer acts until the logout is recorded under their name (the write
            # waits its turn on the db pool, after their own changes still on the way)
            self.logging_out = False
            ctx.role = ""
            ctx.actor = ""
            self.update()
            self.ask_login()

        def failed(exc: BaseException) -> None:
            ended()
            self.win.runner.on_error(exc)  # type: ignore[attr-defined]

        self.win.runner.run(  # type: ignore[attr-defined]
            lambda _c: _logout(ctx),
            on_done=ended,
            on_error=failed,
            pool="db",
            label="logout",
            busy=self.win,
        )
