"""Conflicts to review: two edits of the same field met on the server; the later one was
kept and the other is here, so an officer can keep the current value or put it back."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from muskan_desktop.errors import MuskanError
from muskan_desktop.sync import conflicts

from . import labels
from .tasks import TaskRunner


class ConflictsDialog(QDialog):
    resolved = Signal()

    def __init__(self, ctx: Any, parent: Any = None, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner: TaskRunner = runner or parent.runner
        self.items: list[conflicts.Conflict] = []
        self.picking = False  # a choice on its way to the register
        self.setWindowTitle(self.tr("Conflicts to review"))
        self.resize(900, 420)
        lay = QVBoxLayout(self)
        self.intro = QLabel(
            self.tr(
                "Two officers changed the same detail while offline. The later change was "
                "kept; the other value is shown here so nothing is lost. Pick the value to keep."
            ),
            self,
        )
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Case"),
                self.tr("Detail"),
                self.tr("Current value"),
                self.tr("Other value"),
                self.tr("Other value by"),
                self.tr("When"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.keep_button = QPushButton(self.tr("Keep the current value"), self)
        self.keep_button.clicked.connect(lambda: self.pick(use_lost=False))
        self.restore_button = QPushButton(self.tr("Use the other value"), self)
        self.restore_button.clicked.connect(lambda: self.pick(use_lost=True))
        row.addWidget(self.keep_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.empty = QLabel(self.tr("Nothing to review."), self)
        lay.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.load()

    def load(self) -> None:
        """The open conflicts, read off the GUI thread (the list is read again after each
        pick, and another program may be writing to the register)."""
        db = self.ctx.db
        self.runner.run(
            lambda _c: conflicts.open_conflicts(db),
            on_done=self._show,
            pool="db",
            label="conflicts",
            busy=self,
        )

    def _show(self, items: list[conflicts.Conflict]) -> None:
        self.items = items
        self.table.setRowCount(len(self.items))
        for i, c in enumerate(self.items):
            when = c.at.strftime("%d-%m-%Y %H:%M") if c.at else ""
            field = labels.field_label(c.field)
            for col, text in enumerate(
                (c.case_label, field, _text(c.kept), _text(c.lost), c.lost_by or "", when)
            ):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                self.table.setItem(i, col, item)
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not self.items)
        self.table.setVisible(bool(self.items))
        if self.items:
            self.table.selectRow(0)
        self._selection()

    def current(self) -> conflicts.Conflict | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def _selection(self) -> None:
        c = self.current()
        self.keep_button.setEnabled(c is not None and not self.picking)
        self.restore_button.setEnabled(c is not None and c.reversible and not self.picking)

    def pick(self, *, use_lost: bool) -> None:
        c = self.current()
        if c is None or self.picking:
            return
        ctx, conflict_id = self.ctx, c.id
        self.picking = True
        self._selection()

        def done(_r: Any) -> None:
            self.picking = False
            self.load()
            self.resolved.emit()

        def failed(exc: BaseException) -> None:
            self.picking = False
            self._selection()
            if not isinstance(exc, MuskanError):
                self.runner.on_error(exc)  # a bug: the crash dialog
                return
            QMessageBox.warning(self, self.tr("Conflicts to review"), exc.message)

        self.runner.run(
            lambda _c: conflicts.resolve(ctx, conflict_id, use_lost=use_lost),
            on_done=done,
            on_error=failed,
            pool="db",
            label="conflicts",
            busy=self,
        )


def _text(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)
