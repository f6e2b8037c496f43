"""The missing-child report and the found-child record: sections, inline checks, photos.

Validation runs as the officer types (the core's own rules, message next to the field); the
duplicate check runs before saving; closing with unsaved changes asks first. Saving runs on
the database thread and the form closes only once the case is on disk.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from muskan_desktop.cases import CaseService
from muskan_desktop.context import Context
from muskan_desktop.errors import FieldError, ValidationError
from muskan_desktop.intake import (
    KEPT,
    CaseIntake,
    PhotoOutcome,
    PhotoStepFailed,
    add_case_with_photos,
    save_case_with_photos,
)
from muskan_desktop.validation import FIELDS, clean_case

from . import labels
from .tasks import TaskRunner
from .widgets import DevanagariEdit, PhotoStrip

CHILD = [
    "name_latin",
    "name_deva",
    "aliases",
    "sex",
    "date_of_birth",
    "age_years",
    "height_cm",
    "build",
    "complexion",
    "hair",
    "eyes",
    "identification_marks",
    "clothing",
    "languages",
]
SECTIONS: dict[str, list[tuple[Any, list[str]]]] = {  # titles: QT_TRANSLATE_NOOP
    "missing": [
        (
            QT_TRANSLATE_NOOP("CaseForm", "The report"),
            [
                "reported_on",
                "fir_number",
                "fir_date",
                "gd_number",
                "gd_date",
                "sections",
                "category",
                "investigating_officer",
            ],
        ),
        (QT_TRANSLATE_NOOP("CaseForm", "The child"), CHILD),
        (
            QT_TRANSLATE_NOOP("CaseForm", "Last seen"),
            ["last_seen_on", "last_seen_time", "last_seen_place", "circumstances"],
        ),
        (
            QT_TRANSLATE_NOOP("CaseForm", "Parent or guardian"),
            ["guardian_name", "guardian_relation", "guardian_phone", "guardian_address"],
        ),
    ],
    "found": [
        (
            QT_TRANSLATE_NOOP("CaseForm", "Where and when found"),
            ["found_on", "found_place", "found_by", "reported_on"],
        ),
        (QT_TRANSLATE_NOOP("CaseForm", "The child"), CHILD),
        (
            QT_TRANSLATE_NOOP("CaseForm", "Care and orders"),
            ["cci_name", "cci_address", "cci_contact", "cwc_order"],
        ),
    ],
}
REQUIRED = {"missing": {"name_latin", "sex", "age_years"}, "found": {"sex", "age_years"}}
LONG = {
    "identification_marks",
    "clothing",
    "circumstances",
    "guardian_address",
    "cci_address",
}
DEVANAGARI = {"name_deva", "last_seen_place", "found_place"}  # typing Latin offers Devanagari
PLACEHOLDER = {"date": "YYYY-MM-DD", "time": "HH:MM", "phone": "98xxxxxxxx"}


class CaseForm(QWidget):
    saved = Signal(str)

    def __init__(
        self,
        ctx: Context,
        runner: TaskRunner,
        kind: str,
        *,
        case_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx, self.runner, self.kind, self.case_id = ctx, runner, kind, case_id
        self.svc = CaseService(ctx)
        self.widgets: dict[str, QWidget] = {}
        self.row_labels: dict[str, QLabel] = {}
        self.error_labels: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        self.dirty = False
        self.saving = False
        self._version: int | None = None
        self._original: dict[str, Any] = {}
        self._stored_photos: set[Path] = set()  # saved with the case already (not again)
        self._build()
        self.retranslate()
        if case_id:
            self._load(case_id)
        self.resize(760, 860)

    # -- construction -----------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        body = QWidget(self.scroll_area)
        layout = QVBoxLayout(body)
        self.groups: list[tuple[QGroupBox, str]] = []
        for title, names in SECTIONS[self.kind]:
            box = QGroupBox(body)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for name in names:
                w = self._make_widget(name, box)
                cell = QWidget(box)
                v = QVBoxLayout(cell)
                v.setContentsMargins(0, 0, 0, 0)
                v.setSpacing(1)
                v.addWidget(w)
                err = QLabel(cell)
                err.setObjectName(f"error_{name}")
                err.setStyleSheet("color: #b3261e;")
                err.setWordWrap(True)
                err.hide()
                v.addWidget(err)
                label = QLabel(box)
                label.setBuddy(w)
                form.addRow(label, cell)
                self.widgets[name], self.error_labels[name], self.row_labels[name] = w, err, label
            layout.addWidget(box)
            self.groups.append((box, title))
        self.photo_box = QGroupBox(body)
        pv = QVBoxLayout(self.photo_box)
        self.photos = PhotoStrip(self.photo_box)
        self.photos.filesAdded.connect(self.on_photos_added)
        pv.addWidget(self.photos)
        layout.addWidget(self.photo_box)
        layout.addStretch(1)
        self.scroll_area.setWidget(body)
        outer.addWidget(self.scroll_area, 1)
        self.required_note = QLabel(self)
        outer.addWidget(self.required_note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
            parent=self,
        )
        self.buttons.accepted.connect(self.on_save)
        self.buttons.rejected.connect(self.close)
        outer.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.on_save)
        QShortcut(QKeySequence("Esc"), self).activated.connect(self.close)

    def _make_widget(self, name: str, parent: QWidget) -> QWidget:
        spec = FIELDS[name]
        w: QWidget
        if spec.type == "enum":
            combo = QComboBox(parent)
            combo.addItem("", None)
            for choice in spec.choices:
                combo.addItem(choice, choice)
            combo.currentIndexChanged.connect(lambda _i, n=name: self.on_changed(n))
            w = combo
        elif name in LONG:
            edit = QPlainTextEdit(parent)
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(56)
            edit.textChanged.connect(lambda n=name: self.on_changed(n))
            w = edit
        else:
            source = self.widgets.get("name_latin") if name == "name_deva" else None
            line = (
                DevanagariEdit(parent, source=source)  # type: ignore[arg-type]
                if name in DEVANAGARI
                else QLineEdit(parent)
            )
            line.setPlaceholderText(PLACEHOLDER.get(spec.type, ""))
            line.textChanged.connect(lambda _t, n=name: self.on_changed(n))
            w = line
        w.setObjectName(f"field_{name}")
        return w

    def retranslate(self) -> None:
        title = (
            self.tr("New missing child report")
            if self.kind == "missing"
            else self.tr("New found / rescued child record")
        )
        if self.case_id:
            title = self.tr("Edit case")
        self.setWindowTitle(title)
        for box, text in self.groups:
            box.setTitle(self.tr(text))
        self.photo_box.setTitle(self.tr("Photos"))
        self.photos.retranslate()
        for name, label in self.row_labels.items():
            mark = " *" if name in REQUIRED[self.kind] else ""
            label.setText(labels.field_label(name) + mark)
        for name in ("sex", "category", "kind"):
            combo = self.widgets.get(name)
            if isinstance(combo, QComboBox):
                fn = labels.sex_label if name == "sex" else labels.category_label
                for i in range(1, combo.count()):
                    combo.setItemText(i, fn(combo.itemData(i)))
        self.required_note.setText(
            self.tr(
                "* required. A missing child's name may be given in either "
                "script; give the age or the date of birth."
            )
        )
        self._show_errors(self._current_errors())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- values and checks ------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        for name, w in self.widgets.items():
            if isinstance(w, QComboBox):
                out[name] = w.currentData()
            elif isinstance(w, QPlainTextEdit):
                out[name] = w.toPlainText().strip() or None
            else:
                out[name] = w.text().strip() or None  # type: ignore[attr-defined]
        return out

    def set_value(self, name: str, value: Any) -> None:
        w = self.widgets[name]
        text = (
            ""
            if value is None
            else (value.isoformat() if isinstance(value, dt.date) else str(value))
        )
        if isinstance(w, QComboBox):
            w.setCurrentIndex(max(w.findData(value), 0))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(text)
        else:
            w.setText(text)  # type: ignore[attr-defined]

    def _current_errors(self) -> list[FieldError]:
        try:
            if self.case_id:
                clean_case(
                    self._changes(),
                    today=self.ctx.today(),
                    partial=True,
                    existing={**self._original, "kind": self.kind},
                )
            else:
                clean_case(self.values(), today=self.ctx.today())
        except ValidationError as exc:
            return exc.errors
        return []

    def on_changed(self, name: str) -> None:
        self.touched.add(name)
        self.dirty = True
        self._show_errors(self._current_errors())

    def _show_errors(self, errors: list[FieldError], *, all_fields: bool = False) -> None:
        by_field: dict[str, list[str]] = {}
        for e in errors:
            if e.field in self.widgets and (all_fields or e.field in self.touched):
                by_field.setdefault(e.field, []).append(labels.message(e))
        for name, label in self.error_labels.items():
            msgs = by_field.get(name)
            label.setText(" ".join(msgs) if msgs else "")
            label.setVisible(bool(msgs))

    def error_text(self, name: str) -> str:
        label = self.error_labels[name]
        return label.text() if label.isVisible() or label.text() else ""

    # -- photos -----------------------------------------------------------------------------
    def on_photos_added(self, paths: list[Path]) -> None:
        from muskan_desktop.photos import load_photo

        def work(_c: Any) -> list[tuple[Path, Any, BaseException | None]]:
            out: list[tuple[Path, Any, BaseException | None]] = []
            for p in paths:
                try:
                    loaded = load_photo(p)
                    img = loaded.image.copy()
                    img.thumbnail((256, 256))
                    out.append((p, img, None))
                except Exception as exc:  # reported to the officer below, per file
                    out.append((p, None, exc))
            return out

        def done(results: list[tuple[Path, Any, BaseException | None]]) -> None:
            problems = []
            for path, img, exc in results:
                if exc is not None:
                    problems.append(getattr(exc, "message", str(exc)))
                    continue
                from PIL.ImageQt import ImageQt

                self.photos.add_preview(path, QPixmap.fromImage(ImageQt(img)))
                self.dirty = True
            if problems:
                QMessageBox.warning(self, self.tr("Photo not added"), "\n".join(problems))

        self.runner.run(work, on_done=done, label="photos")

    # -- saving -----------------------------------------------------------------------------
    def _changes(self) -> dict[str, Any]:
        vals = self.values()
        vals.pop("kind")
        out = {}
        for k, v in vals.items():
            old = self._original.get(k)
            old_text = (
                old.isoformat() if isinstance(old, dt.date) else (None if old is None else str(old))
            )
            if (v or None) != (old_text or None):
                out[k] = v
        return out

    def on_save(self) -> None:
        if self.saving:
            return
        errors = self._current_errors()
        if errors:
            self._show_errors(errors, all_fields=True)
            first = next((e.field for e in errors if e.field in self.widgets), None)
            if first:
                self.widgets[first].setFocus()
                self.scroll_area.ensureWidgetVisible(self.widgets[first])
            return
        if self.case_id is None and not self._confirm_not_duplicate():
            return
        self.saving = True
        self.buttons.setEnabled(False)
        values, case_id, version = self.values(), self.case_id, self._version
        photos = [p for p in self.photos.paths if p not in self._stored_photos]
        changes = self._changes() if case_id else {}
        ctx = self.ctx

        def work(_c: Any) -> CaseIntake:
            # one use case with the command line's `cases add --photo`: the case first (on
            # disk), then each photo by the core's rule (intake.py)
            if case_id:
                return save_case_with_photos(ctx, case_id, changes, photos, version=version)
            return add_case_with_photos(ctx, values, photos)

        def done(result: CaseIntake) -> None:
            self.saving = False
            self.dirty = False
            self.case_id = result.case_id
            self._stored_photos |= {Path(o.file) for o in result.photos if o.stored}
            self.saved.emit(result.case_id)
            self._tell_photo_outcomes(result.photos)
            self.close()

        def failed(exc: BaseException) -> None:
            self.saving = False
            self.buttons.setEnabled(True)
            if isinstance(exc, PhotoStepFailed):
                # The case is on disk: from now on this form edits that case, and Save
                # again retries the photos that did not go in (never a second case).
                self._adopt_saved_case(exc)
                self.saved.emit(exc.case_id)
                why = exc.reason()
                if why is None:
                    exc = exc.cause  # a bug: the crash dialog, with its traceback
                else:
                    names = ", ".join(Path(p).name for p in exc.pending)
                    QMessageBox.warning(
                        self,
                        self.tr("Case saved; photos not saved"),
                        self.tr(
                            "The case is saved, but not the photos %1: %2. Fix that and "
                            "press Save again to add them to this case."
                        )
                        .replace("%1", names)
                        .replace("%2", why),
                    )
                    return
            if isinstance(exc, ValidationError):
                self._show_errors(exc.errors, all_fields=True)
            from .errors import show_error

            show_error(self, exc)

        self.runner.run(work, on_done=done, on_error=failed, pool="db", label="save")

    def _adopt_saved_case(self, failed: PhotoStepFailed) -> None:
        """Edit the case just saved: its values as saved, the version to edit from (no
        read of the register here: the core hands them back)."""
        self._stored_photos |= {Path(o.file) for o in failed.done if o.stored}
        if failed.saved is not None:
            self._show_case(failed.saved)
        self._version = failed.version
        self.case_id = failed.case_id
        self.dirty = True  # photos still to save: closing asks first
        self.retranslate()

    def _tell_photo_outcomes(self, outcomes: list[PhotoOutcome]) -> None:
        """Photos kept without a usable face, or refused, are named with the reason."""
        lines = []
        for o in outcomes:
            name = Path(o.file).name
            if o.status == KEPT:
                lines.append(
                    self.tr("%1: kept with the case, but not used for matching: %2")
                    .replace("%1", name)
                    .replace("%2", o.message or "")
                )
            elif not o.stored:
                lines.append(
                    self.tr("%1: not saved: %2").replace("%1", name).replace("%2", o.message or "")
                )
        if lines:
            QMessageBox.information(
                self, self.tr("Case saved; some photos need attention"), "\n".join(lines)
            )

    def _confirm_not_duplicate(self) -> bool:
        clean = self.svc.validate_new(self.values())
        hits = self.svc.find_duplicates(clean)
        if not hits:
            return True
        lines = []
        for h in hits[:8]:
            reason = (
                self.tr("same guardian phone")
                if h.reason == "same_guardian_phone"
                else self.tr("similar name, age and district")
            )
            lines.append(f"• {h.case_id[:8]}… — {reason}")
        answer = QMessageBox.question(
            self,
            self.tr("Possible duplicate"),
            self.tr("This report looks like a case already in the register:")
            + "\n"
            + "\n".join(lines)
            + "\n\n"
            + self.tr("Save it as a new case anyway?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Save

    def _load(self, case_id: str) -> None:
        """The saved values, read on the register's pool: opening a case is an audited view
        (a write), which would wait on a lock held by a sync round or an import."""
        for part in (self.scroll_area, self.buttons):  # (nothing typed is overwritten)
            part.setEnabled(False)

        def done(data: dict[str, Any]) -> None:
            for part in (self.scroll_area, self.buttons):
                part.setEnabled(True)
            self._show_case(data)

        def failed(exc: BaseException) -> None:
            from .errors import show_error

            show_error(self, exc)
            self.close()

        self.runner.run(
            lambda _c: self.svc.details(case_id),
            on_done=done,
            on_error=failed,
            pool="db",
            label="open case",
            busy=self,
        )

    def _show_case(self, data: dict[str, Any]) -> None:
        self._version = data["version"]
        self._original = {k: data.get(k) for k in self.widgets}
        for name in self.widgets:
            self.set_value(name, data.get(name))
        self.dirty = False
        self.touched.clear()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.saving:
            event.ignore()
            return
        if self.dirty:
            answer = QMessageBox.question(
                self,
                self.tr("Unsaved changes"),
                self.tr("This form has changes that are not saved. Save them before closing?"),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save:
                event.ignore()
                self.on_save()
                return
        event.accept()
