"""First run: which station is this? State, district, subdivision and station from lists."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from muskan_desktop import places
from muskan_desktop.cases import CaseService
from muskan_desktop.context import Context

from .tasks import TaskRunner


class StationDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, hindi: bool = False) -> None:
        super().__init__(parent)
        self.hindi = hindi
        self.setWindowTitle(self.tr("This station"))
        form = QFormLayout(self)
        intro = QLabel(self.tr("Pick this station once. Cases entered here belong to it."), self)
        intro.setWordWrap(True)
        form.addRow(intro)
        self.state = QComboBox(self)
        self.district = QComboBox(self)
        self.subdivision = QComboBox(self)
        self.station = QComboBox(self)
        for label, combo in (
            (self.tr("&State"), self.state),
            (self.tr("&District"), self.district),
            (self.tr("S&ubdivision"), self.subdivision),
            (self.tr("Police s&tation"), self.station),
        ):
            form.addRow(label, combo)
        home = places.home_state()
        self.state.addItem(home.hi if hindi else home.en, home.en)
        self.state.setEnabled(False)  # only the Surguja range's stations are in this build
        for d in places.districts():
            self.district.addItem(d.hi if hindi else d.en, d.en)
        self.district.currentIndexChanged.connect(self._fill_subdivisions)
        self.subdivision.currentIndexChanged.connect(self._fill_stations)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._fill_subdivisions()

    def _stations(self) -> list[places.StationInfo]:
        d = self.district.currentData()
        return [s for s in places.stations() if s.district.en == d]

    def _fill_subdivisions(self) -> None:
        self.subdivision.blockSignals(True)
        self.subdivision.clear()
        seen = []
        for s in self._stations():
            if s.subdivision.en not in seen:
                seen.append(s.subdivision.en)
                self.subdivision.addItem(
                    s.subdivision.hi if self.hindi else s.subdivision.en, s.subdivision.en
                )
        self.subdivision.blockSignals(False)
        self._fill_stations()

    def _fill_stations(self) -> None:
        self.station.clear()
        sub = self.subdivision.currentData()
        for s in self._stations():
            if s.subdivision.en == sub:
                self.station.addItem(s.name.hi if self.hindi else s.name.en, s.code)

    def selected(self) -> places.StationInfo:
        code = self.station.currentData()
        return next(s for s in places.stations() if s.code == code)


def ask_station(parent: QWidget, ctx: Context, runner: TaskRunner) -> None:
    """Asked once, on first run (the caller read that the register has no station). The
    choice is written on the runner's db pool (before anything queued after it, such as the
    SHO's account), not on the GUI thread."""
    svc = CaseService(ctx)
    hindi = getattr(getattr(parent, "prefs", None), "language", "en") == "hi"
    dlg = StationDialog(parent, hindi=hindi)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return
    info = dlg.selected()

    def work(_c: Any) -> None:
        with ctx.db.write() as s:
            svc.set_own_station(s, info)

    runner.run(work, pool="db", label="station", busy=parent)
