"""Two kinds of failure: problems a person can fix get a plain message; bugs get a crash
dialog that names the log file (qutebrowser's split)."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from muskan_desktop.errors import MuskanError, ValidationError, disk_full_error

from . import labels

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, exc: BaseException, log_path: Path | None = None) -> None:
    exc = disk_full_error(exc) or exc  # the one message for a full disk, however it surfaced
    if isinstance(exc, ValidationError):
        text = "\n".join(f"{labels.field_label(e.field)}: {labels.message(e)}" for e in exc.errors)
        QMessageBox.warning(parent, QCoreApplication.translate("Errors", "Please check"), text)
        return
    if isinstance(exc, MuskanError):
        QMessageBox.warning(
            parent, QCoreApplication.translate("Errors", "Muskan Desktop"), exc.message
        )
        return
    if isinstance(exc, OSError):
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("Errors", "Muskan Desktop"),
            QCoreApplication.translate(
                "Errors", "The file could not be read or written: %1"
            ).replace("%1", exc.strerror or str(exc)),
        )
        return
    log.error("unexpected error", exc_info=exc)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("Errors", "Muskan Desktop — unexpected error"))
    where = str(log_path) if log_path else ""
    box.setText(
        QCoreApplication.translate(
            "Errors",
            "Something went wrong inside Muskan Desktop. Your saved work is safe. "
            "Please send the log file to the district IT cell:\n%1",
        ).replace("%1", where)
    )
    box.setDetailedText("".join(traceback.format_exception(exc)))
    box.exec()
