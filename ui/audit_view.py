"""The audit trail for the SHO: who did what, when, from which device; and the chain check.

Reading and verifying run on the task runner (a long trail takes a moment to hash); each
view of the trail is itself recorded.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from muskan_desktop.audit_trail import AuditRow, AuditTrail, VerifyResult
from muskan_desktop.context import Context

from .tasks import TaskRunner

PAGE = 200


class AuditView(QDialog):
    def __init__(self, ctx: Context, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.rows: list[AuditRow] = []
        self.setWindowTitle(self.tr("Audit trail"))
        self.resize(980, 600)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.actor = QLineEdit(self)
        self.actor.setPlaceholderText(self.tr("Officer"))
        self.action = QLineEdit(self)
        self.action.setPlaceholderText(self.tr("Action (e.g. case_view, export, login)"))
        self.case_id = QLineEdit(self)
        self.case_id.setPlaceholderText(self.tr("Case id"))
        self.search_button = QPushButton(self.tr("Show"), self)
        self.search_button.clicked.connect(self.reload)
        self.verify_button = QPushButton(self.tr("Verify the chain"), self)
        self.verify_button.clicked.connect(self.on_verify)
        for w in (self.actor, self.action, self.case_id, self.search_button, self.verify_button):
            bar.addWidget(w)
        layout.addLayout(bar)
        self.result = QLabel(self)
        self.result.setObjectName("auditResult")
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Row"),
                self.tr("When (UTC)"),
                self.tr("Officer"),
                self.tr("Action"),
                self.tr("Record"),
                self.tr("Details"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.more = QPushButton(self.tr("Older events"), self)
        self.more.clicked.connect(self.load_more)
        layout.addWidget(self.more, alignment=Qt.AlignmentFlag.AlignRight)
        self.reload()

    def _fetch(self, before: int | None) -> None:
        actor, action, case_id = self.actor.text(), self.action.text(), self.case_id.text()
        self.runner.run(
            lambda _c: AuditTrail(self.ctx).list(
                limit=PAGE,
                actor=actor or None,
                action=action or None,
                case_id=case_id or None,
                before_seq=before,
            ),
            on_done=self._add_rows,
            pool="db",
            label="audit",
            busy=self,
        )

    def reload(self) -> None:
        self.rows = []
        self.table.setRowCount(0)
        self._fetch(None)

    def load_more(self) -> None:
        self._fetch(self.rows[-1].seq if self.rows else None)

    def _add_rows(self, rows: list[AuditRow]) -> None:
        start = self.table.rowCount()
        self.rows += rows
        self.table.setRowCount(start + len(rows))
        for i, r in enumerate(rows, start):
            cells = (
                str(r.seq),
                r.at.strftime("%Y-%m-%d %H:%M:%S"),
                r.actor,
                r.action,
                r.entity_id or "",
                r.summary,
            )
            for col, text in enumerate(cells):
                self.table.setItem(i, col, QTableWidgetItem(text))
        self.more.setEnabled(len(rows) == PAGE)

    def on_verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.result.setText(self.tr("Checking…"))
        self.runner.run(
            lambda _c: AuditTrail(self.ctx).verify(),
            on_done=self._verified,
            pool="db",
            label="audit",
            busy=self,
        )

    def _verified(self, result: VerifyResult) -> None:
        self.verify_button.setEnabled(True)
        if result.broken is None and result.problem is not None:
            self.result.setStyleSheet("color: #b3261e")
            if result.missing is not None:
                text = self.tr(
                    "The audit trail is cut short: rows %1 to %2 were recorded and are now "
                    "missing from its end."
                )
                text = text.replace("%1", str(result.missing[0]))
                self.result.setText(text.replace("%2", str(result.missing[1])))
            else:
                self.result.setText(
                    self.tr(
                        "The end of the audit trail cannot be trusted: its anchor is missing "
                        "or was altered."
                    )
                )
            return
        if result.broken is None:
            self.result.setStyleSheet("color: #1e7b34")
            self.result.setText(
                self.tr("The audit trail is intact: %1 events checked.").replace(
                    "%1", str(result.rows)
                )
            )
            return
        b = result.broken
        self.result.setStyleSheet("color: #b3261e")
        self.result.setText(
            self.tr(
                "The audit trail is broken at row %1 (%2, %3 by %4): this row or the one "
                "before it was changed or deleted after it was written."
            )
            .replace("%1", str(b.seq))
            .replace("%2", b.at.strftime("%Y-%m-%d %H:%M"))
            .replace("%3", b.action)
            .replace("%4", b.actor)
        )
