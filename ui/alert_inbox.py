"""The match alert inbox: a count badge in the main window and the list of open alerts.

New alerts come from three places: photos added in this app, the command line or a batch
import on this PC, and (later) sync from other stations. So the badge does not trust
in-process events alone: an `AlertWatcher` asks the database every few seconds for a count
and a change token (two index reads, no child's record, nothing audited), and the inbox
reloads its rows only when the token moved.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from muskan_desktop import places, roles
from muskan_desktop.intake import list_alerts
from muskan_desktop.match_alerts import AlertService, AlertState
from muskan_desktop.photos import PhotoStore

from . import labels
from .tasks import TaskControl, TaskRunner

if TYPE_CHECKING:
    from muskan_desktop.context import Context

POLL_MS = 4000
THUMB = 64
ALERT_ROLE = Qt.ItemDataRole.UserRole + 1


def is_hindi(widget: QWidget) -> bool:
    """The main window's language (its preferences), for place names in both scripts."""
    w: Any = widget
    while w is not None:
        prefs = getattr(w, "prefs", None)
        if prefs is not None:
            return getattr(prefs, "language", "en") == "hi"
        w = w.parent()
    return False


def thumb_image(store: PhotoStore, sha: str | None) -> QImage | None:
    """A stored photo's thumbnail as a QImage (safe to make off the GUI thread)."""
    if not sha:
        return None
    getter = getattr(store, "thumbnail_bytes", None)  # decrypts, where photos are sealed
    if getter is not None:
        data = getter(sha)
    else:
        path = store.thumbnail(sha)
        data = path.read_bytes() if path is not None else None
    if not data:
        return None
    img = QImage.fromData(data)
    return None if img.isNull() else img


class AlertWatcher(QObject):
    """Polls the register for open alerts; `changed(count)` when anything moved."""

    changed = Signal(int)

    def __init__(
        self, ctx: Context, runner: TaskRunner, interval_ms: int = POLL_MS, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.may: Any = lambda: True  # the officer may see case data (not when logged out)
        self.state: AlertState | None = None
        self._busy = False
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.poke)
        self.timer.start()

    @property
    def count(self) -> int:
        return self.state.open_count if self.state else 0

    def poke(self) -> None:
        """Look now (after a verdict, a photo added, a sync pull)."""
        if self._busy:
            return
        if not self.may():
            if self.state is not None:
                self.state = None
                self.changed.emit(0)
            return
        self._busy = True
        svc = AlertService(self.ctx)
        self.runner.run(
            lambda _c: svc.state(), on_done=self._got, on_error=self._failed, label="alerts"
        )

    def _got(self, state: AlertState) -> None:
        self._busy = False
        if self.state is None or state.token != self.state.token:
            self.state = state
            self.changed.emit(state.open_count)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False  # a locked register: the next tick tries again
        from muskan_desktop.errors import StorageError

        if not isinstance(exc, StorageError):
            self.runner.on_error(exc)


class AlertBadge(QToolButton):
    """ "Match alerts" with the open count on a red ground when there is something to review."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBadge")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.count = 0
        self.retranslate()

    def set_count(self, n: int) -> None:
        self.count = n
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(self.tr("Match alerts: %1").replace("%1", str(self.count)))
        self.setToolTip(self.tr("Open face-match alerts waiting for an officer's verdict"))
        self.setStyleSheet(
            "QToolButton#alertBadge { background: #b3261e; color: white; font-weight: bold;"
            " border-radius: 10px; padding: 3px 10px; }"
            if self.count
            else "QToolButton#alertBadge { padding: 3px 10px; }"
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


COLUMNS = 7


class AlertInbox(QWidget):
    """Open alerts: both thumbnails, distance, sex and ages, where the found child is now."""

    compareRequested = Signal(dict)
    loaded = Signal(int)

    def __init__(
        self,
        ctx: Context,
        runner: TaskRunner,
        watcher: AlertWatcher | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("alertInbox")
        self.ctx, self.runner = ctx, runner
        self.store = PhotoStore(ctx.home)
        self.rows: list[dict[str, Any]] = []
        self._generation = 0
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.district_combo = QComboBox(self)
        self.district_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.order_combo = QComboBox(self)
        self.order_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.from_edit, self.to_edit = QLineEdit(self), QLineEdit(self)
        for w in (self.from_edit, self.to_edit):
            w.setPlaceholderText("YYYY-MM-DD")
            w.setMinimumWidth(100)
            w.setMaximumWidth(120)
            w.editingFinished.connect(self.reload)
        self.district_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.order_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.period_label = QLabel(self)
        self.compare_button = QPushButton(self)
        self.compare_button.setObjectName("compareButton")
        self.compare_button.clicked.connect(self.on_compare)
        for part in (self.district_combo, self.order_combo, self.period_label):
            bar.addWidget(part)
        bar.addWidget(self.from_edit)
        bar.addWidget(self.to_edit)
        bar.addStretch(1)
        bar.addWidget(self.compare_button)
        outer.addLayout(bar)
        self.summary = QLabel(self)
        self.summary.setObjectName("inboxSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.summary)
        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setObjectName("alertTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setIconSize(QSize(THUMB, THUMB))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(THUMB + 12)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((THUMB + 14, 230, THUMB + 14, 230, 80, 300, 100)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda _i: self.on_compare())
        outer.addWidget(self.table, 1)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table).activated.connect(self.on_compare)
        QShortcut(QKeySequence("Esc"), self).activated.connect(self.close)
        self.watcher = watcher
        if watcher is not None:
            watcher.changed.connect(lambda _n: self.reload() if self.isVisible() else None)
        self.retranslate()
        self.resize(1240, 640)

    @property
    def hindi(self) -> bool:
        return is_hindi(self)

    # -- text ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Match alerts — leads to review"))
        self._fill(
            self.district_combo,
            [(self.tr("All districts"), None)]
            + [(d.hi if self.hindi else d.en, d.en) for d in places.districts()],
        )
        self._fill(
            self.order_combo,
            [
                (self.tr("Closest first"), "distance"),
                (self.tr("Newest first"), "newest"),
                (self.tr("By district"), "district"),
            ],
        )
        self.period_label.setText(self.tr("Raised:"))
        self.from_edit.setToolTip(self.tr("Raised on or after (YYYY-MM-DD)"))
        self.to_edit.setToolTip(self.tr("Raised on or before (YYYY-MM-DD)"))
        self.compare_button.setText(self.tr("&Compare…"))
        self.table.setHorizontalHeaderLabels(
            [
                "",
                self.tr("Missing child"),
                "",
                self.tr("Found child"),
                self.tr("Distance"),
                self.tr("Where the found child is now"),
                self.tr("Raised on"),
            ]
        )
        self._show_rows()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    # -- loading ------------------------------------------------------------------------
    def _date(self, edit: QLineEdit) -> tuple[dt.date | None, bool]:
        text = edit.text().strip()
        if not text:
            edit.setStyleSheet("")
            return None, True
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            edit.setStyleSheet("background: #fde8e8;")
            return None, False
        edit.setStyleSheet("")
        return day, True

    def reload(self) -> None:
        """Read the alerts off the GUI thread (with their thumbnails) and show them."""
        (d_from, ok1), (d_to, ok2) = self._date(self.from_edit), self._date(self.to_edit)
        if not (ok1 and ok2):
            return
        self._generation += 1
        generation = self._generation
        ctx, store = self.ctx, self.store
        district, order = self.district_combo.currentData(), self.order_combo.currentData()

        def work(control: TaskControl) -> list[dict[str, Any]]:
            # the one listing (`muskan alerts list` too): one joined query, however many
            rows = list_alerts(ctx, district=district, date_from=d_from, date_to=d_to, order=order)
            for i, r in enumerate(rows):
                control.check()
                r["_thumbs"] = (
                    thumb_image(store, r["missing"]["photo_sha256"]),
                    thumb_image(store, r["found"]["photo_sha256"]),
                )
                control.progress(i + 1, len(rows))
            return rows

        def done(rows: list[dict[str, Any]]) -> None:
            if generation != self._generation:
                return
            self.rows = rows
            self._show_rows()
            self.loaded.emit(len(rows))

        self.runner.run(work, on_done=done, label="alerts")

    def _station(self, side: dict[str, Any]) -> str:
        return str((side.get("station_hi") if self.hindi else None) or side.get("station") or "")

    def _district(self, name: str | None) -> str:
        from .register_model import district_name

        return district_name(name, self.hindi) if name else ""

    def _who(self, side: dict[str, Any], missing: bool) -> str:
        name = (side.get("name_deva") if self.hindi else None) or side.get("name")
        name = name or self.tr("(no name)")
        age = side.get("age_years")
        ages = "?" if age is None else str(age)
        if missing and side.get("age_now") is not None:
            ages = (
                self.tr("%1 then, about %2 now")
                .replace("%1", ages)
                .replace("%2", f"{side['age_now']:.0f}")
            )
        elif not missing and age is not None:
            ages = self.tr("looks %1").replace("%1", ages)
        place = ", ".join(x for x in (self._station(side), self._district(side["district"])) if x)
        return f"{name}\n{labels.sex_label(side['sex'])}, {ages}\n{place}"

    def _where_now(self, f: dict[str, Any]) -> str:
        lines = []
        if f.get("cci_name"):
            lines.append(", ".join(x for x in (f["cci_name"], f.get("cci_address")) if x))
        elif f.get("found_place"):
            lines.append(f["found_place"])
        contact = f.get("cci_contact") or f.get("station_phone")
        if contact:
            lines.append(self.tr("Phone: %1").replace("%1", contact))
        if f.get("found_on"):
            lines.append(self.tr("Found on %1").replace("%1", f["found_on"]))
        return "\n".join(lines)

    def _show_rows(self) -> None:
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            thumbs = r.get("_thumbs", (None, None))
            cells = [
                "",
                self._who(r["missing"], True),
                "",
                self._who(r["found"], False),
                f"{r['distance']:.2f}",
                self._where_now(r["found"]),
                r["created_at"][:10],
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ALERT_ROLE, r["alert_id"])
                if col in (0, 2):
                    img = thumbs[0 if col == 0 else 1]
                    if img is not None:
                        item.setIcon(QIcon(QPixmap.fromImage(img)))
                if col == 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(i, col, item)
        self.table.resizeRowsToContents()
        for i in range(len(self.rows)):
            if self.table.rowHeight(i) < THUMB + 12:
                self.table.setRowHeight(i, THUMB + 12)
        if self.rows and self.table.currentRow() < 0:
            self.table.selectRow(0)
        n = len(self.rows)
        self.summary.setText(
            self.tr(
                "Open alerts: <b>%1</b>. A face match is a lead, not an identification."
            ).replace("%1", str(n))
            if n
            else self.tr("No open alerts.")
        )

    # -- actions ------------------------------------------------------------------------
    def current_alert(self) -> dict[str, Any] | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def on_compare(self) -> None:
        alert = self.current_alert()
        if alert is not None:
            self.compareRequested.emit(alert)


class AlertsController(QObject):
    """What the main window gains: the badge, the inbox, the comparison, photo search."""

    def __init__(self, win: Any) -> None:
        super().__init__(win)
        self.win = win
        self.ctx: Context = win.ctx
        self.runner: TaskRunner = win.runner
        self.watcher = AlertWatcher(self.ctx, self.runner, parent=self)
        self.watcher.may = self.allowed
        self.badge = AlertBadge(win)
        self.badge.clicked.connect(self.open_inbox)
        self.watcher.changed.connect(self._on_count)
        self.inbox: AlertInbox | None = None
        self.windows: list[QWidget] = []
        self.act_inbox = QAction(win, shortcut=QKeySequence("Ctrl+M"))
        self.act_inbox.triggered.connect(self.open_inbox)
        self.act_search = QAction(win, shortcut=QKeySequence("Ctrl+Shift+F"))
        self.act_search.triggered.connect(self.pick_photo)
        win.toolbar.addSeparator()
        win.toolbar.addAction(self.act_search)
        win.toolbar.addWidget(self.badge)
        win.menu_view.addSeparator()
        win.menu_view.addAction(self.act_inbox)
        win.menu_view.addAction(self.act_search)
        from .photo_search import PhotoDropFilter

        self.drop_filter = PhotoDropFilter(self.open_search, self)
        self.drop_filter.watch(win)
        from PySide6.QtWidgets import QApplication

        self.drop_filter.watch_focused_windows(QApplication.instance(), win)
        win.searchFinished.connect(lambda _n: self.watcher.poke())  # after saves and edits
        win.installEventFilter(self)
        self.retranslate()
        self.refresh()

    def allowed(self) -> bool:
        """Case data only for a logged-in officer whose role may view it (roles.py)."""
        return roles.can(getattr(self.ctx, "role", "sho") or "", roles.Action.VIEW)

    def refresh(self) -> None:
        """After start, a login or a logout: show or hide the alerts, and look again."""
        self.refresh_enabled()
        self.watcher.poke()

    def _on_count(self, n: int) -> None:
        self.badge.set_count(n)
        self.refresh_enabled()

    def refresh_enabled(self) -> None:
        on = self.allowed()
        for a in (self.act_inbox, self.act_search):
            a.setEnabled(on)
        self.badge.setEnabled(on)

    def _track(self, w: QWidget) -> None:
        """The main window closes these with the case windows (on logout and on quit)."""
        self.windows.append(w)
        if w not in self.win.case_windows:
            self.win.case_windows.append(w)

    def retranslate(self) -> None:
        self.act_inbox.setText(self.tr("&Match alerts…"))
        self.act_search.setText(self.tr("Search by &photo…"))
        self.act_search.setToolTip(
            self.tr("Pick a photo (or drop one anywhere in the window) to see ranked candidates")
        )

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.win and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def open_inbox(self) -> AlertInbox | None:
        if not self.allowed():
            return None
        if self.inbox is None:
            self.inbox = AlertInbox(self.ctx, self.runner, self.watcher, parent=self.win)
            self.inbox.compareRequested.connect(self.open_compare)
            self.drop_filter.watch(self.inbox)
        self._track(self.inbox)
        self.inbox.show()
        self.inbox.raise_()
        self.inbox.reload()
        return self.inbox

    def open_compare(self, alert: dict[str, Any]) -> QWidget | None:
        from .compare_view import CompareView

        if not self.allowed():
            return None
        view = CompareView(
            self.ctx,
            self.runner,
            alert["missing"]["case_id"],
            alert["found"]["case_id"],
            parent=self.win,
        )
        view.decided.connect(lambda _id: self.watcher.poke())
        view.caseChanged.connect(lambda _cid: self.win.run_search())
        view.openCase.connect(self.win.open_case)
        self.drop_filter.watch(view)
        view.show()
        self._track(view)
        return view

    def pick_photo(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from .widgets import PHOTO_FILTER

        path, _ = QFileDialog.getOpenFileName(
            self.win, self.tr("Search by photo"), "", PHOTO_FILTER
        )
        if path:
            self.open_search(Path(path))

    def open_search(self, path: Path) -> QWidget | None:
        from .photo_search import PhotoSearchWindow

        if not self.allowed():
            return None
        w = PhotoSearchWindow(self.ctx, self.runner, path, parent=self.win)
        w.openCase.connect(self.win.open_case)
        self.drop_filter.watch(w)
        w.show()
        self._track(w)
        return w


def install_alerts(win: Any) -> AlertsController:
    """Called once the register is open (the main window's only hook)."""
    existing = getattr(win, "alerts", None)
    if isinstance(existing, AlertsController):
        existing.refresh()  # logged in again
        return existing
    controller = AlertsController(win)
    win.alerts = controller
    return controller
