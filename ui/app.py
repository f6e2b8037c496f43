"""Start-up: the window first, then the data. dlib and ReportLab stay off this path."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from muskan_desktop.logs import log_file, setup_file_logging

log = logging.getLogger(__name__)


def open_register(home: Path):  # type: ignore[no-untyped-def]
    from muskan_desktop.context import open_context

    return open_context(home, login=False)  # the window's login dialog logs the officer in


def create_app(argv: list[str] | None = None):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Muskan Desktop")
    app.setOrganizationName("Muskan")
    return app


def build_window(home: Path, *, runner=None, app=None):  # type: ignore[no-untyped-def]
    """The main window on `home`, with fonts, language and error handling set up."""
    from .errors import show_error
    from .i18n import apply_app_font, register_fonts, set_language
    from .main_window import MainWindow
    from .settings import SettingsStore
    from .tasks import TaskRunner

    app = app or create_app()
    register_fonts()
    apply_app_font(app)
    store = SettingsStore(home)
    prefs = store.load()
    set_language(app, prefs.language)
    runner = runner or TaskRunner(parent=app)
    win = MainWindow(home, runner, store, prefs, open_register=open_register)
    runner.on_error = lambda exc: show_error(win, exc, log_file(home))
    return win


def run(home: Path) -> int:
    t0 = time.perf_counter()
    try:
        home.mkdir(parents=True, exist_ok=True)
        setup_file_logging(home)
    except OSError as exc:
        print(f"error: cannot use the data folder {home}: {exc.strerror}", file=sys.stderr)
        return 4
    app = create_app()
    win = build_window(home, app=app)

    def excepthook(kind, value, tb):  # type: ignore[no-untyped-def]
        log.error("uncaught", exc_info=(kind, value, tb))
        from .errors import show_error

        show_error(win, value, log_file(home))

    sys.excepthook = excepthook
    win.show()
    log.info("window shown after %.3f s", time.perf_counter() - t0)
    if os.environ.get("MUSKAN_STARTUP_PROBE"):
        _probe(app, win)
    win.start()
    code = app.exec()
    win.runner.wait_all()  # writes still on their way (the logout of a closed window) land
    return code


def _probe(app, win) -> None:  # type: ignore[no-untyped-def]
    """For benchmarks/ui_startup.py: say when the window and the first page are on screen."""
    from PySide6.QtCore import QTimer

    def ready(_n: int) -> None:
        win.table.viewport().repaint()  # paints the first page: its rows are read now
        print("register-ready", flush=True)
        QTimer.singleShot(0, app.quit)

    app.processEvents()
    print("window-shown", flush=True)
    win.searchFinished.connect(ready)
