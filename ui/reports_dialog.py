"""Reports from the window: the review meeting's PDF (period, district, language), made off
the GUI thread with progress and cancel, a preview of its first page, then save and open."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QWidget,
)

from muskan_desktop import places

from .errors import show_error

if TYPE_CHECKING:
    from .main_window import MainWindow
    from .tasks import TaskHandle


def first_page_image(pdf: Path, width: int = 620) -> QImage:
    """Page 1 rendered with PDFium (pypdfium2), for the preview."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[0]
        scale = width / page.get_width()
        pil = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()
    data = pil.tobytes("raw", "RGB")
    return QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888).copy()


class ReportsDialog(QDialog):
    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.win = win
        self.pdf: Path | None = None
        self.handle: TaskHandle | None = None
        self._tmp = Path(tempfile.mkdtemp(prefix="muskan-report-"))
        self.setWindowTitle(self.tr("Review meeting report"))
        outer = QHBoxLayout(self)
        left = QWidget(self)
        form = QFormLayout(left)
        today = win.ctx.today() if win.ctx else dt.date.today()
        first = today.replace(day=1)
        last_month_end = first - dt.timedelta(days=1)
        self.date_from = QDateEdit(QDate(last_month_end.year, last_month_end.month, 1), left)
        self.date_to = QDateEdit(
            QDate(last_month_end.year, last_month_end.month, last_month_end.day), left
        )
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.district = QComboBox(left)
        hindi = win.prefs.language == "hi"
        self.district.addItem(self.tr("All districts of the range"), None)
        for d in places.districts():
            self.district.addItem(d.hi if hindi else d.en, d.en)
        self.language = QComboBox(left)
        self.language.addItem("हिन्दी", "hi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(0 if hindi else 1)
        form.addRow(self.tr("&From"), self.date_from)
        form.addRow(self.tr("&To"), self.date_to)
        form.addRow(self.tr("&District"), self.district)
        form.addRow(self.tr("&Language"), self.language)
        self.generate_button = QPushButton(self.tr("&Make report"), left)
        self.generate_button.clicked.connect(self.on_generate)
        self.progress = QProgressBar(left)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"), left)
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.on_cancel)
        self.save_button = QPushButton(self.tr("&Save as…"), left)
        self.save_button.clicked.connect(self.on_save)
        self.open_button = QPushButton(self.tr("&Open"), left)
        self.open_button.clicked.connect(self.on_open)
        for b in (self.save_button, self.open_button):
            b.setEnabled(False)
        self.status = QLabel(left)
        self.status.setWordWrap(True)
        for w in (
            self.generate_button,
            self.progress,
            self.cancel_button,
            self.save_button,
            self.open_button,
            self.status,
        ):
            form.addRow(w)
        outer.addWidget(left)
        self.preview = QLabel(self)
        self.preview.setObjectName("reportPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.preview.setMinimumSize(640, 500)
        scroll = QScrollArea(self)
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll, 1)
        self.resize(1020, 760)

    def on_generate(self) -> None:
        from muskan_desktop.reports import review_report

        ctx = self.win.ctx
        assert ctx is not None
        start = self.date_from.date().toPython()
        end = self.date_to.date().toPython()
        district, lang = self.district.currentData(), self.language.currentData()
        out = self._tmp / f"review-{start}-{end}-{lang}.pdf"

        def work(control: Any) -> tuple[Path, QImage]:
            pdf = review_report(
                ctx,
                start,
                end,
                district,
                lang,
                out,  # type: ignore[arg-type]
                progress=control.progress,
                cancel=lambda: control.cancelled,
            )
            return pdf, first_page_image(pdf)

        def done(result: tuple[Path, QImage]) -> None:
            self._finish()
            self.pdf, image = result
            self.preview.setPixmap(QPixmap.fromImage(image))
            self.status.setText(self.tr("Ready. Save it, or open it to print."))
            for b in (self.save_button, self.open_button):
                b.setEnabled(True)

        def failed(exc: BaseException) -> None:
            self._finish()
            show_error(self, exc)

        def progress(done_: int, total: int) -> None:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done_)

        self.generate_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.status.setText(self.tr("Counting the figures and laying out the pages…"))
        self.handle = self.win.runner.run(
            work, on_done=done, on_error=failed, on_progress=progress, label="report"
        )

    def _finish(self) -> None:
        self.generate_button.setEnabled(True)
        self.progress.hide()
        self.cancel_button.hide()

    def on_cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()

    def save_to(self, target: Path) -> None:
        assert self.pdf is not None
        shutil.copyfile(self.pdf, target)
        self.status.setText(self.tr("Saved to %1").replace("%1", str(target)))

    def on_save(self) -> None:
        if self.pdf is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the report"), self.pdf.name, "PDF (*.pdf)"
        )
        if name:
            try:
                self.save_to(Path(name))
            except OSError as exc:
                show_error(self, exc)

    def on_open(self) -> None:
        if self.pdf is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.pdf)))

    def done(self, result: int) -> None:  # noqa: A003 - Qt's name
        shutil.rmtree(self._tmp, ignore_errors=True)
        super().done(result)
