"""Import and export from the menu: a file dialog, progress in the status bar, a way to
cancel, and a per-row error report the officer can read and save."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)

from .errors import show_error

if TYPE_CHECKING:
    from .main_window import MainWindow


class ImportReportDialog(QDialog):
    def __init__(self, parent: Any, report: Any) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(self.tr("Import finished"))
        v = QVBoxLayout(self)
        v.addWidget(
            QLabel(
                self.tr("%1 cases imported; %2 rows had mistakes and were not imported.")
                .replace("%1", str(report.imported))
                .replace("%2", str(report.rejected)),
                self,
            )
        )
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText("\n".join(report.lines()))
        v.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        self.save_button = buttons.addButton(
            self.tr("Save error report…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button.setEnabled(bool(report.errors))
        self.save_button.clicked.connect(self.on_save)
        buttons.rejected.connect(self.reject)
        v.addWidget(buttons)
        self.resize(640, 420)

    def on_save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save error report"), "import-errors.csv", "CSV (*.csv)"
        )
        if name:
            try:
                self.report.save(Path(name))
            except Exception as exc:
                show_error(self, exc)


def import_csv_dialog(win: MainWindow, path: Path | None = None) -> None:
    from muskan_desktop.transfer import import_csv

    if path is None:
        name, _ = QFileDialog.getOpenFileName(
            win,
            QCoreApplication.translate("MainWindow", "Import a register (CSV)"),
            "",
            "CSV (*.csv)",
        )
        if not name:
            return
        path = Path(name)
    ctx = win.ctx
    assert ctx is not None

    def work(control: Any) -> Any:
        return import_csv(ctx, path, progress=control.progress, cancel=lambda: control.cancelled)

    def done(report: Any) -> None:
        win.hide_progress()
        win.run_search()
        win.last_import_dialog = ImportReportDialog(win, report)
        win.last_import_dialog.show()

    def failed(exc: BaseException) -> None:
        win.hide_progress()
        show_error(win, exc)

    handle = win.runner.run(
        work, on_done=done, on_error=failed, on_progress=win.on_progress, pool="db", label="import"
    )
    win.show_progress(handle, QCoreApplication.translate("MainWindow", "Importing"))


def export_dialog(win: MainWindow, path: Path | None = None) -> None:
    from muskan_desktop.transfer import export_cases

    if path is None:
        name, _ = QFileDialog.getSaveFileName(
            win,
            QCoreApplication.translate("MainWindow", "Export the cases shown"),
            "cases.xlsx",
            "Excel (*.xlsx);;CSV (*.csv)",
        )
        if not name:
            return
        path = Path(name)
    ctx = win.ctx
    assert ctx is not None
    f = win.current_filter()

    def work(control: Any) -> int:
        return export_cases(
            ctx, path, f, progress=control.progress, cancel=lambda: control.cancelled
        )

    def done(n: int) -> None:
        win.hide_progress()
        win.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "%1 cases exported to %2")
            .replace("%1", str(n))
            .replace("%2", str(path)),
            8000,
        )

    def failed(exc: BaseException) -> None:
        win.hide_progress()
        show_error(win, exc)

    handle = win.runner.run(
        work, on_done=done, on_error=failed, on_progress=win.on_progress, label="export"
    )
    win.show_progress(handle, QCoreApplication.translate("MainWindow", "Exporting"))
