"""The case register as a Qt model: all matching ids up front, rows fetched a page at a time.

The ids of a filter come from one indexed query off the GUI thread; the row data of a page
(200 cases) is read when the view first shows it, so 100,000 cases scroll smoothly with
only the visible pages in memory.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from sqlalchemy import select

from muskan_desktop import places
from muskan_desktop.db import Database
from muskan_desktop.models import Case, Station

from . import labels

Index = QModelIndex | QPersistentModelIndex
COLUMNS = [
    "kind",
    "name_latin",
    "name_deva",
    "sex",
    "age",
    "status",
    "district",
    "station",
    "reported_on",
]
SORT_KEYS = {
    "kind": "kind",
    "name_latin": "name",
    "sex": "sex",
    "age": "age",
    "status": "status",
    "district": "district",
    "reported_on": "reported_on",
}
HEADERS = {
    "kind": QT_TRANSLATE_NOOP("Register", "Type"),
    "name_latin": QT_TRANSLATE_NOOP("Register", "Name"),
    "name_deva": QT_TRANSLATE_NOOP("Register", "Name (Hindi)"),
    "sex": QT_TRANSLATE_NOOP("Register", "Sex"),
    "age": QT_TRANSLATE_NOOP("Register", "Age"),
    "status": QT_TRANSLATE_NOOP("Register", "Status"),
    "district": QT_TRANSLATE_NOOP("Register", "District"),
    "station": QT_TRANSLATE_NOOP("Register", "Police station"),
    "reported_on": QT_TRANSLATE_NOOP("Register", "Reported on"),
}
KIND_COLOURS = {"missing": QColor("#fde8e8"), "found": QColor("#e6f4ea")}
ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE = 200
MAX_PAGES = 60


def district_name(english: str, hindi: bool) -> str:
    """Districts are stored by their English name; shown in the officer's language."""
    if not hindi:
        return english
    place = places.find_district(english)
    return place.hi if place else english


class CaseTableModel(QAbstractTableModel):
    sortRequested = Signal(str, bool)  # sort key, descending

    def __init__(self, db: Database | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self._ids: list[str] = []
        self._pages: OrderedDict[int, dict[str, tuple[Any, ...]]] = OrderedDict()
        self._stations: dict[str, tuple[str, str | None]] = {}
        self.hindi = False

    def set_db(self, db: Database) -> None:
        self.db = db
        self._stations.clear()

    def set_ids(self, ids: list[str]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read visible rows (after an edit) without changing the order."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            )

    def case_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, case_id: str) -> int:
        try:
            return self._ids.index(case_id)
        except ValueError:
            return -1

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return labels.xlate("Register", HEADERS[COLUMNS[section]])
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(COLUMNS[column])
        if key:
            self.sortRequested.emit(key, order == Qt.SortOrder.DescendingOrder)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.db is None:
            return None
        cid = self._ids[index.row()]
        if role == ID_ROLE:
            return cid
        col = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            row = self._row(index.row(), cid)
            return self._text(col, row) if row else None
        if role == Qt.ItemDataRole.BackgroundRole and col == "kind":
            row = self._row(index.row(), cid)
            return QBrush(KIND_COLOURS[row[1]]) if row else None
        return None

    def _text(self, col: str, r: tuple[Any, ...]) -> str:
        _id, kind, latin, deva, sex, age, status, district, station_id, reported = r
        if col == "kind":
            return labels.kind_label(kind)
        if col == "name_latin":
            return latin or ""
        if col == "name_deva":
            return deva or ""
        if col == "sex":
            return labels.sex_label(sex)
        if col == "age":
            return "" if age is None else str(age)
        if col == "status":
            return labels.status_label(status)
        if col == "district":
            return district_name(district, self.hindi)
        if col == "station":
            en, hi = self._stations.get(station_id, ("", None))
            return (hi or en) if self.hindi else en
        return reported.isoformat()

    def _row(self, row: int, cid: str) -> tuple[Any, ...] | None:
        page = row // PAGE
        rows = self._pages.get(page)
        if rows is None:
            rows = self._load_page(page)
        else:
            self._pages.move_to_end(page)
        return rows.get(cid)

    def _load_page(self, page: int) -> dict[str, tuple[Any, ...]]:
        assert self.db is not None
        ids = self._ids[page * PAGE : (page + 1) * PAGE]
        q = select(
            Case.id,
            Case.kind,
            Case.name_latin,
            Case.name_deva,
            Case.sex,
            Case.age_years,
            Case.status,
            Case.district,
            Case.station_id,
            Case.reported_on,
        ).where(Case.id.in_(ids))
        with self.db.read() as s:
            if not self._stations:
                self._stations = {
                    sid: (en, hi)
                    for sid, en, hi in s.execute(
                        select(Station.id, Station.name_en, Station.name_hi)
                    )
                }
            rows = {r[0]: tuple(r) for r in s.execute(q)}
        self._pages[page] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return rows
