"""One case: details, photos, the lifecycle timeline, the tracing log and the risk assessment,
with a button for each lifecycle step the case can take next."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from muskan_desktop import places
from muskan_desktop.cases import LIFECYCLE_FIELDS, RISK_CHECKLIST, CaseService
from muskan_desktop.context import Context
from muskan_desktop.domain import CLOSURE_REASONS, Kind, Status, allowed_actions
from muskan_desktop.errors import ValidationError

from . import labels
from .errors import show_error
from .register_model import district_name
from .tasks import TaskControl, TaskRunner

SHOWN = [
    "name_latin",
    "name_deva",
    "aliases",
    "sex",
    "age_years",
    "date_of_birth",
    "height_cm",
    "build",
    "complexion",
    "hair",
    "eyes",
    "identification_marks",
    "clothing",
    "languages",
    "category",
    "reported_on",
    "fir_number",
    "fir_date",
    "gd_number",
    "sections",
    "last_seen_on",
    "last_seen_time",
    "last_seen_place",
    "circumstances",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "guardian_address",
    "investigating_officer",
    "found_on",
    "found_place",
    "found_by",
    "cci_name",
    "cci_address",
    "cci_contact",
    "cwc_order",
    *LIFECYCLE_FIELDS,
]


class StepDialog(QDialog):
    """Asks for what one lifecycle step must record (and what it may)."""

    def __init__(
        self,
        parent: QWidget,
        action: str,
        required: tuple[str, ...],
        optional: tuple[str, ...],
        hindi: bool,
        today: dt.date,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(labels.xlate("Action", labels.ACTION[action]).rstrip("…"))
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout(self)
        for name in required + optional:
            w: QWidget
            if name == "located_state":
                combo = QComboBox(self)
                combo.addItem("", None)
                for st in places.states():
                    combo.addItem(st.hi if hindi else st.en, st.en)
                w = combo
            elif name == "closed_reason":
                combo = QComboBox(self)
                combo.addItem("", None)
                for code in CLOSURE_REASONS:
                    combo.addItem(labels.xlate("Closure", labels.CLOSURE[code]), code)
                w = combo
            else:
                line = QLineEdit(self)
                if name.endswith("_on"):
                    line.setText(today.isoformat())
                    line.setPlaceholderText("YYYY-MM-DD")
                w = line
            w.setObjectName(f"step_{name}")
            err = QLabel(self)
            err.setStyleSheet("color: #b3261e;")
            err.hide()
            cell = QWidget(self)
            v = QVBoxLayout(cell)
            v.setContentsMargins(0, 0, 0, 0)
            v.addWidget(w)
            v.addWidget(err)
            mark = " *" if name in required else ""
            form.addRow(labels.field_label(name) + mark, cell)
            self.fields[name], self.errors[name] = w, err
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, w in self.fields.items():
            v = w.currentData() if isinstance(w, QComboBox) else w.text().strip()  # type: ignore[attr-defined]
            if v:
                out[name] = v
        return out

    def show_errors(self, exc: ValidationError) -> None:
        for label in self.errors.values():
            label.hide()
        for e in exc.errors:
            if e.field in self.errors:
                self.errors[e.field].setText(labels.message(e))
                self.errors[e.field].show()


class CaseView(QWidget):
    changed = Signal(str)
    loaded = Signal()  # the case as stored is on screen (after opening, and after each change)

    def __init__(
        self, ctx: Context, runner: TaskRunner, case_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx, self.runner, self.case_id = ctx, runner, case_id
        self.svc = CaseService(ctx)
        self.data: dict[str, Any] = {}
        # changes on their way to the register, by the part of the view that made them
        self.busy_parts: Counter[str] = Counter()
        outer = QVBoxLayout(self)
        self.header = QLabel(self)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setObjectName("caseHeader")
        outer.addWidget(self.header)
        self.actions_row = QHBoxLayout()
        outer.addLayout(self.actions_row)
        self.tabs = QTabWidget(self)
        self.details = QTextBrowser(self)
        self.photos = QWidget(self)
        self.photo_row = QHBoxLayout(self.photos)
        self.timeline = QListWidget(self)
        self.timeline.setObjectName("timeline")
        tracing = QWidget(self)
        tv = QVBoxLayout(tracing)
        self.tracing = QListWidget(tracing)
        self.tracing.setObjectName("tracingLog")
        add_row = QHBoxLayout()
        self.tracing_edit = QLineEdit(tracing)
        self.tracing_date = QLineEdit(tracing)
        self.tracing_date.setPlaceholderText("YYYY-MM-DD")
        self.tracing_date.setMaximumWidth(110)
        self.tracing_add = QPushButton(tracing)
        self.tracing_add.clicked.connect(self.on_add_tracing)
        self.tracing_add.setEnabled(False)  # until the case is on screen
        self.tracing_edit.returnPressed.connect(self.on_add_tracing)
        add_row.addWidget(self.tracing_edit, 1)
        add_row.addWidget(self.tracing_date)
        add_row.addWidget(self.tracing_add)
        tv.addWidget(self.tracing)
        tv.addLayout(add_row)
        risk = QWidget(self)
        rv = QVBoxLayout(risk)
        self.risk_text = QLabel(risk)
        self.risk_text.setWordWrap(True)
        self.risk_text.setTextFormat(Qt.TextFormat.RichText)
        self.risk_level = QComboBox(risk)
        for code in ("low", "medium", "high"):
            self.risk_level.addItem(code, code)
        self.risk_checks = {code: QCheckBox(risk) for code in RISK_CHECKLIST}
        self.risk_save = QPushButton(risk)
        self.risk_save.clicked.connect(self.on_assess_risk)
        self.risk_save.setEnabled(False)
        rv.addWidget(self.risk_text)
        rv.addWidget(self.risk_level)
        for cb in self.risk_checks.values():
            rv.addWidget(cb)
        rv.addWidget(self.risk_save)
        rv.addStretch(1)
        self.tab_widgets = [self.details, self.photos, self.timeline, tracing, risk]
        for w in self.tab_widgets:
            self.tabs.addTab(w, "")
        outer.addWidget(self.tabs, 1)
        QShortcut(QKeySequence("Esc"), self, activated=self.close)
        self.resize(860, 700)
        self.reload()

    @property
    def hindi(self) -> bool:
        prefs = getattr(self.parent(), "prefs", None)
        return getattr(prefs, "language", "en") == "hi"

    def reload(self) -> None:
        """The case as stored, read on the db pool: reading it writes its audit row (a view),
        so it may wait on another program's write lock, and the window must not."""
        svc, case_id, ctx = self.svc, self.case_id, self.ctx
        if not self.data:
            self.header.setText(self.tr("Opening the case…"))

        def work(_c: TaskControl) -> tuple[dict[str, Any], list[tuple[Any, bytes | None]]]:
            data = svc.details(case_id)  # audited as a view
            return data, _photo_thumbs(ctx, case_id)

        self.runner.run(
            work,
            on_done=self._loaded,
            on_error=lambda exc: show_error(self, exc),
            pool="db",
            label="case",
            busy=self,
        )

    def _loaded(self, result: tuple[dict[str, Any], list[tuple[Any, bytes | None]]]) -> None:
        self.data, thumbs = result
        self.retranslate()
        self._show_photos(thumbs)
        self.loaded.emit()

    def _show_photos(self, thumbs: list[tuple[Any, bytes | None]]) -> None:
        while self.photo_row.count():
            item = self.photo_row.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for p, thumb in thumbs:
            label = QLabel(self.photos)
            label.setObjectName("casePhoto")
            if thumb:
                pixmap = QPixmap()
                pixmap.loadFromData(thumb)
                label.setPixmap(pixmap)
            label.setToolTip(p.taken_on.isoformat() if p.taken_on else "")
            self.photo_row.addWidget(label)
        self.photo_row.addStretch(1)

    def retranslate(self) -> None:
        d = self.data
        name = " / ".join(x for x in (d.get("name_latin"), d.get("name_deva")) if x) or self.tr(
            "(no name)"
        )
        self.setWindowTitle(f"{name} — {labels.kind_label(d['kind'])}")
        station = d["station"]["name_hi"] if self.hindi else d["station"]["name"]
        colour = "#b3261e" if d["kind"] == "missing" else "#1e7b34"
        self.header.setText(
            f"<h2 style='margin:0'>{html.escape(name)}</h2>"
            f"<span style='color:{colour}'><b>{labels.kind_label(d['kind'])}</b></span> · "
            f"<b>{labels.status_label(d['status'])}</b> · {labels.sex_label(d['sex'])}, "
            f"{d.get('age_years') or '?'} · {html.escape(station)}, "
            f"{html.escape(district_name(d['district'], self.hindi))}"
        )
        for i, text in enumerate(
            (
                self.tr("Details"),
                self.tr("Photos"),
                self.tr("Lifecycle"),
                self.tr("Tracing log"),
                self.tr("Risk"),
            )
        ):
            self.tabs.setTabText(i, text)
        rows = []
        for k in SHOWN:
            v = d.get(k)
            if v in (None, ""):
                continue
            if k == "sex":
                v = labels.sex_label(v)
            elif k == "category":
                v = labels.category_label(v)
            elif k == "located_state" and self.hindi:
                st = places.find_state(v)
                v = st.hi if st else v
            elif k == "closed_reason":
                v = labels.xlate("Closure", labels.CLOSURE.get(v, v))
            rows.append(
                f"<tr><td style='padding-right:16px'><b>{html.escape(labels.field_label(k))}</b>"
                f"</td><td>{html.escape(str(v))}</td></tr>"
            )
        self.details.setHtml("<table>" + "".join(rows) + "</table>")
        self.timeline.clear()
        self.timeline.addItem(
            f"{d['reported_on']}  "
            f"{labels.status_label('missing' if d['kind'] == 'missing' else 'registered')}"
        )
        for e in d["events"]:
            det = ", ".join(
                f"{labels.field_label(k)}: {self._value(k, v)}"
                for k, v in e["details"].items()
                if v
            )
            self.timeline.addItem(
                f"{e['at'][:10]}  {labels.status_label(e['from'])} → "
                f"{labels.status_label(e['to'])}  ({e['by']})  {det}"
            )
        self.tracing.clear()
        for entry in d["tracing"]:
            self.tracing.addItem(f"{entry['done_on']}  {entry['action']}  ({entry['by']})")
        self.tracing_edit.setPlaceholderText(self.tr("What was done to trace the child"))
        self.tracing_add.setText(self.tr("Add to log"))
        for i, code in enumerate(("low", "medium", "high")):
            self.risk_level.setItemText(i, labels.xlate("Risk", labels.RISK[code]))
        for code, cb in self.risk_checks.items():
            cb.setText(labels.xlate("Risk", labels.CHECKLIST[code]))
        if d["risk"]:
            r = d["risk"][0]
            due = dt.date.fromisoformat(r["review_due"])
            overdue = due < self.ctx.today()
            self.risk_text.setText(
                self.tr("Risk <b>%1</b>, assessed %2 by %3. Review due <b>%4</b>%5")
                .replace("%1", labels.xlate("Risk", labels.RISK[r["level"]]))
                .replace("%2", r["assessed_on"])
                .replace("%3", html.escape(r["by"]))
                .replace("%4", r["review_due"])
                .replace(
                    "%5",
                    " <span style='color:#b3261e'>(" + self.tr("overdue") + ")</span>"
                    if overdue
                    else "",
                )
            )
            self.risk_level.setCurrentIndex(self.risk_level.findData(r["level"]))
            for code, cb in self.risk_checks.items():
                cb.setChecked(code in r["checklist"])
        else:
            self.risk_text.setText(self.tr("No risk assessment yet."))
        self.risk_save.setText(self.tr("Record assessment"))
        self._build_actions()

    def _value(self, key: str, value: object) -> str:
        if key == "located_state" and self.hindi:
            st = places.find_state(str(value))
            return st.hi if st else str(value)
        if key == "closed_reason":
            return labels.xlate("Closure", labels.CLOSURE.get(str(value), str(value)))
        return str(value)

    def _build_actions(self) -> None:
        while self.actions_row.count():
            item = self.actions_row.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        steps = allowed_actions(Kind(self.data["kind"]), Status(self.data["status"]))
        for action, step in steps.items():
            b = QPushButton(labels.xlate("Action", labels.ACTION[action]), self)
            b.setObjectName(f"action_{action}")
            b.clicked.connect(
                lambda _=False, a=action, s=step: self.on_step(a, s.required, s.optional)
            )
            self.actions_row.addWidget(b)
        notice = QPushButton(self.tr("Notice (PDF)…"), self)
        notice.setObjectName("action_notice")
        notice.clicked.connect(self.on_notice)
        self.actions_row.addWidget(notice)
        edit = QPushButton(self.tr("Edit…"), self)
        edit.setObjectName("action_edit")
        edit.clicked.connect(self.on_edit)
        self.actions_row.addWidget(edit)
        self.actions_row.addStretch(1)
        from muskan_desktop.roles import Action, can

        may_edit = can(self.ctx.role, Action.EDIT)  # a viewer reads; the core refuses too
        for i in range(self.actions_row.count()):
            w = self.actions_row.itemAt(i).widget()
            if isinstance(w, QPushButton) and w is not notice:
                w.setEnabled(may_edit and not self.busy_parts["actions"])
        notice.setEnabled(can(self.ctx.role, Action.REPORT))
        self.tracing_add.setEnabled(may_edit and not self.busy_parts["tracing"])
        self.risk_save.setEnabled(may_edit and not self.busy_parts["risk"])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self.data:
            self.retranslate()
        super().changeEvent(event)

    # -- actions ----------------------------------------------------------------------------
    # Every change is written on the db pool (one thread, in order), never on the GUI thread:
    # another program (an import, a sync round) may hold the register's write lock for
    # seconds. The control used waits disabled, with the busy cursor on this view, and the
    # view reloads (also on the db pool, so after the write) once the change is stored.
    def _write(self, part: str, work: Any, on_done: Any, on_error: Any = None) -> None:
        """`part` ("actions", "tracing", "risk") waits disabled until its write is done."""

        def finish() -> None:
            self.busy_parts[part] -= 1
            if self.data:
                self._build_actions()

        def done(result: Any) -> None:
            finish()
            on_done(result)

        def failed(exc: BaseException) -> None:
            finish()
            (on_error or (lambda e: show_error(self, e)))(exc)

        self.busy_parts[part] += 1
        if self.data:
            self._build_actions()
        self.runner.run(
            lambda _c: work(), on_done=done, on_error=failed, pool="db", label="case", busy=self
        )

    def on_step(self, action: str, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        dlg = StepDialog(self, action, required, optional, self.hindi, self.ctx.today())
        self.step_dialog = dlg
        self._ask_step(dlg, action)

    def _ask_step(self, dlg: StepDialog, action: str) -> None:
        """The dialog until the step is stored or cancelled; a refusal shows it again, with
        each message beside its field."""
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        svc, case_id, values = self.svc, self.case_id, dlg.values()

        def done(_case: Any) -> None:
            self.reload()
            self.changed.emit(self.case_id)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError):
                dlg.show_errors(exc)
                self._ask_step(dlg, action)
            else:
                show_error(self, exc)

        self._write("actions", lambda: svc.transition(case_id, action, values), done, failed)

    def on_notice(self, path: str | None = None) -> None:
        """A one-page notice for circulation; the guardian's phone only if the officer says."""
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from muskan_desktop.reports import notice

        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save the notice"), "notice.pdf", "PDF (*.pdf)"
            )
        if not path:
            return
        with_phone = (
            self.data["kind"] == "missing"
            and QMessageBox.question(
                self,
                self.tr("Guardian's phone"),
                self.tr("Print the guardian's phone number on the notice?"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            == QMessageBox.StandardButton.Yes
        )
        lang = "hi" if self.hindi else "en"
        self.notice_path = path
        self.runner.run(
            lambda _c: notice(self.ctx, self.case_id, lang, path, with_guardian_phone=with_phone),
            on_error=lambda exc: show_error(self, exc),
            label="notice",
            busy=self,
        )

    def on_edit(self) -> None:
        from .case_form import CaseForm

        form = CaseForm(self.ctx, self.runner, self.data["kind"], case_id=self.case_id, parent=self)
        form.saved.connect(lambda _cid: (self.reload(), self.changed.emit(self.case_id)))
        form.show()
        self.edit_form = form

    def on_add_tracing(self) -> None:
        text = self.tracing_edit.text().strip()
        if not text or not self.tracing_add.isEnabled():  # (Enter while one is being added)
            return
        svc, case_id = self.svc, self.case_id
        done_on = self.tracing_date.text().strip() or None

        def done(_entry: Any) -> None:
            if self.tracing_edit.text().strip() == text:  # not retyped meanwhile
                self.tracing_edit.clear()
            self.reload()

        self._write("tracing", lambda: svc.add_tracing_entry(case_id, text, done_on), done)

    def on_assess_risk(self) -> None:
        checks = [c for c, cb in self.risk_checks.items() if cb.isChecked()]
        svc, case_id, level = self.svc, self.case_id, self.risk_level.currentData()
        self._write(
            "risk", lambda: svc.assess_risk(case_id, level, checks), lambda _r: self.reload()
        )


def _photo_thumbs(ctx: Context, case_id: str) -> list[tuple[Any, bytes | None]]:
    """(Off the GUI thread.) The case's photos with their thumbnails, decrypted in memory."""
    try:
        from muskan_desktop.photos import PhotoService, PhotoStore
    except ImportError:
        return []
    store = PhotoStore(ctx.home)
    return [(p, store.thumbnail_bytes(p.sha256)) for p in PhotoService(ctx).list(case_id)]
