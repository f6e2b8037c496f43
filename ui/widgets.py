"""Small reusable widgets: Devanagari entry with suggestions, a photo strip with drag and drop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFocusEvent, QPixmap
from PySide6.QtWidgets import (
    QCompleter,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from muskan_desktop.names import script_of, to_devanagari_suggestions

PHOTO_FILTER = "Photos (*.jpg *.jpeg *.png *.webp *.bmp)"


class DevanagariEdit(QLineEdit):
    """Type Latin letters ("sunita") and pick the Devanagari spelling ("सुनीता") offered."""

    def __init__(self, parent: QWidget | None = None, source: QLineEdit | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self._model = QStringListModel(self)
        self.completer_ = QCompleter(self._model, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(self.completer_)
        # QLineEdit wires its completer only on focus-in; wire it always, so a choice made
        # while the window is not yet active (or from the keyboard right away) still lands.
        self.completer_.activated.connect(self.setText)
        self.textEdited.connect(self._on_edited)

    def suggestions(self) -> list[str]:
        return self._model.stringList()

    def _offer(self, latin: str) -> None:
        options = to_devanagari_suggestions(latin) if latin.strip() else []
        self._model.setStringList(options)
        if options:
            self.completer_.setCompletionPrefix("")
            self.completer_.complete()

    def _on_edited(self, text: str) -> None:
        if script_of(text) in ("latin", "mixed"):
            self._offer(text)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if not self.text() and self.source is not None and self.source.text().strip():
            self._offer(self.source.text())


class PhotoStrip(QWidget):
    """Photos waiting to be saved with a case: add by file dialog or by dropping files."""

    filesAdded = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.paths: list[Path] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.area = QScrollArea(self)
        self.area.setWidgetResizable(True)
        self.area.setMinimumHeight(150)
        self.inner = QWidget(self.area)
        self.row = QHBoxLayout(self.inner)
        self.row.addStretch(1)
        self.area.setWidget(self.inner)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.add_button = QPushButton(self)
        self.add_button.clicked.connect(self.on_add_clicked)
        outer.addWidget(self.area)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.add_button)
        outer.addLayout(bottom)
        self.retranslate()

    def retranslate(self) -> None:
        self.hint.setText(
            self.tr(
                "Drop photos here, or add them from a file. The newest photo "
                "first; photos at other ages help matching."
            )
        )
        self.add_button.setText(self.tr("Add &photo…"))

    def on_add_clicked(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Add photos"), "", PHOTO_FILTER)
        if files:
            self.filesAdded.emit([Path(f) for f in files])

    def add_preview(self, path: Path, pixmap: QPixmap) -> None:
        self.paths.append(path)
        label = QLabel(self.inner)
        label.setPixmap(
            pixmap.scaled(
                128,
                128,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        label.setToolTip(path.name)
        label.setObjectName("photoPreview")
        self.row.insertWidget(self.row.count() - 1, label)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            self.filesAdded.emit(files)
            event.acceptProposedAction()
