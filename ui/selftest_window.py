"""The self-test's window step: the main window built as at a normal start, shown off screen.

It proves what only a running window can: the Qt platform plugins, the bundled fonts and the
Hindi translation load, and the register opens through the window's own path (TaskRunner).
The window is built by ui.app.build_window, the same function `muskan` uses; if a start-up
dialog (officer login) is ever added in front of it, the self-test's register is fresh and in
set-up mode, so no dialog must appear here: a modal dialog would fail this step by timeout,
not hang it.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

log = logging.getLogger(__name__)

WAIT_S = 60.0  # for the register to open and the first page to show


def check_window(home: Path, cases: int) -> str:
    """Open the main window in Hindi on `home`, wait for the register page, close it."""
    # Off screen unless the caller chose a platform: the IT cell runs this over a remote
    # shell, and CI has no display. It must be set before the QApplication exists.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from muskan_desktop.selftest import StepFailed, import_all, module_names

    from .app import build_window, create_app
    from .settings import Preferences, SettingsStore

    app = create_app()
    native = native_platform_plugin()
    ui_modules = [n for n in module_names("ui") if n != __name__]
    failed = import_all(ui_modules)
    if failed:
        raise StepFailed(
            f"{len(failed)} of {len(ui_modules)} window modules do not load: {failed[0]}"
        )
    # Qt's own notes (the offscreen plugin's "does not support ..." lines) go to the log,
    # not between the verdict lines.
    previous = qInstallMessageHandler(lambda _kind, _where, text: log.info("qt: %s", text))
    SettingsStore(home).save(Preferences(language="hi"))  # the Hindi translation must load
    win = build_window(home, app=app)
    shown: list[int] = []
    loop = QEventLoop()

    def finished(n: int) -> None:
        shown.append(n)
        loop.quit()

    win.searchFinished.connect(finished)
    win.show()
    win.start()
    blocked: list[str] = []

    def timed_out() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:  # a dialog waiting for a person: close it, then fail
            blocked.append(type(dialog).__name__)
            dialog.close()
        loop.quit()

    timer = QTimer(singleShot=True, interval=int(WAIT_S * 1000))
    timer.timeout.connect(timed_out)
    t0 = time.perf_counter()
    timer.start()
    if not shown:
        loop.exec()
    timer.stop()
    waited = time.perf_counter() - t0
    try:
        if not shown:
            extra = f"; a dialog waited for a person: {blocked[0]}" if blocked else ""
            raise StepFailed(f"the register page did not show within {WAIT_S:.0f} s{extra}")
        rows = win.model.rowCount()
        if rows != cases:
            raise StepFailed(f"the window lists {rows} cases, the register has {cases}")
        title = win.windowTitle()
        if not any("\u0900" <= ch <= "\u097f" for ch in title):
            raise StepFailed("the Hindi translation did not load (the title is not in Hindi)")
        if not win.isVisible():
            raise StepFailed("the main window is not shown")
    finally:
        win.close()
        app.processEvents()
        # Work the window started in the background (counts, the alert badge) ends before
        # the register closes; a read after the close would open it again and leave files
        # in the test folder.
        win.runner.wait_all(30_000)
        app.processEvents()
        ctx = getattr(win, "ctx", None)
        if ctx is not None:
            ctx.db.close()
        win.deleteLater()
        app.processEvents()
        qInstallMessageHandler(previous)
    return (
        f"{len(ui_modules)} window modules load, {native} is there; main window shown on the "
        f"'{app.platformName()}' platform in Hindi, {rows} cases listed after {waited:.1f} s, "
        "closed"
    )


NATIVE = {"win32": "qwindows", "darwin": "qcocoa"}  # elsewhere X11's xcb


def native_platform_plugin() -> str:
    """The self-test draws off screen; an officer's PC needs this system's own platform plugin
    (qwindows.dll on Windows), or the window never opens. Returns its file name."""
    import sys

    from PySide6.QtCore import QCoreApplication

    from muskan_desktop.selftest import StepFailed

    name = NATIVE.get(sys.platform, "qxcb")
    for folder in QCoreApplication.libraryPaths():
        platforms = Path(folder) / "platforms"
        if platforms.is_dir():
            for f in platforms.iterdir():
                if f.stem.removeprefix("lib") == name:
                    return f.name
    raise StepFailed(f"the {name} platform plugin is missing: the window cannot open on this PC")
