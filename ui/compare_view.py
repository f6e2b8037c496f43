"""The comparison view: a missing child and a found child side by side, and the verdict.

Left: both photos at one face scale with the face boxes (zoom and pan move both), the
eye-aligned faces with a cross-fade slider and a blink, and every photo of each case in a
strip. Right: the records side by side (agreeing fields and contradictions marked), the
other candidates ranked for the same child with their reasons, and the officer's verdict.
A confirmed match links the two cases and offers the missing child's "traced" step with
the found child's whereabouts filled in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPixmap, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSlider,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from muskan_desktop import roles
from muskan_desktop.domain import Kind, Status, allowed_actions
from muskan_desktop.errors import ValidationError
from muskan_desktop.match_alerts import AlertService
from muskan_desktop.match_review import (
    AGREE,
    DIFFER,
    FaceView,
    PairReview,
    ReviewService,
    load_face,
    trace_details,
)
from muskan_desktop.photos import PhotoStore

from . import labels
from .alert_inbox import is_hindi, thumb_image
from .compare_panes import (
    AlignedPane,
    PhotoPane,
    blend,
    fit_face,
    qimage_of,
    sync_views,
    union_rect,
)
from .errors import show_error
from .tasks import TaskControl, TaskRunner

if TYPE_CHECKING:
    from muskan_desktop.context import Context

    from .case_view import StepDialog

SIDES = ("missing", "found")
ROW_KEYS = {
    "name": QT_TRANSLATE_NOOP("Compare", "Name"),
    "sex": QT_TRANSLATE_NOOP("Compare", "Sex"),
    "age": QT_TRANSLATE_NOOP("Compare", "Age then → now"),
    "height_cm": QT_TRANSLATE_NOOP("Compare", "Height (cm)"),
    "complexion": QT_TRANSLATE_NOOP("Compare", "Complexion"),
    "eyes": QT_TRANSLATE_NOOP("Compare", "Eyes"),
    "hair": QT_TRANSLATE_NOOP("Compare", "Hair"),
    "identification_marks": QT_TRANSLATE_NOOP("Compare", "Identification marks"),
    "clothing": QT_TRANSLATE_NOOP("Compare", "Clothing"),
    "languages": QT_TRANSLATE_NOOP("Compare", "Languages"),
    "place": QT_TRANSLATE_NOOP("Compare", "Last seen / found at"),
    "dates": QT_TRANSLATE_NOOP("Compare", "Last seen / found on"),
}
STATE_TEXT = {
    AGREE: QT_TRANSLATE_NOOP("Compare", "agrees"),
    DIFFER: QT_TRANSLATE_NOOP("Compare", "contradicts"),
    "open": QT_TRANSLATE_NOOP("Compare", "check"),
}
STATE_COLOUR = {AGREE: "#dcf2e0", DIFFER: "#fbd9d6", "open": "#ffffff"}
REASONS = {
    "face_distance": QT_TRANSLATE_NOOP("Reason", "face distance %1"),
    "sex_agrees": QT_TRANSLATE_NOOP("Reason", "sex agrees"),
    "sex_open": QT_TRANSLATE_NOOP("Reason", "sex not stated on one side"),
    "sex_differs": QT_TRANSLATE_NOOP("Reason", "sex differs"),
    "age_fits": QT_TRANSLATE_NOOP("Reason", "age fits (about %1 now)"),
    "age_differs": QT_TRANSLATE_NOOP("Reason", "age does not fit (about %1 now)"),
    "age_unknown": QT_TRANSLATE_NOOP("Reason", "age not recorded on one side"),
    "found_before_missing": QT_TRANSLATE_NOOP("Reason", "found before last seen"),
    "languages": QT_TRANSLATE_NOOP("Reason", "shared language"),
    "same_district": QT_TRANSLATE_NOOP("Reason", "same district"),
    "officer_opened": QT_TRANSLATE_NOOP("Reason", "opened by an officer"),
}
VERDICTS = {
    "confirmed": QT_TRANSLATE_NOOP("Compare", "Confirmed: the same child"),
    "rejected": QT_TRANSLATE_NOOP("Compare", "Rejected: not the same child"),
    "inconclusive": QT_TRANSLATE_NOOP("Compare", "Inconclusive: needs more checking"),
}


def reason_text(r: dict[str, Any]) -> str:
    code = r.get("code", "")
    template = REASONS.get(code)
    if template is None:
        return str(r.get("text", code))
    text = labels.xlate("Reason", template)
    if code == "face_distance":
        return text.replace("%1", f"{r.get('distance', 0):.2f}")
    if code in ("age_fits", "age_differs"):
        return text.replace("%1", f"{r.get('expected', 0):.0f}")
    if code == "languages":
        return text + ": " + str(r.get("text", "")).split(":", 1)[-1].strip()
    return text


class CompareView(QWidget):
    """Two children side by side; `decided(alert_id)` after a verdict is recorded."""

    decided = Signal(str)
    caseChanged = Signal(str)
    openCase = Signal(str)
    loaded = Signal()

    def __init__(
        self,
        ctx: Context,
        runner: TaskRunner,
        missing_id: str,
        found_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("compareView")
        self.ctx, self.runner = ctx, runner
        self.ids = {"missing": missing_id, "found": found_id}
        self.review: PairReview | None = None
        self.faces: dict[str, dict[str, FaceView]] = {"missing": {}, "found": {}}
        self.images: dict[str, Any] = {}
        self.current: dict[str, str | None] = {"missing": None, "found": None}
        self.candidates: list[Any] = []
        self._syncing = False
        self._zoom = 1.0
        self._build()
        self.retranslate()
        self.resize(1360, 860)
        self.reload()

    @property
    def hindi(self) -> bool:
        return is_hindi(self)

    # -- construction -------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.header = QLabel(self)
        self.header.setObjectName("compareHeader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        outer.addWidget(self.header)
        self.progress = QProgressBar(self)
        self.progress.setMaximumHeight(14)
        self.progress.hide()
        outer.addWidget(self.progress)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(split, 1)

        left = QWidget(split)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        grid = QGridLayout()
        self.titles = {s: QLabel(left) for s in SIDES}
        self.panes = {s: PhotoPane(left) for s in SIDES}
        self.strips = {s: QListWidget(left) for s in SIDES}
        for col, s in enumerate(SIDES):
            self.titles[s].setTextFormat(Qt.TextFormat.RichText)
            grid.addWidget(self.titles[s], 0, col)
            grid.addWidget(self.panes[s], 1, col)
            strip = self.strips[s]
            strip.setObjectName(f"strip_{s}")
            strip.setViewMode(QListWidget.ViewMode.IconMode)
            strip.setFlow(QListWidget.Flow.LeftToRight)
            strip.setWrapping(False)
            strip.setIconSize(QSize(56, 56))
            strip.setFixedHeight(92)
            strip.itemClicked.connect(
                lambda item, side=s: self.show_photo(side, item.data(Qt.ItemDataRole.UserRole))
            )
            grid.addWidget(strip, 2, col)
            pane = self.panes[s]
            pane.wheelZoom.connect(self.zoom_by)
            pane.horizontalScrollBar().valueChanged.connect(lambda _v, side=s: self._sync(side))
            pane.verticalScrollBar().valueChanged.connect(lambda _v, side=s: self._sync(side))
        grid.setRowStretch(1, 1)
        lv.addLayout(grid, 1)
        tools = QHBoxLayout()
        self.zoom_label = QLabel(left)
        self.zoom_slider = QSlider(Qt.Orientation.Horizontal, left)
        self.zoom_slider.setObjectName("zoomSlider")
        self.zoom_slider.setRange(25, 800)
        self.zoom_slider.setValue(100)
        self.zoom_slider.valueChanged.connect(lambda v: self.set_zoom(v / 100.0))
        self.fit_button = QPushButton(left)
        self.fit_button.clicked.connect(lambda: self.zoom_slider.setValue(100))
        self.marks_box = QCheckBox(left)
        self.marks_box.setObjectName("landmarksToggle")
        self.marks_box.toggled.connect(self.on_marks)
        tools.addWidget(self.zoom_label)
        tools.addWidget(self.zoom_slider, 1)
        tools.addWidget(self.fit_button)
        tools.addWidget(self.marks_box)
        lv.addLayout(tools)
        aligned = QHBoxLayout()
        self.aligned = {s: AlignedPane(left, 200) for s in SIDES}
        self.blend_pane = AlignedPane(left, 200)
        self.blend_pane.setObjectName("blendPane")
        self.aligned_caption = QLabel(left)
        self.aligned_caption.setWordWrap(True)
        bl = QVBoxLayout()
        self.blend_slider = QSlider(Qt.Orientation.Horizontal, left)
        self.blend_slider.setObjectName("blendSlider")
        self.blend_slider.setRange(0, 100)
        self.blend_slider.setValue(50)
        self.blend_slider.valueChanged.connect(lambda _v: self._show_blend())
        self.blink_button = QPushButton(left)
        self.blink_button.setCheckable(True)
        self.blink_button.toggled.connect(self.on_blink)
        self.blink_timer = QTimer(self, interval=700)
        self.blink_timer.timeout.connect(
            lambda: self.blend_slider.setValue(0 if self.blend_slider.value() > 50 else 100)
        )
        bl.addWidget(self.aligned_caption)
        bl.addWidget(self.blend_slider)
        bl.addWidget(self.blink_button)
        bl.addStretch(1)
        aligned.addWidget(self.aligned["missing"])
        aligned.addWidget(self.aligned["found"])
        aligned.addWidget(self.blend_pane)
        aligned.addLayout(bl, 1)
        lv.addLayout(aligned)

        right = QWidget(split)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(right)
        self.records = QTableWidget(0, 4, right)
        self.records.setObjectName("recordsTable")
        self.records.verticalHeader().hide()
        self.records.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.records.setWordWrap(True)
        rh = self.records.horizontalHeader()
        rh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        rh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        rh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        rh.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.cand_table = QTableWidget(0, 4, right)
        self.cand_table.setObjectName("candidateTable")
        self.cand_table.verticalHeader().hide()
        self.cand_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cand_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cand_table.setIconSize(QSize(48, 48))
        self.cand_table.verticalHeader().setDefaultSectionSize(56)
        self.cand_table.setWordWrap(True)
        ch = self.cand_table.horizontalHeader()
        ch.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        ch.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        ch.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        ch.setStretchLastSection(True)
        self.cand_table.setColumnWidth(1, 150)
        self.cand_table.doubleClicked.connect(lambda idx: self.on_candidate(idx.row()))
        self.tabs.addTab(self.records, "")
        self.tabs.addTab(self.cand_table, "")
        rv.addWidget(self.tabs, 1)

        self.verdict_box = QGroupBox(right)
        vv = QVBoxLayout(self.verdict_box)
        self.history = QLabel(self.verdict_box)
        self.history.setObjectName("verdictHistory")
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.RichText)
        vv.addWidget(self.history)
        self.verdict_group = QButtonGroup(self)
        self.verdict_buttons: dict[str, QRadioButton] = {}
        for code in VERDICTS:
            b = QRadioButton(self.verdict_box)
            b.setObjectName(f"verdict_{code}")
            self.verdict_group.addButton(b)
            self.verdict_buttons[code] = b
            vv.addWidget(b)
        self.note_edit = QPlainTextEdit(self.verdict_box)
        self.note_edit.setObjectName("verdictNote")
        self.note_edit.setMaximumHeight(70)
        vv.addWidget(self.note_edit)
        self.verdict_error = QLabel(self.verdict_box)
        self.verdict_error.setObjectName("verdictError")
        self.verdict_error.setStyleSheet("color: #b3261e;")
        self.verdict_error.setWordWrap(True)
        self.verdict_error.hide()
        vv.addWidget(self.verdict_error)
        row = QHBoxLayout()
        self.record_button = QPushButton(self.verdict_box)
        self.record_button.setObjectName("recordVerdict")
        self.record_button.clicked.connect(self.on_record_verdict)
        self.trace_button = QPushButton(self.verdict_box)
        self.trace_button.setObjectName("traceStep")
        self.trace_button.clicked.connect(self.on_trace)
        self.trace_button.hide()
        self.sheet_button = QPushButton(self.verdict_box)
        self.sheet_button.setObjectName("matchSheet")
        self.sheet_button.clicked.connect(lambda: self.on_match_sheet())
        self.sheet_button.hide()
        row.addWidget(self.record_button)
        row.addWidget(self.trace_button)
        row.addWidget(self.sheet_button)
        row.addStretch(1)
        vv.addLayout(row)
        open_row = QHBoxLayout()
        self.open_buttons = {s: QPushButton(self.verdict_box) for s in SIDES}
        for s, b in self.open_buttons.items():
            b.clicked.connect(lambda _=False, side=s: self.openCase.emit(self.ids[side]))
            open_row.addWidget(b)
        open_row.addStretch(1)
        vv.addLayout(open_row)
        rv.addWidget(self.verdict_box)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([800, 540])
        QShortcut(QKeySequence("Esc"), self, activated=self.close)
        QShortcut(QKeySequence("Ctrl++"), self, activated=lambda: self.zoom_by(1.25))
        QShortcut(QKeySequence("Ctrl+-"), self, activated=lambda: self.zoom_by(0.8))
        QShortcut(QKeySequence("B"), self, activated=self.blink_button.toggle)
        may = roles.can(getattr(self.ctx, "role", "sho") or "", roles.Action.VERDICT)
        self.verdict_box.setEnabled(may)

    # -- text ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Compare a missing child and a found child"))
        self.zoom_label.setText(self.tr("Zoom (both photos):"))
        self.fit_button.setText(self.tr("Fit faces"))
        self.marks_box.setText(self.tr("Show landmarks"))
        self.aligned_caption.setText(
            self.tr(
                "Eye-aligned faces: turned and scaled so the eyes are level and the same "
                "distance apart (red marks). Slide to cross-fade from the missing child to "
                "the found child."
            )
        )
        self.blink_button.setText(self.tr("Blink (B)"))
        self.tabs.setTabText(0, self.tr("Records side by side"))
        self.tabs.setTabText(1, self.tr("Other candidates"))
        self.records.setHorizontalHeaderLabels(
            ["", self.tr("Missing child"), self.tr("Found child"), ""]
        )
        self.cand_table.setHorizontalHeaderLabels(
            ["", self.tr("Case"), self.tr("Distance"), self.tr("Why it ranks here")]
        )
        self.verdict_box.setTitle(self.tr("Officer's verdict"))
        for code, b in self.verdict_buttons.items():
            b.setText(labels.xlate("Compare", VERDICTS[code]))
        self.note_edit.setPlaceholderText(
            self.tr(
                "What was checked: photos compared, records, call to the family or the home "
                "(required to confirm)"
            )
        )
        self.record_button.setText(self.tr("Record verdict"))
        self.trace_button.setText(self.tr("Mark the missing child traced…"))
        self.sheet_button.setText(self.tr("Match sheet (PDF)…"))
        self.open_buttons["missing"].setText(self.tr("Open missing child's case"))
        self.open_buttons["found"].setText(self.tr("Open found child's record"))
        self._show_review()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.records.resizeRowsToContents()
        self.cand_table.resizeRowsToContents()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- loading ------------------------------------------------------------------------
    def reload(self) -> None:
        """The two records (fast), then the faces (dlib, with progress), then the ranking."""
        svc = ReviewService(self.ctx)
        ids = dict(self.ids)
        self.runner.run(
            lambda _c: svc.pair(ids["missing"], ids["found"]),
            on_done=self._got_review,
            on_error=lambda exc: show_error(self, exc),
            label="compare",
            busy=self,
        )

    def _got_review(self, review: PairReview) -> None:
        self.review = review
        self.ids = {"missing": review.missing["case_id"], "found": review.found["case_id"]}
        cand = review.candidate or {}
        for side, photos in (("missing", review.missing_photos), ("found", review.found_photos)):
            want = cand.get(f"{side}_photo_sha")
            shas = [p[0] for p in photos]
            self.current[side] = want if want in shas else (shas[0] if shas else None)
        self._show_review()
        self._load_faces(review)
        self._load_candidates()

    def _load_faces(self, review: PairReview) -> None:
        store = PhotoStore(self.ctx.home)
        todo = [("missing", p) for p in review.missing_photos] + [
            ("found", p) for p in review.found_photos
        ]
        todo = [t for t in todo if t[1][0] not in self.faces[t[0]]]
        # the two photos under comparison first: they are what the officer waits for
        todo.sort(key=lambda t: t[1][0] != self.current[t[0]])

        def work(control: TaskControl) -> list[tuple[str, FaceView, Any, Any]]:
            out = []
            for i, (side, (sha, taken_on, box)) in enumerate(todo):
                control.check()
                face = load_face(store, sha, box, taken_on)
                out.append((side, face, qimage_of(face), thumb_image(store, sha)))
                control.progress(i + 1, len(todo))
            return out

        def done(results: list[tuple[str, FaceView, Any, Any]]) -> None:
            self.progress.hide()
            for side, face, qimg, thumb in results:
                self.faces[side][face.sha256] = face
                self.images[face.sha256] = (qimg, thumb)
            self._fill_strips()
            for side in SIDES:
                self.show_photo(side, self.current[side], refit=True)
            self.loaded.emit()

        self.progress.setRange(0, max(len(todo), 1))
        self.progress.setValue(0)
        self.progress.show()
        self.load_task = self.runner.run(
            work,
            on_done=done,
            on_error=lambda exc: (self.progress.hide(), show_error(self, exc)),
            on_progress=lambda d, t: self.progress.setValue(d),
            label="faces",
        )

    def _load_candidates(self) -> None:
        svc = ReviewService(self.ctx)
        store = PhotoStore(self.ctx.home)
        case_id = self.ids["missing"]

        def work(_c: TaskControl) -> list[tuple[Any, Any]]:
            return [
                (lead, thumb_image(store, lead.photo_sha256)) for lead in svc.ranked(case_id, 10)
            ]

        def done(rows: list[tuple[Any, Any]]) -> None:
            self.candidates = rows
            self._show_candidates()

        self.runner.run(
            work, on_done=done, on_error=lambda exc: show_error(self, exc), label="rank"
        )

    # -- showing ------------------------------------------------------------------------
    def _side_title(self, side: str) -> str:
        assert self.review is not None
        r = getattr(self.review, side)
        colour = "#b3261e" if side == "missing" else "#1e7b34"
        name = (r.get("name_deva") if self.hindi else None) or r.get("name") or self.tr("(no name)")
        station = (r.get("station_hi") if self.hindi else None) or r.get("station") or ""
        return (
            f"<span style='color:{colour}'><b>{labels.kind_label(side)}</b></span>: "
            f"<b>{_esc(name)}</b> · {labels.sex_label(r['sex'])}, {r.get('age_years') or '?'}"
            f" · {_esc(station)} · {labels.status_label(r['status'])}"
        )

    def _show_review(self) -> None:
        rv = self.review
        if rv is None:
            return
        for s in SIDES:
            self.titles[s].setText(self._side_title(s))
        cand = rv.candidate
        if cand is not None:
            head = self.tr("Face distance <b>%1</b> (alert level %2) · alert %3").replace(
                "%1", f"{cand['distance']:.2f}"
            )
            from muskan_desktop.match_rules import DEFAULT_MATCH

            head = head.replace("%2", f"{DEFAULT_MATCH.alert_distance:.2f}").replace(
                "%3", labels.xlate("Compare", _STATUS.get(cand["status"], cand["status"]))
            )
        else:
            head = self.tr("No alert between these two children yet.")
        if rv.linked:
            head += " · <b style='color:#1e7b34'>" + self.tr("cases linked") + "</b>"
        caution = self.tr(
            "A face match is a lead, not an identification: the child's identity is confirmed "
            "by the officer, with the family, before any hand-over."
        )
        self.header.setText(f"{head}<br><span style='color:#6b6b6b'>{caution}</span>")
        self.records.setRowCount(len(rv.rows))
        for i, row in enumerate(rv.rows):
            key_text = labels.xlate("Compare", ROW_KEYS.get(row.key, row.key))
            m, f = row.missing, row.found
            if row.key == "sex":
                m, f = (labels.sex_label(x) if x else "" for x in (m, f))
            cells = [key_text, m, f, labels.xlate("Compare", STATE_TEXT[row.state])]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setBackground(QColor(STATE_COLOUR[row.state]))
                if col == 3 and row.state == DIFFER:
                    item.setForeground(QColor("#b3261e"))
                if row.note:
                    item.setToolTip(row.note)
                self.records.setItem(i, col, item)
        self.records.resizeRowsToContents()
        hist = [
            f"{labels.xlate('Compare', VERDICTS.get(v['verdict'], v['verdict']))} — "
            f"{_esc(v['by'])}, {v['at'][:16].replace('T', ' ')}"
            + (f": <i>{_esc(v['note'])}</i>" if v.get("note") else "")
            for v in rv.verdicts
        ]
        self.history.setText("<br>".join(hist) if hist else self.tr("No verdict recorded yet."))
        m_status = rv.missing["status"]
        can_trace = "trace" in allowed_actions(Kind.MISSING, Status(m_status))
        self.trace_button.setVisible(rv.linked and can_trace)
        self.sheet_button.setVisible(bool(cand and cand["status"] == "confirmed"))
        self._show_candidates()

    def _fill_strips(self) -> None:
        if self.review is None:
            return
        for side, photos in (
            ("missing", self.review.missing_photos),
            ("found", self.review.found_photos),
        ):
            strip = self.strips[side]
            strip.clear()
            for sha, taken_on, _box in photos:
                thumb = self.images.get(sha, (None, None))[1]
                item = QListWidgetItem(taken_on or self.tr("undated"))
                if thumb is not None:
                    item.setIcon(QIcon(QPixmap.fromImage(thumb)))
                item.setData(Qt.ItemDataRole.UserRole, sha)
                strip.addItem(item)
                if sha == self.current[side]:
                    item.setSelected(True)

    def show_photo(self, side: str, sha: str | None, refit: bool = False) -> None:
        self.current[side] = sha
        face = self.faces[side].get(sha) if sha else None
        qimg = self.images.get(sha, (None, None))[0] if sha else None
        self.panes[side].set_face(face, qimg, self.marks_box.isChecked())
        for p in self.panes.values():
            p.scene().setSceneRect(union_rect(list(self.panes.values())))
        self._show_aligned()
        self.set_zoom(1.0 if refit else self._zoom)

    def _crop(self, side: str) -> Any:
        sha = self.current[side]
        face = self.faces[side].get(sha) if sha else None
        return face.aligned if face is not None else None

    def _show_aligned(self) -> None:
        marks = self.marks_box.isChecked()
        for s in SIDES:
            a = self._crop(s)
            self.aligned[s].show_crop(a.image if a else None, a.points if a else None, marks)
        self._show_blend()

    def _show_blend(self) -> None:
        a, b = self._crop("missing"), self._crop("found")
        img = blend(a.image if a else None, b.image if b else None, self.blend_slider.value() / 100)
        self.blend_pane.show_crop(img, None, False)

    def _show_candidates(self) -> None:
        self.cand_table.setRowCount(len(self.candidates))
        for i, (lead, thumb) in enumerate(self.candidates):
            name = lead.name or self.tr("(no name)")
            current = lead.case_id == self.ids["found"]
            cells = [
                "",
                f"{i + 1}. {name}\n{labels.sex_label(lead.sex)}, {lead.age_years or '?'}",
                f"{lead.distance:.2f}",
                "; ".join(reason_text(r) for r in lead.reasons),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 0 and thumb is not None:
                    item.setIcon(QIcon(QPixmap.fromImage(thumb)))
                if current:
                    item.setBackground(QColor("#fff4cc"))
                self.cand_table.setItem(i, col, item)
        self.cand_table.resizeRowsToContents()

    # -- zoom, pan, overlays ------------------------------------------------------------
    def zoom_by(self, factor: float) -> None:
        self.zoom_slider.setValue(round(max(25, min(800, self._zoom * 100 * factor))))

    def set_zoom(self, zoom: float) -> None:
        self._zoom = zoom
        self._syncing = True
        try:
            for p in self.panes.values():
                fit_face(p, zoom)
        finally:
            self._syncing = False

    def _sync(self, side: str) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            other = "found" if side == "missing" else "missing"
            sync_views(self.panes[side], self.panes[other])
        finally:
            self._syncing = False

    def on_marks(self, on: bool) -> None:
        for p in self.panes.values():
            p.set_marks(on)
        self._show_aligned()

    def on_blink(self, on: bool) -> None:
        if on:
            self.blink_timer.start()
        else:
            self.blink_timer.stop()
            self.blend_slider.setValue(50)

    # -- candidates and verdicts --------------------------------------------------------
    def on_candidate(self, row: int) -> None:
        if not (0 <= row < len(self.candidates)):
            return
        lead = self.candidates[row][0]
        if lead.case_id != self.ids["found"]:
            self.ids["found"] = lead.case_id
            self.faces["found"].clear()
            self.reload()

    def selected_verdict(self) -> str | None:
        return next((c for c, b in self.verdict_buttons.items() if b.isChecked()), None)

    def on_record_verdict(self) -> None:
        verdict = self.selected_verdict()
        if verdict is None or self.review is None:
            self._verdict_error(self.tr("Pick a verdict first."))
            return
        note = self.note_edit.toPlainText().strip()
        if verdict != "rejected" and not note:
            self._verdict_error(
                self.tr(
                    "Write what was checked before recording this verdict (photos compared, "
                    "records, call to the family or the home)."
                )
            )
            return
        cand = self.review.candidate
        ids, shas = dict(self.ids), dict(self.current)
        if cand is None and not all(
            s and self.faces[side].get(s) and self.faces[side][s].box for side, s in shas.items()
        ):
            self._verdict_error(self.tr("Both photos need a face to record a verdict."))
            return
        ctx = self.ctx

        def work(_c: TaskControl) -> str:
            alert_id = cand["alert_id"] if cand else None
            if alert_id is None:
                assert shas["missing"] and shas["found"]
                alert_id = ReviewService(ctx).open_lead(
                    ids["missing"], ids["found"], shas["missing"], shas["found"]
                )
            AlertService(ctx).verdict(alert_id, verdict, note)
            return alert_id

        def done(alert_id: str) -> None:
            self.record_button.setEnabled(True)
            self.verdict_error.hide()
            self.note_edit.clear()
            self.decided.emit(alert_id)
            self.caseChanged.emit(self.ids["missing"])
            self.reload()

        def failed(exc: BaseException) -> None:
            self.record_button.setEnabled(True)
            if isinstance(exc, ValidationError):
                self._verdict_error("; ".join(labels.message(e) for e in exc.errors))
            else:
                show_error(self, exc)

        self.record_button.setEnabled(False)  # one verdict at a time, until it is stored
        self.runner.run(work, on_done=done, on_error=failed, pool="db", label="verdict", busy=self)

    def _verdict_error(self, text: str) -> None:
        self.verdict_error.setText(text)
        self.verdict_error.show()

    def on_match_sheet(self, path: str | None = None) -> None:
        """The one-page confirmation sheet (both photos, distance, verdict) to file."""
        from PySide6.QtWidgets import QFileDialog

        from muskan_desktop.reports import match_sheet

        cand = self.review.candidate if self.review else None
        if not cand:
            return
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save the match sheet"), "match.pdf", "PDF (*.pdf)"
            )
        if not path:
            return
        ctx, lang, alert_id = self.ctx, "hi" if self.hindi else "en", cand["alert_id"]
        self.sheet_path = path
        self.runner.run(
            lambda _c: match_sheet(ctx, alert_id, lang, path),
            on_error=lambda exc: show_error(self, exc),
            label="match sheet",
        )

    def on_trace(self) -> QDialog | None:
        """The missing child's "traced" step, with where the found child is filled in."""
        from muskan_desktop.cases import CaseService

        from .case_view import StepDialog

        if self.review is None:
            return None
        step = allowed_actions(Kind.MISSING, Status(self.review.missing["status"])).get("trace")
        if step is None:
            return None
        dlg = StepDialog(self, "trace", step.required, step.optional, self.hindi, self.ctx.today())
        for key, value in trace_details(self.review, self.ctx.today()).items():
            w = dlg.fields.get(key)
            if w is None:
                continue
            if hasattr(w, "findData"):
                w.setCurrentIndex(max(w.findData(value), 0))
            else:
                w.setText(value)
        self.step_dialog = dlg
        self._ask_trace(dlg, CaseService(self.ctx), self.ids["missing"])
        return dlg

    def _ask_trace(self, dlg: StepDialog, svc: Any, case_id: str) -> None:
        """The step is written on the db pool (another program may hold the register's write
        lock); a refusal shows the dialog again with its messages."""
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        values = dlg.values()

        def done(_case: Any) -> None:
            self.trace_button.setEnabled(True)  # (hidden now: the child is traced)
            self.caseChanged.emit(case_id)
            self.reload()

        def failed(exc: BaseException) -> None:
            self.trace_button.setEnabled(True)
            if isinstance(exc, ValidationError):
                dlg.show_errors(exc)
                self._ask_trace(dlg, svc, case_id)
            else:
                show_error(self, exc)

        self.trace_button.setEnabled(False)  # until the step is stored
        self.runner.run(
            lambda _c: svc.transition(case_id, "trace", values),
            on_done=done,
            on_error=failed,
            pool="db",
            label="trace",
            busy=self,
        )


_STATUS = {
    "open": QT_TRANSLATE_NOOP("Compare", "open"),
    "confirmed": QT_TRANSLATE_NOOP("Compare", "confirmed"),
    "rejected": QT_TRANSLATE_NOOP("Compare", "rejected"),
    "inconclusive": QT_TRANSLATE_NOOP("Compare", "inconclusive"),
}


def _esc(text: Any) -> str:
    import html

    return html.escape(str(text))
