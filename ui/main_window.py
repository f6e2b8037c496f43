"""The main window: the case register with its filter bar, counts at a glance, and actions."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from muskan_desktop import places
from muskan_desktop.domain import AGE_BANDS
from muskan_desktop.filters import CaseFilter

from . import labels
from .register_model import ID_ROLE, CaseTableModel
from .settings import Preferences, SettingsStore
from .tasks import TaskControl, TaskHandle, TaskRunner

if TYPE_CHECKING:
    from muskan_desktop.context import Context

log = logging.getLogger(__name__)
STATUS_ORDER = ["missing", "traced", "recovered", "restored", "registered", "identified", "closed"]


class MainWindow(QMainWindow):
    registerOpened = Signal()
    searchFinished = Signal(int)

    def __init__(
        self,
        home: Path,
        runner: TaskRunner,
        store: SettingsStore,
        prefs: Preferences,
        open_register: Any = None,
    ) -> None:
        super().__init__()
        self.home, self.runner, self.store, self.prefs = home, runner, store, prefs
        self.ctx: Context | None = None
        self._extras_requested = self._extras_loading = self._extras_loaded = False
        self._open_register = open_register
        self._generation = 0
        self._sort = ("reported_on", True)
        self._search_task: TaskHandle | None = None
        self.case_windows: list[QWidget] = []
        self.model = CaseTableModel(parent=self)
        self.model.sortRequested.connect(self.on_sort_requested)
        self._debounce = QTimer(self, singleShot=True, interval=150)  # typing pauses
        self._debounce.timeout.connect(self.run_search)
        self._build()
        self.retranslate()
        geometry = store.geometry()
        if geometry:
            self.restoreGeometry(bytes.fromhex(geometry))
        else:
            self.resize(1200, 760)

    # -- construction -----------------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        bar = QHBoxLayout()
        self.name_edit = QLineEdit(central)
        self.name_edit.setClearButtonEnabled(True)
        self.name_edit.setObjectName("nameFilter")
        self.name_edit.setMinimumWidth(230)
        self.name_edit.textChanged.connect(self.on_filter_changed)
        self.kind_combo = QComboBox(central)
        self.status_combo = QComboBox(central)
        self.district_combo = QComboBox(central)
        self.sex_combo = QComboBox(central)
        self.age_combo = QComboBox(central)
        self.station_combo = QComboBox(central)
        self.filter_combos = (
            self.kind_combo,
            self.status_combo,
            self.district_combo,
            self.station_combo,
            self.sex_combo,
            self.age_combo,
        )
        self.from_edit = QLineEdit(central)
        self.to_edit = QLineEdit(central)
        for w in (self.from_edit, self.to_edit):
            w.setPlaceholderText("YYYY-MM-DD")
            w.setMinimumWidth(100)  # room for YYYY-MM-DD
            w.setMaximumWidth(120)
            w.textChanged.connect(self.on_filter_changed)
        self.district_combo.currentIndexChanged.connect(lambda _i: self._fill_stations())
        for combo in self.filter_combos:
            combo.currentIndexChanged.connect(lambda _i: self.run_search())  # a pick: at once
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.clear_button = QPushButton(central)
        self.clear_button.clicked.connect(self.on_clear_filters)
        self.name_label = QLabel(central)
        self.name_label.setBuddy(self.name_edit)
        # two rows, so the window fits a 1366-pixel laptop screen in Hindi too
        bar.addWidget(self.name_label)
        bar.addWidget(self.name_edit, 3)
        for w in self.filter_combos[:4]:
            bar.addWidget(w, 1)
        layout.addLayout(bar)
        bar2 = QHBoxLayout()
        for w in self.filter_combos[4:]:
            bar2.addWidget(w, 1)
        self.period_label = QLabel(central)
        bar2.addWidget(self.period_label)
        bar2.addWidget(self.from_edit)
        bar2.addWidget(self.to_edit)
        bar2.addStretch(3)
        bar2.addWidget(self.clear_button)
        layout.addLayout(bar2)

        self.counts_label = QLabel(central)
        self.counts_label.setObjectName("statusCounts")
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.counts_label)

        self.table = QTableView(central)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(8, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((110, 190, 190, 60, 50, 100, 190, 130, 110)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(lambda idx: self.open_case(idx.data(ID_ROLE)))
        self.table.installEventFilter(self)
        layout.addWidget(self.table, 1)
        self.setCentralWidget(central)

        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(200)
        self.progress.hide()
        self.cancel_button = QPushButton(self)
        self.cancel_button.hide()
        self.total_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.total_label)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)

        self.act_new_missing = QAction(self, shortcut=QKeySequence("Ctrl+N"))
        self.act_new_missing.triggered.connect(lambda: self.new_case("missing"))
        self.act_new_found = QAction(self, shortcut=QKeySequence("Ctrl+Shift+N"))
        self.act_new_found.triggered.connect(lambda: self.new_case("found"))
        self.act_search = QAction(self, shortcut=QKeySequence.StandardKey.Find)
        self.act_search.triggered.connect(self.focus_search)
        self.act_import = QAction(self, shortcut=QKeySequence("Ctrl+I"))
        self.act_import.triggered.connect(self.on_import)
        self.act_export = QAction(self, shortcut=QKeySequence("Ctrl+E"))
        self.act_export.triggered.connect(self.on_export)
        self.act_reports = QAction(self, shortcut=QKeySequence("Ctrl+R"))
        self.act_reports.triggered.connect(self.on_reports)
        self.act_quit = QAction(self, shortcut=QKeySequence.StandardKey.Quit)
        self.act_quit.triggered.connect(self.close)
        self.act_english = QAction(self, checkable=True)
        self.act_hindi = QAction(self, checkable=True)
        self.act_english.triggered.connect(lambda: self.switch_language("en"))
        self.act_hindi.triggered.connect(lambda: self.switch_language("hi"))
        self.act_about = QAction(self)
        self.act_about.triggered.connect(self.on_about)
        for a in (
            self.act_new_missing,
            self.act_new_found,
            self.act_search,
            self.act_import,
            self.act_export,
            self.act_quit,
        ):
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.menu_file = self.menuBar().addMenu("")
        for a in (
            self.act_new_missing,
            self.act_new_found,
            None,
            self.act_import,
            self.act_export,
            self.act_reports,
            None,
            self.act_quit,
        ):
            if a is None:
                self.menu_file.addSeparator()
            else:
                self.menu_file.addAction(a)
        self.menu_view = self.menuBar().addMenu("")
        self.menu_view.addAction(self.act_search)
        self.menu_lang = self.menu_view.addMenu("")
        self.menu_lang.addAction(self.act_english)
        self.menu_lang.addAction(self.act_hindi)
        from .officer_menu import OfficerMenu

        self.officers = OfficerMenu(self)  # login, roles, the Officer menu
        self.menu_help = self.menuBar().addMenu("")
        self.menu_help.addAction(self.act_about)
        self.toolbar = self.addToolBar("main")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addAction(self.act_new_missing)
        self.toolbar.addAction(self.act_new_found)
        self.toolbar.addAction(self.act_import)
        self.toolbar.addAction(self.act_export)
        self.toolbar.addAction(self.act_reports)
        self._set_enabled(False)

    def _fill_combo(self, combo: QComboBox, items: list[tuple[str, Any]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        idx = combo.findData(current)
        combo.setCurrentIndex(max(idx, 0))
        combo.blockSignals(False)

    def _fill_stations(self) -> None:
        """The station pick-list follows the district picked (all stations when none)."""
        hindi = self.prefs.language == "hi"
        district = self.district_combo.currentData()
        self._fill_combo(
            self.station_combo,
            [(self.tr("All stations"), None)]
            + [
                (st.name.hi if hindi else st.name.en, st.code)
                for st in places.stations()
                if district is None or st.district.en == district
            ],
        )

    def retranslate(self) -> None:
        hindi = self.prefs.language == "hi"
        self.model.hindi = hindi
        self.setWindowTitle(self.tr("Muskan Desktop — register of missing and found children"))
        self.name_label.setText(self.tr("&Search name:"))
        self.name_edit.setPlaceholderText(self.tr("Name in Hindi or English (Ctrl+F)"))
        self._fill_combo(
            self.kind_combo,
            [
                (self.tr("Missing and found"), None),
                (labels.kind_label("missing"), "missing"),
                (labels.kind_label("found"), "found"),
            ],
        )
        self._fill_combo(
            self.status_combo,
            [(self.tr("Any status"), None)] + [(labels.status_label(s), s) for s in STATUS_ORDER],
        )
        self._fill_combo(
            self.district_combo,
            [(self.tr("All districts"), None)]
            + [(d.hi if hindi else d.en, d.en) for d in places.districts()],
        )
        self._fill_stations()
        self._fill_combo(
            self.sex_combo,
            [(self.tr("Boys and girls"), None)]
            + [(labels.sex_label(s), s) for s in ("F", "M", "X")],
        )
        self._fill_combo(
            self.age_combo,
            [(self.tr("Any age"), None)]
            + [(self.tr("%1 years").replace("%1", band), band) for band in AGE_BANDS],
        )
        self.period_label.setText(self.tr("Reported:"))
        self.from_edit.setToolTip(self.tr("Reported on or after (YYYY-MM-DD)"))
        self.to_edit.setToolTip(self.tr("Reported on or before (YYYY-MM-DD)"))
        self.clear_button.setText(self.tr("Clear"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.act_new_missing.setText(self.tr("New &missing child report"))
        self.act_new_found.setText(self.tr("New &found child record"))
        self.act_search.setText(self.tr("&Search"))
        self.act_import.setText(self.tr("&Import CSV…"))
        self.act_export.setText(self.tr("&Export…"))
        self.act_reports.setText(self.tr("Review &report (PDF)…"))
        self.act_quit.setText(self.tr("&Quit"))
        self.act_english.setText("English")
        self.act_hindi.setText("हिन्दी")
        self.act_english.setChecked(not hindi)
        self.act_hindi.setChecked(hindi)
        self.act_about.setText(self.tr("&About Muskan Desktop"))
        self.menu_file.setTitle(self.tr("&Register"))
        self.menu_view.setTitle(self.tr("&View"))
        self.menu_lang.setTitle(self.tr("&Language / भाषा"))
        self.menu_help.setTitle(self.tr("&Help"))
        self.officers.retranslate()
        if getattr(self, "sync", None) is not None:
            self.sync.retranslate()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 8)
        self.model.refresh()
        self._show_counts(getattr(self, "_counts", {}), getattr(self, "_total", None))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- register ---------------------------------------------------------------------------
    def start(self) -> None:
        """Open the register off the GUI thread; the window is already on screen."""
        if not self.officers.before_open(self.home):  # no keyring and no passphrase given
            self.close()
            return
        self.statusBar().showMessage(self.tr("Opening the register…"))
        self.runner.run(
            lambda _c: self._open_register(self.home),
            on_done=self.on_register_open,
            on_error=self.officers.open_failed,  # a wrong passphrase is asked again
            pool="db",
            label="open",
        )

    def on_register_open(self, ctx: Context) -> None:
        self.ctx = ctx
        self.officers.register_opened(ctx, self._register_ready)  # logs in first

    def _register_ready(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        self.model.set_db(ctx.db)
        self._set_enabled(True)
        self.statusBar().showMessage(str(ctx.db.path), 5000)

        def work(_c: TaskControl) -> bool:
            from muskan_desktop.cases import CaseService

            with ctx.db.read() as s:
                return CaseService(ctx).own_station(s) is not None

        self.runner.run(work, on_done=self._station_known, label="start-up")

    def _station_known(self, has_station: bool) -> None:
        """First run (no station yet): the station, then the SHO's account; then the cases."""
        ctx = self.ctx
        assert ctx is not None
        if not has_station:
            from .station_dialog import ask_station

            ask_station(self, ctx, self.runner)
            self.officers.first_run()  # the SHO's account, right after the station
        # The alert badge and the sync indicator import the matching and sync code (0.4 s):
        # loaded off the GUI thread once the first page is on screen, then installed.
        if not self._extras_requested:
            self._extras_requested = True
            self.searchFinished.connect(self._load_extras)
        elif self._extras_loaded:
            self._install_extras()  # logged in again
        self.run_search()

    def _load_extras(self, _total: int = 0) -> None:
        if self._extras_loaded or self._extras_loading:
            return
        self._extras_loading = True

        def work(_control: TaskControl) -> None:
            import importlib

            for name in ("ui.alert_inbox", "ui.sync_status"):
                importlib.import_module(name)

        self.runner.run(work, on_done=lambda _r: self._install_extras(), label="start-up")

    def _install_extras(self) -> None:
        from .alert_inbox import install_alerts
        from .sync_status import install_sync

        self._extras_loaded = True
        install_alerts(self)  # match alert badge, inbox, comparison and photo search
        install_sync(self)  # sync indicator, background rounds, conflicts to review
        self.registerOpened.emit()

    def on_logged_out(self) -> None:
        """Nothing of the register stays on screen until the next login."""
        self._set_enabled(False)
        self.model.set_result(CaseFilter(), 0, [])

    def _set_enabled(self, on: bool) -> None:
        for name in ("act_new_missing", "act_new_found", "act_import", "act_export", "act_reports"):
            getattr(self, name).setEnabled(on and self.officers.allows(name))

    def current_filter(self) -> CaseFilter:
        f = CaseFilter(
            kind=self.kind_combo.currentData(),
            district=self.district_combo.currentData(),
            station_code=self.station_combo.currentData(),
            sex=self.sex_combo.currentData(),
            age_band=self.age_combo.currentData(),
            name=self.name_edit.text().strip() or None,
            order_by=self._sort[0],
            descending=self._sort[1],
        )
        status = self.status_combo.currentData()
        f.status = [status] if status else []
        for attr, edit in (("date_from", self.from_edit), ("date_to", self.to_edit)):
            text = edit.text().strip()
            ok = True
            if text:
                try:
                    setattr(f, attr, dt.date.fromisoformat(text))
                except ValueError:
                    ok = False
            if edit.property("bad") != (not ok):  # restyling costs; only on a change
                edit.setProperty("bad", not ok)
                edit.setStyleSheet("" if ok else "background: #fde8e8;")
        return f

    def on_filter_changed(self, *_: Any) -> None:
        self._debounce.start()

    def on_clear_filters(self) -> None:
        for w in (self.name_edit, self.from_edit, self.to_edit):
            w.blockSignals(True)
            w.clear()
            w.blockSignals(False)
        for c in self.filter_combos:
            c.blockSignals(True)
            c.setCurrentIndex(0)
            c.blockSignals(False)
        self._fill_stations()
        self.run_search()

    def on_sort_requested(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.run_search()

    def run_search(self) -> None:
        if self.ctx is None:
            return
        self._debounce.stop()
        self._generation += 1
        generation = self._generation
        f = self.current_filter()
        db = self.ctx.db
        if self._search_task is not None and not self._search_task.finished:
            self._search_task.cancel()

        need_stations = self.model.needs_stations

        def work(control: TaskControl) -> tuple[int, dict[str, int], list[Any], Any]:
            from muskan_desktop.search import SearchIndex
            from ui.register_model import PAGE, station_names

            idx = SearchIndex.for_db(db)
            with db.read() as s:
                total, counts = idx.total_and_counts(s, f)
                control.check()
                first_page = idx.page(s, f, 0, PAGE)
            return total, counts, first_page, station_names(db) if need_stations else None

        def done(result: tuple[int, dict[str, int], list[Any], Any]) -> None:
            if generation != self._generation:
                return  # a newer search is on its way
            total, counts, first_page, stations = result
            if stations is not None and self.model.needs_stations:
                self.model.set_stations(stations)
            self.model.set_result(f, total, first_page)
            self._show_counts(counts, total)
            self.searchFinished.emit(total)

        self._search_task = self.runner.run(
            work, on_done=done, on_error=self._search_error, label="search"
        )

    def _search_error(self, exc: BaseException) -> None:
        from .tasks import Cancelled

        if not isinstance(exc, Cancelled):
            self.runner.on_error(exc)

    def _show_counts(self, counts: dict[str, int], total: int | None) -> None:
        self._counts, self._total = counts, total
        parts = []
        for kind, colour in (("missing", "#b3261e"), ("found", "#1e7b34")):
            items = [(s, n) for key, n in counts.items() for k, s in [key.split(":")] if k == kind]
            items.sort(key=lambda x: STATUS_ORDER.index(x[0]))
            inner = " · ".join(f"{labels.status_label(s)} <b>{n:,}</b>" for s, n in items)
            if inner:
                parts.append(
                    f"<span style='color:{colour}'><b>{labels.kind_label(kind)}</b></span>: {inner}"
                )
        self.counts_label.setText("&nbsp;&nbsp;&nbsp;".join(parts) or self.tr("No cases yet."))
        if total is not None:
            self.total_label.setText(self.tr("%1 cases shown").replace("%1", f"{total:,}"))

    # -- actions ----------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.name_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.name_edit.selectAll()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.table and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # type: ignore[attr-defined]
                idx = self.table.currentIndex()
                if idx.isValid():
                    self.open_case(idx.data(ID_ROLE))
                    return True
        return super().eventFilter(obj, event)

    def new_case(self, kind: str) -> None:
        if self.ctx is None:
            return
        from .case_form import CaseForm

        form = CaseForm(self.ctx, self.runner, kind, parent=self)
        form.saved.connect(self.on_case_saved)
        form.show()
        self.case_windows.append(form)

    def on_case_saved(self, case_id: str) -> None:
        self.run_search()
        self.statusBar().showMessage(self.tr("Saved."), 4000)

    def open_case(self, case_id: str | None) -> None:
        if self.ctx is None or not case_id:
            return
        from .case_view import CaseView

        view = CaseView(self.ctx, self.runner, case_id, parent=self)
        view.changed.connect(lambda _cid: (self.model.refresh(), self.run_search()))
        view.show()
        self.case_windows.append(view)

    def on_import(self) -> None:
        from .transfer_dialogs import import_csv_dialog

        if self.ctx is not None:
            import_csv_dialog(self)

    def on_export(self) -> None:
        from .transfer_dialogs import export_dialog

        if self.ctx is not None:
            export_dialog(self)

    def on_reports(self) -> None:
        if self.ctx is None:
            return
        from .reports_dialog import ReportsDialog

        self.reports_dialog = ReportsDialog(self)
        self.reports_dialog.show()

    def switch_language(self, code: str) -> None:
        from PySide6.QtWidgets import QApplication

        from .i18n import set_language

        self.prefs.language = code
        self.store.save(self.prefs)
        set_language(QApplication.instance(), code)  # type: ignore[arg-type]
        self.retranslate()

    def on_about(self) -> None:
        from muskan_desktop import __version__

        QMessageBox.about(
            self,
            self.tr("About Muskan Desktop"),
            self.tr(
                "Muskan Desktop %1\nThe station's register of missing and found children."
            ).replace("%1", __version__),
        )

    # progress of long tasks (import/export) in the status bar
    def show_progress(self, handle: TaskHandle, label: str) -> None:
        """Progress and a Cancel button for a long task — unless it has already finished
        (a task may complete before its caller gets here)."""
        if handle.finished:
            return
        self.progress.setRange(0, 0)
        self.progress.setFormat(label + " %p%")
        self.progress.show()
        self.cancel_button.show()
        with contextlib.suppress(RuntimeError, TypeError):
            self.cancel_button.clicked.disconnect()
        self.cancel_button.clicked.connect(handle.cancel)

    def on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def hide_progress(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()

    def closeEvent(self, event: QCloseEvent) -> None:
        for w in list(self.case_windows):
            if w.isVisible() and not w.close():
                event.ignore()
                return
        self.officers.closing()  # the officer's session ends: recorded as a logout
        self.store.save_geometry(bytes(self.saveGeometry().data()).hex())
        super().closeEvent(event)
