"""Search by photo: drop a photo anywhere in the app (or pick one) to see ranked candidates.

The photo is not stored: it is read, its face found and encoded, and the register's cases
of both kinds ranked by face distance (off the GUI thread, with the stages as progress).
The list says plainly whether any candidate is close enough to alert; a lead that is not is
still shown, greyed, because an officer may know something the distance does not.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from muskan_desktop.face_align import align_face, detect_landmarks
from muskan_desktop.intake import search_by_photo
from muskan_desktop.match_review import FaceView
from muskan_desktop.match_rules import DEFAULT_MATCH, Lead, MatchSettings
from muskan_desktop.matching import PhotoSearch
from muskan_desktop.photos import PhotoStore

from . import labels
from .alert_inbox import is_hindi, thumb_image
from .compare_panes import AlignedPane
from .compare_view import reason_text
from .tasks import Cancelled, TaskControl, TaskHandle, TaskRunner

if TYPE_CHECKING:
    from muskan_desktop.context import Context

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}
STAGES = 3


def dropped_photos(event: Any) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [
        Path(u.toLocalFile())
        for u in mime.urls()
        if u.isLocalFile() and Path(u.toLocalFile()).suffix.lower() in PHOTO_SUFFIXES
    ]


class PhotoDropFilter(QObject):
    """Takes photo files dropped on a window (and its children that do not take drops
    themselves) and opens a search for each."""

    def __init__(self, open_search: Callable[[Path], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.open_search = open_search
        self._watched: set[int] = set()

    def watch(self, window: QWidget) -> None:
        key = id(window)
        if key in self._watched:
            return
        self._watched.add(key)
        window.setAcceptDrops(True)
        window.installEventFilter(self)
        window.destroyed.connect(lambda *_a: self._watched.discard(key))

    def watch_focused_windows(self, app: Any, root: QWidget) -> None:
        """Every window of `root` (the main window) that gets the focus (case views,
        reports...) takes photo drops too: one signal per focus change, not a filter on
        every event of the application. Forms with their own photo strip keep drops for
        adding photos to the case."""
        self._root = root
        app.focusChanged.connect(self._on_focus)
        root.destroyed.connect(lambda *_a: self._unhook(app))

    def _unhook(self, app: Any) -> None:
        with contextlib.suppress(RuntimeError, TypeError):  # already gone with the filter
            app.focusChanged.disconnect(self._on_focus)

    def _on_focus(self, _old: Any, new: Any) -> None:
        if new is None:
            return
        from .widgets import PhotoStrip

        window = new.window()
        w = window
        while w is not None and w is not self._root:
            w = w.parentWidget()
        if w is None or id(window) in self._watched or window.findChildren(PhotoStrip):
            return
        self.watch(window)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if dropped_photos(event):
                event.acceptProposedAction()  # type: ignore[attr-defined]
                return True
        elif kind == QEvent.Type.Drop:
            files = dropped_photos(event)
            if files:
                event.acceptProposedAction()  # type: ignore[attr-defined]
                for f in files[:3]:  # a handful at once, not a folder's worth of windows
                    self.open_search(f)
                return True
        return False


class PhotoSearchWindow(QWidget):
    """One photo's ranked candidates; `openCase(case_id)` on a double-click."""

    openCase = Signal(str)
    finished = Signal(int)

    def __init__(
        self,
        ctx: Context,
        runner: TaskRunner,
        path: Path,
        parent: QWidget | None = None,
        *,
        settings: MatchSettings = DEFAULT_MATCH,
        face: int | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("photoSearch")
        self.ctx, self.runner, self.path = ctx, runner, Path(path)
        self.settings, self.face_choice = settings, face
        self.leads: list[Lead] = []
        self.face: FaceView | None = None
        self.error: str | None = None
        self.task: TaskHandle | None = None
        self._thumbs: list[Any] = []
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.photo = AlignedPane(self, 180)
        self.photo.setObjectName("queryFace")
        top.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        side_box = QWidget(self)
        side_box.setMinimumWidth(520)
        side = QVBoxLayout(side_box)
        side.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("searchSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, STAGES)
        self.stage_label = QLabel(self)
        self.cancel_button = QPushButton(self)
        self.cancel_button.clicked.connect(self.on_cancel)
        prow = QHBoxLayout()
        prow.addWidget(self.progress, 1)
        prow.addWidget(self.cancel_button)
        for w in (self.title, self.summary, self.stage_label):
            side.addWidget(w)
        side.addLayout(prow)
        side.addStretch(1)
        top.addWidget(side_box, 1)
        outer.addLayout(top)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("searchResults")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setIconSize(QSize(56, 56))
        self.table.verticalHeader().setDefaultSectionSize(64)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        h.setStretchLastSection(True)
        for col, width in enumerate((70, 220, 120, 80)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(self.on_open)
        outer.addWidget(self.table, 1)
        QShortcut(QKeySequence("Esc"), self).activated.connect(self.close)
        self.retranslate()
        self.resize(980, 620)
        self.run()

    @property
    def hindi(self) -> bool:
        return is_hindi(self)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Search by photo — %1").replace("%1", self.path.name))
        self.title.setText(
            self.tr("Cases ranked by face for <b>%1</b> (the photo is not stored)").replace(
                "%1", _esc(self.path.name)
            )
        )
        self.cancel_button.setText(self.tr("Cancel"))
        self.table.setHorizontalHeaderLabels(
            [
                "",
                self.tr("Case"),
                self.tr("Kind"),
                self.tr("Distance"),
                self.tr("Why it ranks here"),
            ]
        )
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the search ---------------------------------------------------------------------
    def run(self) -> None:
        ctx, settings, face_choice = self.ctx, self.settings, self.face_choice
        store = PhotoStore(self.ctx.home)
        path = self.path

        def work(control: TaskControl) -> tuple[FaceView, list[tuple[Lead, Any]]]:
            def stage(done: int, total: int) -> None:
                control.check()
                control.progress(done, total)

            # the one search by photo (`muskan match` calls it too), with these settings
            found = search_by_photo(
                ctx, path, settings=settings, top=20, face=face_choice, stage=stage
            )
            return query_face_view(found), [
                (lead, thumb_image(store, lead.photo_sha256)) for lead in found.leads
            ]

        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.task = self.runner.run(
            work,
            on_done=self._done,
            on_error=self._failed,
            on_progress=self._stage,
            label="photo search",
        )

    def _stage(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        texts = [
            self.tr("Reading the photo and finding the face…"),
            self.tr("Loading the face index…"),
            self.tr("Ranking the register…"),
            "",
        ]
        self.stage_label.setText(texts[min(done, len(texts) - 1)])

    def _done(self, result: tuple[FaceView, list[tuple[Lead, Any]]]) -> None:
        self.face, rows = result
        self.leads = [lead for lead, _ in rows]
        self._thumbs = [thumb for _, thumb in rows]
        self.progress.hide()
        self.cancel_button.hide()
        self.stage_label.clear()
        if self.face.aligned is not None:
            self.photo.show_crop(self.face.aligned.image, None, False)
        self._show()
        self.finished.emit(len(self.leads))

    def _failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.stage_label.clear()
        if isinstance(exc, Cancelled):
            self.error = self.tr("Cancelled.")
        else:
            from muskan_desktop.errors import MuskanError

            if not isinstance(exc, MuskanError):
                self.runner.on_error(exc)
                return
            self.error = exc.message  # what is wrong with the photo, specifically
        self.summary.setText(f"<span style='color:#b3261e'>{_esc(self.error)}</span>")
        self.finished.emit(-1)

    def on_cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def above_alert_level(self) -> list[Lead]:
        return [x for x in self.leads if x.distance <= self.settings.alert_distance]

    def _show(self) -> None:
        if self.error:
            return
        level = f"{self.settings.alert_distance:.2f}"
        close = self.above_alert_level()
        if self.face is None:
            self.summary.clear()
        elif close:
            self.summary.setText(
                self.tr(
                    "<b>%1</b> candidates are close enough to alert (distance %2 or less). "
                    "A face match is a lead, not an identification."
                )
                .replace("%1", str(len(close)))
                .replace("%2", level)
            )
        elif not self.leads:
            self.summary.setText(
                self.tr(
                    "<b>No candidate is close enough to alert</b> (distance %1 or less), and "
                    "no case in the register has a face within distance %2."
                )
                .replace("%1", level)
                .replace("%2", f"{self.settings.list_distance:.2f}")
            )
        else:
            self.summary.setText(
                self.tr(
                    "<b>No candidate is close enough to alert</b> (distance %1 or less). "
                    "%2 weaker leads are listed below."
                )
                .replace("%1", level)
                .replace("%2", str(len(self.leads)))
            )
        self.table.setRowCount(len(self.leads))
        for i, lead in enumerate(self.leads):
            weak = lead.distance > self.settings.alert_distance
            cells = [
                "",
                f"{i + 1}. {lead.name or self.tr('(no name)')}\n"
                f"{labels.sex_label(lead.sex)}, {lead.age_years or '?'}",
                labels.kind_label(lead.kind),
                f"{lead.distance:.2f}",
                "; ".join(reason_text(r) for r in lead.reasons),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, lead.case_id)
                if col == 0 and i < len(self._thumbs) and self._thumbs[i] is not None:
                    item.setIcon(QIcon(QPixmap.fromImage(self._thumbs[i])))
                if weak:
                    item.setForeground(QColor("#8a8a8a"))
                self.table.setItem(i, col, item)

    def on_open(self, index: Any) -> None:
        case_id = index.data(Qt.ItemDataRole.UserRole)
        if case_id:
            self.openCase.emit(case_id)


def query_face_view(found: PhotoSearch) -> FaceView:
    """The searched photo's face, eye-aligned, to show beside the ranked cases (slow: off
    the GUI thread)."""
    view = FaceView(found.sha256, None, found.image, box=found.face.box)
    view.landmarks = detect_landmarks(found.image, found.face.box)
    view.aligned = align_face(found.image, view.landmarks)
    return view


def _esc(text: Any) -> str:
    import html

    return html.escape(str(text))
